/**
 * The reliability suite: fault injection on both brains and on the classifier, a quota under
 * concurrent load, SIGKILL of the router mid-stream and a restart, a fuzzer of hostile requests, and a
 * soak of mixed streaming traffic — all against real processes on loopback, bounded in count and time.
 * Invariants are read from the records the product keeps: the simulator's log of what reached Claude,
 * the audit log and the usage ledgers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Fault, leakCase, type ProfilePatch } from '@split-brain/simulator';
import { openStore } from '@split-brain/store';
import { treeMemory } from '../lib/memory.ts';
import { freePort, type Service } from '../lib/service.ts';
import { type SimulatorProcess, startSimulatorProcess } from '../lib/simulator-process.ts';
import { startClassifier, startRouter } from '../targets/split-brain.ts';
import type { TargetContext } from '../targets/target.ts';
import { auditedOnce, chargedToday, proprietaryOnClaude, readAllAudit, scanClaudeSide } from './checks.ts';
import { type FuzzVerdict, fuzzCases, rawCases, sendFuzz, sendRaw } from './fuzz.ts';
import { drive, mixedRequest, PROPRIETARY_KEYWORD, send, type TrafficOutcome } from './traffic.ts';

/** Codewords the suite's keyword list holds, planted by the generated leak cases. */
const LEAK_CODEWORDS = ['Heron Ledger', 'Skunkworks'];

export interface SuiteOptions {
  form: 'full' | 'short';
  soakMs: number;
  fuzzCount: number;
  requestsPerFault: number;
  /** Generated leak cases (every field of both dialects, codewords in disguise) sent in step 1b. */
  leakCases: number;
  classifierKind: 'minilm' | 'keywords';
  log?: (line: string) => void;
}

export const fullSuite: SuiteOptions = {
  form: 'full',
  soakMs: 10 * 60_000,
  fuzzCount: 10_000,
  requestsPerFault: 40,
  leakCases: 3000,
  classifierKind: 'minilm',
};

export const shortSuite: SuiteOptions = {
  form: 'short',
  soakMs: 8_000,
  fuzzCount: 1_000,
  requestsPerFault: 8,
  leakCases: 300,
  classifierKind: 'keywords',
};

export interface CheckResult {
  name: string;
  passed: boolean;
  detail: string;
}

export interface SuiteReport {
  form: 'full' | 'short';
  durationS: number;
  checks: CheckResult[];
  /** Router RSS samples during the soak, MiB. */
  soakRss: { atS: number; rssMiB: number }[];
  fuzzFamilies: Record<string, { sent: number; failed: number; statuses: Record<string, number> }>;
  faultOutcomes: Record<string, Record<string, number>>;
  /** Audit records by route and reason: shows how much traffic each brain and each fail-closed path saw. */
  routes: Record<string, number>;
}

/** Fast streams, so faults and the soak exercise many requests in bounded time. */
const suiteProfile: ProfilePatch = {
  latencyMs: 2,
  ttftMs: 10,
  tokensPerSecond: 400,
  outputTokens: 24,
  recordRequests: true,
  fault: null,
};

/** Keys the router's audit chain during the suite (a test value: it only has to be 32 characters or more). */
const AUDIT_KEY = 'reliability-suite-audit-key-0123456789';
const QUOTA_USER = 'quota@example.com';
const QUOTA_LIMIT = 6000;

async function setFault(simulator: SimulatorProcess, fault: Fault | null, dialect?: 'openai' | 'anthropic') {
  const response = await fetch(`${simulator.url}/_sim/fault`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault, dialect }),
  });
  if (!response.ok) throw new Error(`simulator refused fault: ${await response.text()}`);
}

