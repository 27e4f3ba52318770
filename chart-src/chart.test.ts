import { describe, expect, test } from 'bun:test';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDrift, writeChart } from '../scripts/gen-chart.ts';
import { generateChart } from './generate.ts';
import {
  chartDir,
  goldenFile,
  overlayFile,
  placeholderSecretsFile,
  placeholderSecretsYaml,
  runHelm,
} from './helm.ts';
import { ENVIRONMENTS } from './model/overlays.ts';
import { readRelease } from './release.ts';
import { kubeconform, ROOT, render, schemaVersions } from './testing/render.ts';

describe('generated chart', () => {
  test('generation is byte-identical across runs and charts/split-brain is up to date', () => {
    const release = readRelease(ROOT);
    const first = generateChart(release);
    const second = generateChart(release);
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect(chartDrift(ROOT)).toEqual([]);
  });

  test("regeneration leaves an operator's secrets overlays (.yaml and .yml) alone", () => {
    const root = mkdtempSync(join(tmpdir(), 'sb-gen-chart-'));
    try {
      mkdirSync(join(root, 'chart-src'));
      cpSync(join(ROOT, 'chart-src', 'release.json'), join(root, 'chart-src', 'release.json'));
      cpSync(chartDir(ROOT), chartDir(root), { recursive: true });
      for (const file of ['values-prod.secrets.yaml', 'values-prod.secrets.yml'])
        writeFileSync(join(chartDir(root), file), 'global: {}\n');
      expect(chartDrift(root)).toEqual([]);
      writeChart(root);
      expect(existsSync(join(chartDir(root), 'values-prod.secrets.yml'))).toBe(true);
      expect(existsSync(join(chartDir(root), 'values-prod.secrets.yaml'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the version and appVersion come from chart-src/release.json into every Chart.yaml', () => {
    const files = generateChart({ version: '9.8.7', appVersion: '9.8.7-rc.1', chartRegistry: 'oci://x/y' });
    const charts = [...files.entries()].filter(([path]) => path.endsWith('Chart.yaml'));
    expect(charts.length).toBe(5);
    for (const [, text] of charts) {
      expect(text).toContain('version: "9.8.7"');
      expect(text).toContain('appVersion: "9.8.7-rc.1"');
    }
  });
});

describe('gates', () => {
  for (const env of ENVIRONMENTS) {
    test(`helm lint --strict passes with the ${env} overlay`, () => {
      const result = runHelm(ROOT, [
        'lint',
        '--strict',
        chartDir(ROOT),
        '-f',
        overlayFile(ROOT, env),
        '-f',
        placeholderSecretsFile(ROOT),
      ]);
      expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
      expect(result.code).toBe(0);
    });

    test(`the committed golden manifests of ${env} match a fresh render`, () => {
      const rendered = render(env);
      expect(rendered.stderr).toBe('');
      expect(rendered.stdout).toBe(readFileSync(goldenFile(ROOT, env), 'utf8'));
    });

    for (const version of schemaVersions()) {
      test(`helm template (${env}) passes kubeconform -strict for Kubernetes ${version}`, () => {
        const rendered = render(env, [], { kubeVersion: version });
        expect(rendered.code).toBe(0);
        const result = kubeconform(rendered.stdout, version);
        expect(result.output).toContain('Invalid: 0, Errors: 0, Skipped: 0');
        expect(result.code).toBe(0);
      });
    }
  }

  test('the offline schemas cover 1.27, 1.29 to 1.33 and a newer version, and really are strict', () => {
    const versions = schemaVersions();
    expect(versions[0]).toBe('1.27.0');
    for (const minor of [29, 30, 31, 32, 33]) expect(versions).toContain(`1.${minor}.0`);
    expect(Number(versions.at(-1)!.split('.')[1])).toBeGreaterThan(33);
    const manifests = render('dev').stdout.replace(
      'revisionHistoryLimit: 5',
      'revisionHistoryLimit: 5\n  notAField: true',
    );
    const result = kubeconform(manifests, versions.at(-1)!);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("additional properties 'notAField' not allowed");
  });

  test('the committed placeholder secrets file is the one the model defines', () => {
    expect(readFileSync(placeholderSecretsFile(ROOT), 'utf8')).toBe(placeholderSecretsYaml());
  });
});
