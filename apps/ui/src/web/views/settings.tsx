import { createSignal, type JSX, Show } from 'solid-js';
import { LiveConfigForm } from '../components/live-config-form.tsx';
import { Page } from '../widgets.tsx';

interface Settings {
  defaultClaudeModel: string | null;
  allowedClaudeModels: string[];
  classifierThreshold?: number;
}

/** A field's problem, beside it, and tied to the input for screen readers. */
export function FieldError(props: { id: string; error: string | undefined }): JSX.Element {
  return (
    <Show when={props.error}>
      <span class="field-error" id={props.id}>
        {props.error}
      </span>
    </Show>
  );
}

export function SettingsView() {
  const [model, setModel] = createSignal('');
  const [allowed, setAllowed] = createSignal('');
  const [threshold, setThreshold] = createSignal('');
  const [fieldErrors, setFieldErrors] = createSignal<Record<string, string>>({});
  const invalid = (name: string) => ({
    'aria-invalid': fieldErrors()[name] ? true : undefined,
    'aria-describedby': fieldErrors()[name] ? `${name}-error` : undefined,
  });

  return (
    <Page
      title="Settings"
      intro="Live router settings. Changes reach every router pod within seconds, without a restart, and are checked together before anything is saved."
    >
      <LiveConfigForm
        path="/api/settings"
        field="settings"
        what="settings"
        fill={(settings: Settings) => {
          setModel(settings.defaultClaudeModel ?? '');
          setAllowed(settings.allowedClaudeModels.join('\n'));
          setThreshold(
            settings.classifierThreshold === undefined ? '' : String(settings.classifierThreshold),
          );
        }}
        body={() => ({
          defaultClaudeModel: model().trim() || null,
          allowedClaudeModels: allowed()
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean),
          // Empty: the routers' CLASSIFIER_THRESHOLD. Anything else goes as typed, so the server can say
          // what is wrong with it.
          ...(threshold().trim() === ''
            ? {}
            : { classifierThreshold: Number.isNaN(Number(threshold())) ? threshold() : Number(threshold()) }),
        })}
        onFieldErrors={setFieldErrors}
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
            {...invalid('defaultClaudeModel')}
          />
          <FieldError id="defaultClaudeModel-error" error={fieldErrors().defaultClaudeModel} />
        </label>
        <label>
          Allowed Claude models (one per line; empty: any claude-* model)
          <textarea
            name="allowed-models"
            rows="4"
            value={allowed()}
            onInput={(e) => setAllowed(e.currentTarget.value)}
            {...invalid('allowedClaudeModels')}
          />
          <FieldError id="allowedClaudeModels-error" error={fieldErrors().allowedClaudeModels} />
        </label>
        <label>
          Classifier threshold (0–1; a score at or above it stays local; empty: the routers'
          CLASSIFIER_THRESHOLD)
          <input
            name="classifier-threshold"
            inputmode="decimal"
            placeholder="e.g. 0.4"
            value={threshold()}
            onInput={(e) => setThreshold(e.currentTarget.value)}
            {...invalid('classifierThreshold')}
          />
          <FieldError id="classifierThreshold-error" error={fieldErrors().classifierThreshold} />
        </label>
      </LiveConfigForm>
    </Page>
  );
}
