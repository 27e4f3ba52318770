import { stringify } from 'yaml';
import type { Field, ObjectField } from './fields.ts';

const WIDTH = 100;

/** values.yaml text for an object field: every key preceded by its description as a comment. */
export function valuesYaml(root: ObjectField, header: string): string {
  const lines: string[] = [...comment(header, 0), ''];
  emitObject(root, 0, lines, true);
  return `${lines.join('\n').trimEnd()}\n`;
}

function emitObject(field: ObjectField, indent: number, lines: string[], topLevel: boolean): void {
  for (const [key, child] of Object.entries(field.fields)) {
    if (topLevel && lines.length > 0 && lines.at(-1) !== '') lines.push('');
    lines.push(...comment(child.description, indent));
    const pad = ' '.repeat(indent);
    if (child.kind === 'object') {
      lines.push(`${pad}${key}:`);
      emitObject(child, indent + 2, lines, false);
    } else {
      lines.push(...scalarOrBlock(key, child, indent));
    }
  }
}

function scalarOrBlock(key: string, field: Exclude<Field, ObjectField>, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const value = field.default;
  const isEmptyCollection =
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  if (typeof value !== 'object' || value === null || isEmptyCollection) {
    return [`${pad}${key}: ${stringify(value, { collectionStyle: 'flow' }).trimEnd()}`];
  }
  const block = stringify(value, { indent: 2 }).trimEnd().split('\n');
  return [`${pad}${key}:`, ...block.map((line) => `${pad}  ${line}`)];
}

/** Wraps a description into `# ` comment lines at the given indent. */
export function comment(text: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + 2 + line.length + 1 + word.length > WIDTH) {
        out.push(`${pad}# ${line}`);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line ? `${pad}# ${line}` : `${pad}#`);
  }
  return out;
}
