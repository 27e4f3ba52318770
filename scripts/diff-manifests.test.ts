import { describe, expect, test } from 'bun:test';
import { maskSecrets } from './diff-manifests.ts';

const secret = (body: string) =>
  `---\n# Source: x/secrets.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n${body}`;

describe('maskSecrets', () => {
  test('says which keys changed, in data or stringData, and never what they hold', () => {
    const running = secret(
      `data:\n  KEPT: ${btoa('same')}\n  ROTATED: ${btoa('old-value')}\n  DROPPED: ${btoa('gone-value')}\n`,
    );
    const local = secret('stringData:\n  KEPT: same\n  ROTATED: new-value\n  ADDED: added-value\n');
    const masked = maskSecrets(running, local);
    expect(masked.running).toContain('KEPT: (secret value, unchanged)');
    expect(masked.local).toContain('KEPT: (secret value, unchanged)');
    expect(masked.running).toContain('ROTATED: (secret value, old)');
    expect(masked.local).toContain('ROTATED: (secret value, new)');
    expect(masked.running).toContain('DROPPED: (secret value)');
    expect(masked.local).toContain('ADDED: (secret value)');
    for (const value of ['same', 'old-value', 'new-value', 'gone-value', 'added-value', btoa('same')]) {
      expect(masked.running + masked.local).not.toContain(value);
    }
    expect(masked.local).toContain('# Source: x/secrets.yaml');
  });

  test('drops Helm hooks and orders documents by kind and name', () => {
    const text =
      '---\nkind: Service\nmetadata:\n  name: b\n---\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n' +
      '    helm.sh/hook: test\n---\nkind: ConfigMap\nmetadata:\n  name: a\n';
    const { local } = maskSecrets('', text);
    expect(local).not.toContain('kind: Pod');
    expect(local.indexOf('kind: ConfigMap')).toBeLessThan(local.indexOf('kind: Service'));
  });
});
