import { type Document, parseAllDocuments } from 'yaml';

/**
 * Prepares two renders of a release (what runs, what the chart would apply) for a reviewable diff:
 * documents that are Helm hooks are dropped (`helm get manifest` never lists them, so the `helm test` pod
 * would always show as an addition), documents are ordered by kind and name, and every Secret value is
 * replaced by a marker saying only whether it changed, so a diff printed to a terminal or a CI log never
 * holds secret material.
 */

const MASK = {
  unchanged: '(secret value, unchanged)',
  old: '(secret value, old)',
  new: '(secret value, new)',
  set: '(secret value)',
} as const;

interface Parsed {
  key: string;
  doc: Document;
}

function parse(text: string): Parsed[] {
  const out: Parsed[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) throw new Error(`unreadable manifest: ${doc.errors[0]}`);
    const value = doc.toJS() as { kind?: string; metadata?: Record<string, unknown> } | null;
    if (!value?.kind) continue;
    const metadata = value.metadata ?? {};
    const annotations = (metadata.annotations ?? {}) as Record<string, string>;
    if (annotations['helm.sh/hook']) continue;
    out.push({
      key: `${value.kind}/${metadata.namespace ?? ''}/${metadata.name ?? ''}`,
      doc: doc as Document,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A Secret's values by key, whether given base64-encoded (`data`) or as text (`stringData`). */
function secretValues(doc: Document): Map<string, string> {
  const value = doc.toJS() as { data?: Record<string, string>; stringData?: Record<string, string> };
  const out = new Map<string, string>();
  for (const [key, encoded] of Object.entries(value.data ?? {}))
    out.set(key, Buffer.from(String(encoded), 'base64').toString('utf8'));
  for (const [key, text] of Object.entries(value.stringData ?? {})) out.set(key, String(text));
  return out;
}

function mask(
  doc: Document,
  own: Map<string, string>,
  other: Map<string, string> | undefined,
  side: 'old' | 'new',
) {
  const masked: Record<string, string> = {};
  for (const key of [...own.keys()].sort()) {
    const theirs = other?.get(key);
    masked[key] = theirs === undefined ? MASK.set : theirs === own.get(key) ? MASK.unchanged : MASK[side];
  }
  doc.delete('data');
  doc.delete('stringData');
  if (Object.keys(masked).length > 0) doc.set('stringData', doc.createNode(masked));
}

export function maskSecrets(running: string, local: string): { running: string; local: string } {
  const before = parse(running);
  const after = parse(local);
  const valuesOf = (docs: Parsed[]) =>
    new Map(
      docs.filter(({ doc }) => doc.get('kind') === 'Secret').map(({ key, doc }) => [key, secretValues(doc)]),
    );
  const oldSecrets = valuesOf(before);
  const newSecrets = valuesOf(after);
  for (const { key, doc } of before)
    if (doc.get('kind') === 'Secret') mask(doc, oldSecrets.get(key)!, newSecrets.get(key), 'old');
  for (const { key, doc } of after)
    if (doc.get('kind') === 'Secret') mask(doc, newSecrets.get(key)!, oldSecrets.get(key), 'new');
  const text = (docs: Parsed[]) =>
    docs.map(({ doc }) => `---\n${doc.toString().replace(/^---\n/, '')}`).join('');
  return { running: text(before), local: text(after) };
}
