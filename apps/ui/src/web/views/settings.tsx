import { createSignal } from 'solid-js';
import { LiveConfigForm } from '../components/live-config-form.tsx';
import { Page } from '../widgets.tsx';

interface Settings {
  defaultClaudeModel: string | null;
  allowedClaudeModels: string[];
}

export function SettingsView() {
  const [model, setModel] = createSignal('');
  const [allowed, setAllowed] = createSignal('');

  return (
    <Page
      title="Settings"
      intro="Live router settings. Changes reach every router pod within seconds, without a restart."
    >
      <LiveConfigForm
        path="/api/settings"
        field="settings"
        fill={(settings: Settings) => {
          setModel(settings.defaultClaudeModel ?? '');
          setAllowed(settings.allowedClaudeModels.join('\n'));
        }}
        body={() => ({
          defaultClaudeModel: model().trim() || null,
          allowedClaudeModels: allowed()
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean),
        })}
        savedText="Settings saved; router pods pick them up within seconds."
        submitLabel="Save settings"
      >
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
      </LiveConfigForm>
    </Page>
  );
}
