import { createSignal } from 'solid-js';
import { errorText } from '../api.ts';

/**
 * A view's error and status notes (shown with ErrorNote and StatusNote), and the one way its actions
 * report a failure: `attempt` runs an action and turns what it throws into the error note. One note at a
 * time: a new status clears the old error and a new error the old status, so nothing stale stays beside
 * what just happened.
 */
export function createNotes() {
  const [error, setErrorSignal] = createSignal<string>();
  const [status, setStatusSignal] = createSignal<string>();
  const setError = (text: string | undefined) => {
    setErrorSignal(text);
    if (text !== undefined) setStatusSignal(undefined);
  };
  const setStatus = (text: string | undefined) => {
    setStatusSignal(text);
    if (text !== undefined) setErrorSignal(undefined);
  };
  const attempt = async (action: () => Promise<unknown>): Promise<boolean> => {
    setErrorSignal(undefined);
    setStatusSignal(undefined);
    try {
      await action();
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  return { error, setError, status, setStatus, attempt };
}
