import { createSignal } from 'solid-js';
import { errorText } from '../api.ts';

/**
 * A view's error and status notes (shown with ErrorNote and StatusNote), and the one way its actions
 * report a failure: `attempt` runs an action and turns what it throws into the error note.
 */
export function createNotes() {
  const [error, setError] = createSignal<string>();
  const [status, setStatus] = createSignal<string>();
  const attempt = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return { error, setError, status, setStatus, attempt };
}
