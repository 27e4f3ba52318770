import { type Field, leavesOf, type NumberField, type ObjectField } from './fields.ts';
import { classifierValues, routerValues, SECRET_NAMES, uiValues } from './values.ts';

/**
 * What differs between the three first-party apps at generation time: which PVC paths they mount, which
 * peers the NetworkPolicies allow, which optional templates they get. The Helm-time logic lives in the
 * one template set under chart-src/templates/app.
 */

export const DATA_ROOT = '/var/split-brain';
export const KEYWORDS_FILE = '/etc/split-brain/keywords/keywords.txt';

/** Environment variables that carry secret material: only ever read from a Secret. */
export const SECRET_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'SCALARLM_API_KEY',
  'AUDIT_HMAC_KEY',
  'TUNNEL_TOKEN',
  'GOOGLE_CLIENT_SECRET',
  'SESSION_SECRET',
] as const;

export interface PvcMount {
  mountPath: string;
  subPath?: string;
  readOnly: boolean;
}

export interface AppFacts {
  component: 'router' | 'classifier' | 'ui';
  values: ObjectField;
  /** PVC mounts (seed 000 storage table). */
  mounts: PvcMount[];
  /** PVC folders an init container creates before the subPath mounts (empty: no init container). */
  dataDirs: string[];
  ingressFrom: string[];
  egressTo: string[];
  hpa: boolean;
  classifierUrl: boolean;
}

const sub = (dir: string, readOnly: boolean): PvcMount => ({
  mountPath: `${DATA_ROOT}/${dir}`,
  subPath: dir,
  readOnly,
});

export const UI_DIRS: [string, boolean][] = [
  ['audit', true],
  ['tokens', false],
  ['bootstrap', false],
  ['heads', false],
  ['labels', false],
  ['limits', false],
  ['settings', false],
  ['usage', true],
  ['ui', false],
];

export const apps: AppFacts[] = [
  {
    component: 'router',
    values: routerValues,
    mounts: [{ mountPath: DATA_ROOT, readOnly: false }],
    dataDirs: [],
    ingressFrom: ['cloudflared'],
    egressTo: ['classifier'],
    hpa: true,
    classifierUrl: true,
  },
  {
    component: 'classifier',
    values: classifierValues,
    mounts: [sub('heads', true)],
    dataDirs: ['heads'],
    ingressFrom: ['router', 'ui'],
    egressTo: [],
    hpa: false,
    classifierUrl: false,
  },
  {
    component: 'ui',
    values: uiValues,
    mounts: UI_DIRS.map(([dir, readOnly]) => sub(dir, readOnly)),
    dataDirs: UI_DIRS.map(([dir]) => dir),
    ingressFrom: ['cloudflared'],
    egressTo: ['classifier'],
    hpa: false,
    classifierUrl: true,
  },
];

/**
 * The ConfigMap lines for a component's config fields, each a Helm expression that renders the value as
 * the string its environment variable expects. Optional strings are left out when empty so the app sees
 * them unset; numbers go through `int` so Helm never prints 600000 as 6e+05.
 */
export function configLines(values: ObjectField): string[] {
  const config = values.fields.config;
  if (config?.kind !== 'object') return [];
  const lines: string[] = [];
  for (const { path, field } of leavesOf(config)) {
    if (!field.env) continue;
    const ref = `.Values.config.${path}`;
    if (field.env === 'CLASSIFIER_KEYWORDS_PATH') {
      lines.push(
        '{{- if .Values.config.keywords }}',
        `${field.env}: ${JSON.stringify(KEYWORDS_FILE)}`,
        `{{- else if ${ref} }}`,
        `${field.env}: {{ ${ref} | quote }}`,
        '{{- end }}',
      );
    } else if (field.envWhen) {
      lines.push(
        `{{- if .Values.config.${field.envWhen} }}`,
        ...configLine(field.env, ref, field),
        '{{- end }}',
      );
    } else {
      lines.push(...configLine(field.env, ref, field));
    }
  }
  return lines;
}

function configLine(env: string, ref: string, field: Exclude<Field, ObjectField>): string[] {
  switch (field.kind) {
    case 'string':
      // A pattern that admits the empty string marks an optional value: left out when empty, like no pattern.
      if (field.pattern?.startsWith('^$|'))
        return [`{{- if ${ref} }}`, `${env}: {{ ${ref} | quote }}`, '{{- end }}'];
      if (field.minLength || field.pattern || field.enum) return [`${env}: {{ ${ref} | quote }}`];
      return [`{{- if ${ref} }}`, `${env}: {{ ${ref} | quote }}`, '{{- end }}'];
    case 'integer':
      return [`${env}: {{ ${ref} | int | toString | quote }}`];
    case 'number':
      return [...numberRangeCheck(ref, field), `${env}: {{ ${ref} | toString | quote }}`];
    case 'boolean':
      return [`${env}: {{ ${ref} | toString | quote }}`];
    default:
      throw new Error(`config field ${ref} of kind ${field.kind} cannot become an environment variable`);
  }
}

/**
 * The schema accepts a decimal string for a number (what `--set x=0.5` gives), which JSON schema cannot
 * range-check; the render does, with the same bounds.
 */
function numberRangeCheck(ref: string, field: NumberField): string[] {
  const float = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));
  const path = ref.replace(/^\.Values\./, '');
  const bounds: string[] = [];
  if (field.minimum !== undefined) bounds.push(`(lt (float64 ${ref}) ${float(field.minimum)})`);
  if (field.maximum !== undefined) bounds.push(`(gt (float64 ${ref}) ${float(field.maximum)})`);
  if (bounds.length === 0) return [];
  const range = `${field.minimum ?? '-inf'} to ${field.maximum ?? 'inf'}`;
  return [
    `{{- if or ${bounds.join(' ')} }}`,
    `{{- fail (printf "%s.${path} is %v: it must be from ${range}" $.Chart.Name ${ref}) }}`,
    '{{- end }}',
  ];
}

export const secretNames = SECRET_NAMES;
