/**
 * The reliability suite's short form, for CI: every phase runs (faults on both brains and on the
 * classifier, quota, fuzzer, soak, SIGKILL and restart) with small counts and the keywords classifier.
 * The full form (`bun run reliability`) soaks for 10 minutes and fuzzes with 10,000 requests.
 */
import { describe, expect, test } from 'bun:test';
import { leakCase, startSimulator } from '@split-brain/simulator';
import { scanClaudeSide } from './checks.ts';
import { runSuite, shortSuite } from './suite.ts';
import { PROPRIETARY_MARK } from './traffic.ts';

describe('reliability suite (short form)', () => {
  test('the leak scan finds proprietary text that did reach the Claude side', async () => {
    // The positive control: without it, "0 leaks" could mean the scan sees nothing.
    const simulator = startSimulator();
    try {
      await fetch(`${simulator.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 8,
          messages: [{ role: 'user', content: `the ${PROPRIETARY_MARK} budget` }],
        }),
      }).then((r) => r.arrayBuffer());
      const scan = await scanClaudeSide(simulator.url);
      expect(scan.scanned).toBe(1);
      expect(scan.leaks).toHaveLength(1);
      expect((await scanClaudeSide(simulator.url)).scanned).toBe(0); // scanning clears the log
      // The generated leak cases' witness sees a disguised codeword sent straight to the Claude side.
      let seed = 1;
      let c = leakCase(seed, ['Skunkworks']);
      while (c.dialect !== 'anthropic' || c.disguise !== 'fullwidth' || !c.position.includes('.'))
        c = leakCase(++seed, ['Skunkworks']);
      await fetch(`${simulator.url}${c.path}`, { method: 'POST', headers: c.headers, body: c.body }).then(
        (r) => r.arrayBuffer(),
      );
      expect((await scanClaudeSide(simulator.url, ['Skunkworks'])).leaks).toHaveLength(1);
    } finally {
      await simulator.stop();
    }
  });

  test('every check passes', async () => {
    const report = await runSuite({ ...shortSuite, log: () => undefined });
    const failed = report.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    expect(failed).toEqual([]);
    expect(report.checks.length).toBe(9);
    // Both brains saw traffic, so the leak check had something to hold.
    expect(Object.keys(report.routes).some((r) => r.startsWith('claude'))).toBe(true);
    expect(Object.keys(report.routes).some((r) => r.startsWith('local (keyword'))).toBe(true);
  }, 240_000);
});
