import { stringify } from 'yaml';
import { type ObjectField, leavesOf } from './fields.ts';

/** The README's values table: one row per leaf value, with type, default and description. */
export function valuesTable(root: ObjectField): string {
  const rows = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const { path, field } of leavesOf(root)) {
    const type = field.kind === 'string' && field.enum ? field.enum.join(' \\| ') : field.kind;
    const value = stringify(field.default, { collectionStyle: 'flow' }).trim().replaceAll('\n', ' ');
    rows.push(`| \`${path}\` | ${type} | \`${cell(value)}\` | ${cell(field.description)} |`);
  }
  return rows.join('\n');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
