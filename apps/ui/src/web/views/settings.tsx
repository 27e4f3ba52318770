import { createSignal, onMount } from 'solid-js';
import { errorText, request } from '../api.ts';
import { ErrorNote, Page, StatusNote } from '../widgets.tsx';

interface Settings {
  defaultClaudeModel: string | null;
  allowedClaudeModels: string[];
}

export function SettingsView() {
  const [model, setModel] = createSignal('');
  const [allowed, setAllowed] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [status, setStatus] = createSignal<string>();
  // The form stays disabled until the current values are in, so nothing typed is overwritten by the load.
  const [loaded, setLoaded] = createSignal(false);

  onMount(async () => {
    try {
      const { settings } = await request<{ settings: Settings }>('GET', '/api/settings');
      setModel(settings.defaultClaudeModel ?? '');
      setAllowed(settings.allowedClaudeModels.join('\n'));
      setLoaded(true);
    } catch (err) {
      setError(errorText(err));
    }
  });
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await request('PUT', '/api/settings', {
        defaultClaudeModel: model().trim() || null,
        allowedClaudeModels: allowed()
          .split(/[\n,]/)
          .map((s) => s.trim())
          .filter(Boolean),
      });
      setStatus('Settings saved; router pods pick them up within seconds.');
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Page
      title="Settings"
      intro="Live router settings. Changes reach every router pod within seconds, without a restart."
    >
      <form class="stack" onSubmit={save}>
        <fieldset class="plain" disabled={!loaded()}>
          <label>
            Default Claude model
            <input
              name="default-model"
              placeholder="empty: the router's ANTHROPIC_MODEL"
              value={model()}
              onInput={(e) => setModel(e.currentTarget.value)}
            />
          </label>
          <label>
            Allowed Claude models (one per line; empty: any claude-* model)
            <textarea
              name="allowed-models"
              rows="4"
              value={allowed()}
              onInput={(e) => setAllowed(e.currentTarget.value)}
            />
          </label>
          <div class="row">
            <button type="submit" class="primary">
              Save settings
            </button>
          </div>
        </fieldset>
      </form>
      <ErrorNote error={error()} />
      <StatusNote text={status()} />
    </Page>
  );
}