function tally(outcomes: TrafficOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === 0 ? `no answer (${o.error})` : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(`[reliability] ${line}`));
  const root = resolve(import.meta.dir, '../..');
  const workDir = mkdtempSync(join(tmpdir(), 'sb-reliability-'));
  const logDir = join(root, 'bench/results/tmp/reliability-logs');
  mkdirSync(logDir, { recursive: true });
  const checks: CheckResult[] = [];
  const check = (name: string, passed: boolean, detail: string): void => {
    checks.push({ name, passed, detail });
    log(`${passed ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
  };
  const report: SuiteReport = {
    form: options.form,
    durationS: 0,
    checks,
    soakRss: [],
    fuzzFamilies: {},
    faultOutcomes: {},
    routes: {},
  };

  const simulator = await startSimulatorProcess(root, logDir);
  const services: Service[] = [simulator.service];
  try {
    await simulator.setProfile(suiteProfile);
    const ctx: TargetContext = { root, simulatorUrl: simulator.url, workDir, logDir };
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const keywordsPath = join(workDir, 'keywords.txt');
    writeFileSync(
      keywordsPath,
      `# proprietary markers for the reliability suite\n${[PROPRIETARY_KEYWORD, ...LEAK_CODEWORDS].join('\n')}\n`,
    );
    const store = openStore(dataDir);
    const { token } = await store.tokens.create({
      user: 'soak@example.com',
      name: 'soak',
      createdBy: 'reliability',
    });
    const quota = await store.tokens.create({ user: QUOTA_USER, name: 'quota', createdBy: 'reliability' });
    await store.limits.write({ v: 1, defaultDailyTokens: null, users: { [QUOTA_USER]: QUOTA_LIMIT } });

    const classifierPort = freePort();
    const classifierOptions = {
      kind: options.classifierKind,
      keywordsPath,
      name: 'reliability',
      port: classifierPort,
    } as const;
    let classifier = await startClassifier(ctx, dataDir, classifierOptions);
    services.push(classifier.service);
    const routerPort = freePort();
    const routerEnv = {
      UPSTREAM_TIMEOUT_MS: '4000',
      CLASSIFIER_TIMEOUT_MS: '1500', // the default
      MAX_BODY_BYTES: String(1024 * 1024),
      LOG_LEVEL: 'warn',
      // The audit chain is checked with its key after the restart (step 6).
      AUDIT_HMAC_KEY: AUDIT_KEY,
    };
    let router = await startRouter(ctx, dataDir, classifier.url, {
      env: routerEnv,
      name: 'reliability',
      port: routerPort,
    });
    services.push(router.service);
    const routerUrl = router.url;
    const audited: TrafficOutcome[] = [];
    let claudeScanned = 0;
    const leaks: string[] = [];
    const scan = async (): Promise<void> => {
      const result = await scanClaudeSide(simulator.url, LEAK_CODEWORDS);
      claudeScanned += result.scanned;
      leaks.push(...result.leaks);
    };

    // 1. Faults on each brain, one kind at a time, under mixed traffic.
    const faults: Fault[] = [
      { kind: 'http', status: 500 },
      { kind: 'http', status: 529, retryAfterSeconds: 1 },
      { kind: 'hang' },
      { kind: 'hang', afterEvents: 2 },
      { kind: 'cut', afterEvents: 2 },
      { kind: 'malformed', afterEvents: 1 },
      { kind: 'upstream-error', afterEvents: 1 },
    ];
    for (const side of ['anthropic', 'openai'] as const) {
      for (const fault of faults) {
        await setFault(simulator, fault, side);
        const outcomes = await drive(routerUrl, () => mixedRequest('fault', token, 0.4), {
          concurrency: 4,
          count: options.requestsPerFault,
        });
        await setFault(simulator, null);
        audited.push(...outcomes);
        const name = `${side === 'anthropic' ? 'Claude' : 'ScalarLM'} ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}${'afterEvents' in fault && fault.afterEvents !== undefined ? ` after ${fault.afterEvents} events` : ''}`;
        report.faultOutcomes[name] = tally(outcomes);
      }
    }
    await scan();
    log(`simulator faults done (${audited.length} requests)`);

    // 1b. Generated leak cases: the router's property test's generator (every field of both dialects, a
    // codeword at a random position in a random disguise), scanned with the same witness.
    const leakStatuses: Record<string, number> = {};
    const generated = Array.from({ length: options.leakCases }, (_, i) =>
      leakCase(20_261_300 + i, LEAK_CODEWORDS),
    );
    let nextLeak = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (nextLeak < generated.length) {
          const c = generated[nextLeak++]!;
          const response = await fetch(`${routerUrl}${c.path}`, {
            method: 'POST',
            headers: { ...c.headers, authorization: `Bearer ${token}` },
            body: c.body,
          }).catch(() => undefined);
          await response?.arrayBuffer().catch(() => {});
          const key = `${response?.status ?? 'error'} ${response?.headers.get('x-split-brain-route') ?? 'none'}`;
          leakStatuses[key] = (leakStatuses[key] ?? 0) + 1;
        }
      }),
    );
    report.faultOutcomes['generated leak cases'] = leakStatuses;
    const positions = new Set(generated.map((c) => `${c.dialect}:${c.position}`)).size;
    const disguises = new Set(generated.map((c) => c.disguise)).size;
    const leaksBefore = leaks.length;
    await scan();
    check(
      `generated leak cases: ${generated.length} requests, ${positions} positions, ${disguises} disguises`,
      leaks.length === leaksBefore,
      `${leaks.length - leaksBefore} Claude-side requests held a codeword; outcomes ${JSON.stringify(leakStatuses)}`,
    );
    log(`generated leak cases done (${generated.length})`);

    // 2. Classifier faults: killed, restarted, and slowed (stopped past the router's classifier timeout).
    const during = async (label: string, action: () => Promise<void>): Promise<void> => {
      const traffic = drive(routerUrl, () => mixedRequest('clf', token, 0.5), {
        concurrency: 4,
        untilMs: Date.now() + 4000,
      });
      await Bun.sleep(300);
      await action();
      const outcomes = await traffic;
      audited.push(...outcomes);
      report.faultOutcomes[`classifier ${label}`] = tally(outcomes);
    };
    await during('killed (SIGKILL)', async () => {
      classifier.service.process.kill('SIGKILL');
      await classifier.service.process.exited;
    });
    await during('down, then restarted', async () => {
      classifier = await startClassifier(ctx, dataDir, classifierOptions);
      services.push(classifier.service);
    });
    await during('slow (SIGSTOP for 2.5 s)', async () => {
      classifier.service.process.kill('SIGSTOP');
      await Bun.sleep(2500);
      classifier.service.process.kill('SIGCONT');
    });
    await scan();
    log(`classifier faults done (${audited.length} requests in all)`);

    // 3. A quota under concurrent load: the ledger must never pass the limit (one pod: no overrun).
    const quotaOutcomes = await drive(
      routerUrl,
      () => ({ ...mixedRequest('quota', quota.token, 0.3), stream: false }),
      { concurrency: 16, count: 120 },
    );
    audited.push(...quotaOutcomes);
    report.faultOutcomes['quota user (limit 6000 tokens/day)'] = tally(quotaOutcomes);
    await Bun.sleep(500);
    const charged = await chargedToday(dataDir, QUOTA_USER);
    const refused = quotaOutcomes.filter((o) => o.status === 429).length;
    const served = quotaOutcomes.filter((o) => o.status === 200).length;
    check(
      'quota holds under 16 concurrent requests',
      charged.tokens <= QUOTA_LIMIT && refused > 0 && served > 0,
      `${charged.tokens} of ${QUOTA_LIMIT} tokens charged over ${charged.entries} ledger entries; ${served} served, ${refused} refused with 429`,
    );

    // 4. The fuzzer, then proof the router still serves.
    const cases = fuzzCases(options.fuzzCount, token, 7);
    const verdicts: FuzzVerdict[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < cases.length) {
          const fuzz = cases[next++]!;
          verdicts.push(await sendFuzz(routerUrl, fuzz));
        }
      }),
    );
    for (const raw of rawCases(token)) verdicts.push(await sendRaw(routerPort, raw));
    for (const v of verdicts) {
      const family = report.fuzzFamilies[v.family] ?? { sent: 0, failed: 0, statuses: {} };
      report.fuzzFamilies[v.family] = family;
      family.sent += 1;
      if (!v.ok) family.failed += 1;
      family.statuses[String(v.status)] = (family.statuses[String(v.status)] ?? 0) + 1;
    }
    const bad = verdicts.filter((v) => !v.ok);
    check(
      `fuzzer: ${verdicts.length} hostile requests each get a 4xx in the right dialect`,
      bad.length === 0,
      bad.length === 0
        ? `${verdicts.length} refused correctly`
        : `${bad.length} wrong, e.g. ${[...new Set(bad.map((b) => `${b.family}: ${b.problem}`))].slice(0, 3).join(' | ')}`,
    );
    const afterFuzz = await send(routerUrl, { ...mixedRequest('after-fuzz', token, 0), stream: false });
    audited.push(afterFuzz);
    check(
      'router keeps serving after the fuzzer',
      afterFuzz.status === 200 && router.service.process.exitCode === null,
      `a valid request answered ${afterFuzz.status}`,
    );

    // 5. Soak: mixed streaming traffic, RSS sampled; the Claude side scanned as it goes.
    const soakStart = Date.now();
    const sampler = setInterval(
      () => {
        report.soakRss.push({
          atS: (Date.now() - soakStart) / 1000,
          rssMiB: treeMemory(router.service.pid).rssMiB,
        });
      },
      Math.max(1000, Math.floor(options.soakMs / 120)),
    );
    const scanner = setInterval(() => void scan(), 20_000);
    const soak = await drive(routerUrl, () => mixedRequest('soak', token, 0.3), {
      concurrency: 16,
      untilMs: soakStart + options.soakMs,
    });
    clearInterval(sampler);
    clearInterval(scanner);
    audited.push(...soak);
    report.faultOutcomes.soak = tally(soak);
    await scan();
    const rss = report.soakRss.map((s) => s.rssMiB);
    const quarter = Math.max(1, Math.floor(rss.length / 4));
    const early = Math.max(...rss.slice(quarter, 2 * quarter));
    const late = Math.max(...rss.slice(-quarter));
    const growth = late - early;
    check(
      `soak: router RSS does not grow without bound (${(options.soakMs / 1000).toFixed(0)} s, ${soak.length} requests)`,
      options.form === 'short' ? late < 1024 : growth <= Math.max(32, early * 0.25),
      `peak in the second quarter ${early.toFixed(0)} MiB, in the last quarter ${late.toFixed(0)} MiB` +
        (options.form === 'short' ? ' (short form: too short to judge growth; bounded below 1 GiB)' : ''),
    );

    // 6. SIGKILL of the router with streams in flight, then a restart on the same data.
    await simulator.setProfile({ ...suiteProfile, tokensPerSecond: 20, outputTokens: 60 });
    const inflight = drive(routerUrl, () => ({ ...mixedRequest('killed', token, 0.3), stream: true }), {
      concurrency: 24,
      count: 24,
      timeoutMs: 10_000,
    });
    await Bun.sleep(1000);
    router.service.process.kill('SIGKILL');
    await router.service.process.exited;
    await inflight;
    await simulator.setProfile(suiteProfile);
    router = await startRouter(ctx, dataDir, classifier.url, {
      env: routerEnv,
      name: 'reliability',
      port: routerPort,
    });
    services.push(router.service);
    const afterRestart = await send(routerUrl, { ...mixedRequest('after-restart', token, 0), stream: true });
    audited.push(afterRestart);
    await Bun.sleep(1500); // audit records are written after completion
    const audit = await readAllAudit(dataDir);
    const ledger = await chargedToday(dataDir, 'soak@example.com');
    for (const record of audit.records) {
      const key = `${record.route ?? 'refused'} (${record.reason})`;
      report.routes[key] = (report.routes[key] ?? 0) + 1;
    }
    log(`audit by route: ${JSON.stringify(report.routes)}`);
    check(
      'SIGKILL mid-stream and restart: no corrupted records, router serves again',
      audit.problems.length === 0 && ledger.problems.length === 0 && afterRestart.status === 200,
      `${audit.records.length} audit records and ${ledger.entries} ledger entries read, ` +
        `${audit.problems.length + ledger.problems.length} unreadable; after restart a stream answered ${afterRestart.status}` +
        (audit.problems[0]
          ? `; e.g. ${audit.problems[0].path}:${audit.problems[0].line} ${audit.problems[0].message}`
          : ''),
    );

    // The restarted router went on with the chain from the last complete record the killed one wrote.
    const chain = await openStore(dataDir).audit.verify({ key: AUDIT_KEY });
    check(
      'SIGKILL and restart: the audit hash chain verifies, continued from the last complete record',
      chain.ok,
      `${chain.records} records in ${chain.pods} pod chain(s), ${chain.breakCount} breaks, ` +
        `${chain.notes.filter((n) => n.kind === 'torn').length} torn lines` +
        (chain.breaks[0]
          ? `; e.g. ${chain.breaks[0].kind} at ${chain.breaks[0].file}:${chain.breaks[0].line}: ${chain.breaks[0].message}`
          : ''),
    );

    // 7. Invariants over everything sent (the killed streams excepted: their process died with them).
    await scan();
    check(
      'no proprietary text reached the Claude side',
      leaks.length === 0 && proprietaryOnClaude(audited).length === 0,
      `${claudeScanned} Claude-side requests scanned, ${leaks.length} with proprietary text; ` +
        `${proprietaryOnClaude(audited).length} proprietary requests answered from Claude`,
    );
    const once = auditedOnce(
      audit.records,
      audited.map((o) => o.id),
    );
    check(
      'every request audited exactly once',
      once.missing.length === 0 && once.duplicated.length === 0,
      `${once.checked} requests: ${once.missing.length} without a record, ${once.duplicated.length} with more than one` +
        (once.missing[0] ? ` (e.g. ${once.missing[0]})` : ''),
    );
  } finally {
    for (const service of services.reverse()) {
      // A process stopped by the slow-classifier phase must be resumed to hear SIGTERM.
      if (service.process.exitCode === null && service.process.signalCode === null)
        service.process.kill('SIGCONT');
      await service.stop();
    }
    rmSync(workDir, { recursive: true, force: true });
  }
  report.durationS = (Date.now() - started) / 1000;
  return report;
}
