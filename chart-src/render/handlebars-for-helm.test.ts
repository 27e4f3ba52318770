import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findHelmActions, renderChartTemplate } from './handlebars-for-helm.ts';

describe('renderChartTemplate', () => {
  test('Helm actions reach the output byte for byte, including ones Handlebars cannot parse', () => {
    const tricky = [
      '{{- include "split-brain.labels" (dict "context" $ "component" .Chart.Name) | nindent 4 }}',
      '{{ "{{" }}',
      '{{ `raw }} with braces {{` }}',
      '{{/* a comment with }} and [[ inside */}}',
      '{{- /* trimmed comment */ -}}',
      '{{ printf "%s}}" \'x\' }}',
      '{{ .Values.a | default "<&>" | quote }}',
    ];
    const source = `a: [[name]]\n${tricky.join('\n')}\n`;
    const out = renderChartTemplate(source, { name: 'router<&>' });
    expect(out).toBe(`a: router<&>\n${tricky.join('\n')}\n`);
  });

  test('generator blocks repeat and drop Helm actions with them', () => {
    const source = '[[#each items]]- {{ .Values.x }} [[this]]\n[[/each]][[#if no]]{{ fail "x" }}[[/if]]';
    expect(renderChartTemplate(source, { items: ['a', 'b'], no: false })).toBe(
      '- {{ .Values.x }} a\n- {{ .Values.x }} b\n',
    );
  });

  test('a generator slot inside a Helm action is filled; the rest of the action is kept', () => {
    const source = '[[#each peers]]{{ include "sel" (dict "component" "[[this]]") }}\n[[/each]]';
    expect(renderChartTemplate(source, { peers: ['ui', 'router'] })).toBe(
      '{{ include "sel" (dict "component" "ui") }}\n{{ include "sel" (dict "component" "router") }}\n',
    );
  });

  test('an unknown generator variable fails instead of rendering empty', () => {
    expect(() => renderChartTemplate('[[missing]]', {}, 'x.hbs')).toThrow('x.hbs');
  });

  test('an unterminated Helm action is reported', () => {
    expect(() => findHelmActions('a {{ .Values.x ')).toThrow('unterminated Helm action');
  });

  test('every Helm action of every chart template survives generation unchanged', () => {
    const dir = join(import.meta.dir, '..', 'templates');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));
    expect(sources.length).toBeGreaterThan(15);
    const generatedDir = join(import.meta.dir, '..', '..', 'charts', 'split-brain');
    const generated = readdirSync(generatedDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(yaml|tpl|txt)$/.test(f) && f.includes('templates'))
      .map((f) => readFileSync(join(generatedDir, f), 'utf8'))
      .join('\n');
    let checked = 0;
    for (const file of sources) {
      for (const action of findHelmActions(readFileSync(join(dir, file), 'utf8'))) {
        if (action.text.includes('[[')) continue; // filled per component; covered by the test above
        expect(generated).toContain(action.text);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(generated).not.toMatch(/\[\[|\]\]|\uE000|\uE001/);
  });
});
