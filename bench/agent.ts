/**
 * `bun bench/agent.ts [--no-cli] [--runs 30] [--json <file>]`: a coding agent against `bun run dev`.
 *
 * 1. Starts the dev stack exactly as a newcomer would (`scripts/dev.ts`, default settings, a fresh data
 *    folder, so it trains its demo head; both brains simulated), on free ports.
 * 2. Unless --no-cli: installs the real Claude Code CLI from npm (bench/tools/install-claude-code.sh) and
 *    runs it through the router: a public prompt (expect Claude's side), a demo-codeword prompt (expect the
 *    local side) and a follow-up in that conversation (expect local). The CLI talks to the router through a
 *    recording pass-through, so its first request is kept as sent (in memory only: it is Anthropic's text,
 *    never committed).
 * 3. Times the router's classification of that recorded first request with a cold cache (the classifier
 *    client the router uses, against the dev stack's classifier), and of its follow-up turns (same system
 *    and tools, a new turn each run; target p50 <= 30 ms). Without a recording it uses the project's own
 *    Claude-Code-shaped fixture (apps/router/src/fixtures/agent-request.ts) and says so.
 * Prints a Markdown report; `bun run bench` puts it in its report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ClassificationCache } from '../apps/router/src/classification-cache.ts';
import { ClassifierClient } from '../apps/router/src/classifier-client.ts';
import { agentFirstRequest } from '../apps/router/src/fixtures/agent-request.ts';
import { toPieces } from '../apps/router/src/text-pieces.ts';
import { loadRouterConfig } from '../libs/config/src/index.ts';
import { type AuditRecord, openStore } from '../libs/store/src/index.ts';
import { type AnthropicMessagesRequest, extractAnthropicTexts } from '../libs/wire/src/index.ts';
import { freePort } from './lib/service.ts';

const ROOT = resolve(import.meta.dir, '..');
const CLAUDE_BIN = join(ROOT, '.tools/claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe');
const log = (message: string) => console.error(`[agent] ${message}`);

export interface AgentBenchResult {
  status: 'measured' | 'failed';
  reason?: string;
  markdown: string;
}

interface CliStep {
  prompt: string;
  expected: 'claude' | 'local';
  records: Pick<AuditRecord, 'route' | 'reason' | 'clientModel' | 'score' | 'latencyMs'>[];
  /** The route of the conversation's main request (the largest one the CLI sent for this prompt). */
  route: string | null;
  ok: boolean;
  seconds: number;
}

class DevStack {
  private constructor(
    private readonly proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>,
    readonly dataDir: string,
    readonly ports: Record<'router' | 'classifier' | 'ui' | 'simulator', number>,
    readonly output: string[],
  ) {}

  static async start(dataDir: string): Promise<DevStack> {
    const ports = {
      router: await freePort(),
      classifier: await freePort(),
      ui: await freePort(),
      simulator: await freePort(),
    };
    // A newcomer's defaults: no backend configured (both simulated), nothing else set.
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of ['SCALARLM_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'HOST'])
      delete env[name];
    const proc = Bun.spawn(['bun', join(ROOT, 'scripts/dev.ts')], {
      cwd: ROOT,
      env: {
        ...env,
        SPLIT_BRAIN_DATA_DIR: dataDir,
        DEV_ROUTER_PORT: String(ports.router),
        DEV_CLASSIFIER_PORT: String(ports.classifier),
        DEV_UI_PORT: String(ports.ui),
        DEV_SIMULATOR_PORT: String(ports.simulator),
      },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const stack = new DevStack(proc, dataDir, ports, []);
    const ready = stack.collect(proc.stdout, 'Create a token');
    void stack.collect(proc.stderr);
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      proc.exited.then(() => 'exited' as const),
      Bun.sleep(600_000).then(() => 'timeout' as const),
    ]);
    if (outcome !== 'ready') {
      proc.kill();
      throw new Error(`the dev stack did not start (${outcome}): ${stack.output.slice(-15).join('\n')}`);
    }
    return stack;
  }

  private async collect(stream: ReadableStream<Uint8Array>, marker?: string): Promise<void> {
    const decoder = new TextDecoder();
    let seen = false;
    let resolveMarker: () => void = () => {};
    const found = new Promise<void>((r) => {
      resolveMarker = r;
    });
    void (async () => {
      const reader = stream.getReader();
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        for (const line of decoder.decode(chunk, { stream: true }).split('\n')) {
          if (line.trim()) this.output.push(line);
          if (marker && !seen && line.includes(marker)) {
            seen = true;
            resolveMarker();
          }
        }
        if (this.output.length > 2000) this.output.splice(0, 1000);
      }
    })();
    return marker ? found : Promise.resolve();
  }

  url(name: keyof DevStack['ports']) {
    return `http://127.0.0.1:${this.ports[name]}`;
  }

  async token(): Promise<string> {
    const child = Bun.spawn(
      [
        'bun',
        join(ROOT, 'scripts/dev.ts'),
        'token',
        'create',
        '--user',
        'agent@example.com',
        '--name',
        'bench',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, SPLIT_BRAIN_DATA_DIR: this.dataDir },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    );
    const token = (await new Response(child.stdout).text()).trim();
    if ((await child.exited) !== 0 || !token.startsWith('sbk_')) throw new Error('the token CLI failed');
    return token;
  }

  async stop() {
    this.proc.kill('SIGTERM');
    await Promise.race([this.proc.exited, Bun.sleep(5000)]);
    this.proc.kill('SIGKILL');
  }
}

async function auditSince(dataDir: string, since: string): Promise<AuditRecord[]> {
  const store = openStore(dataDir);
  // Audit lines are written just after each response; give the last one a moment.
  await Bun.sleep(500);
  const page = await store.audit.page({ limit: 200, filter: (r) => r.time >= since });
  return page.records.reverse();
}

/** A pass-through in front of the router that keeps the Messages requests the CLI sends, as sent. */
function recordingProxy(target: string) {
  const recorded: AnthropicMessagesRequest[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 255,
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === 'POST' ? await request.text() : undefined;
      if (body && url.pathname === '/v1/messages') {
        try {
          recorded.push(JSON.parse(body) as AnthropicMessagesRequest);
        } catch {}
      }
      const headers = new Headers(request.headers);
      headers.delete('host');
      headers.delete('content-length');
      return fetch(`${target}${url.pathname}${url.search}`, { method: request.method, headers, body });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, recorded, stop: () => server.stop(true) };
}

async function runCli(
  baseUrl: string,
  token: string,
  home: string,
  work: string,
  prompt: string,
  cont: boolean,
) {
  const started = performance.now();
  const child = Bun.spawn([CLAUDE_BIN, '-p', ...(cont ? ['--continue'] : []), prompt], {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      ANTHROPIC_BASE_URL: baseUrl,
      ANTHROPIC_API_KEY: token,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const timer = setTimeout(() => child.kill(), 180_000);
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);
  return { out, err, code, seconds: (performance.now() - started) / 1000 };
}

async function claudeCodeSteps(stack: DevStack, token: string, scratch: string) {
  const home = join(scratch, 'home');
  const work = join(scratch, 'project');
  await Bun.write(join(work, 'README.md'), '# A scratch project for the agent benchmark\n');
  await Bun.write(join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
  const plan: { prompt: string; expected: 'claude' | 'local'; cont: boolean }[] = [
    { prompt: 'hello', expected: 'claude', cont: false },
    { prompt: 'What is the Project Nightjar budget?', expected: 'local', cont: false },
    { prompt: 'And who leads its firmware?', expected: 'local', cont: true },
  ];
  const steps: CliStep[] = [];
  const proxy = recordingProxy(stack.url('router'));
  for (const step of plan) {
    const since = new Date().toISOString();
    log(`claude -p ${step.cont ? '--continue ' : ''}"${step.prompt}"`);
    const run = await runCli(proxy.url, token, home, work, step.prompt, step.cont);
    if (run.code !== 0) log(`the CLI exited with ${run.code}: ${(run.err || run.out).slice(-300)}`);
    const records = (await auditSince(stack.dataDir, since)).filter(
      (r) => r.route !== null || r.status >= 400,
    );
    const main = [...records].sort((a, b) => b.text.length - a.text.length)[0];
    steps.push({
      prompt: step.prompt,
      expected: step.expected,
      records: records.map((r) => ({
        route: r.route,
        reason: r.reason,
        clientModel: r.clientModel,
        score: r.score,
        latencyMs: r.latencyMs,
      })),
      route: main?.route ?? null,
      ok: run.code === 0 && main?.route === step.expected,
      seconds: run.seconds,
    });
  }
  await proxy.stop();
  // The agent's first request: the first one that carried its tools.
  const recorded = proxy.recorded.find((r) => (r.tools?.length ?? 0) > 0);
  return { steps, recorded };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Classification as the router does it: its client, its default budget and cache, the dev classifier. */
async function classificationTimes(classifierUrl: string, first: AnthropicMessagesRequest, runs: number) {
  const config = loadRouterConfig({
    CLASSIFIER_URL: classifierUrl,
    ANTHROPIC_API_KEY: 'x',
    SCALARLM_BASE_URL: 'http://x',
  });
  const pieces = (request: AnthropicMessagesRequest) => toPieces(extractAnthropicTexts(request));
  const newClient = () => {
    const cache = new ClassificationCache(config.classificationCache.size, config.classificationCache.ttlMs);
    return new ClassifierClient(
      config.classifier.url,
      { baseMs: config.classifier.timeoutMs, perKbMs: config.classifier.timeoutPerKbMs },
      cache,
    );
  };
  const firstPieces = pieces(first);
  const chars = firstPieces.reduce((n, p) => n + p.text.length, 0);
  const cold: number[] = [];
  let client = newClient();
  for (let i = 0; i < 3; i++) {
    client = newClient(); // a router pod that has never seen this agent
    const t0 = performance.now();
    await client.classify(firstPieces);
    cold.push(performance.now() - t0);
  }
  const followUps: number[] = [];
  for (let i = 0; i < runs; i++) {
    const next: AnthropicMessagesRequest = {
      ...first,
      messages: [
        ...first.messages,
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'Hello! What would you like to work on today?' }],
        },
        {
          role: 'user',
          content: [{ type: 'text', text: `Please look at issue ${1000 + i} and suggest a fix.` }],
        },
      ],
    };
    const p = pieces(next);
    const t0 = performance.now();
    await client.classify(p);
    followUps.push(performance.now() - t0);
  }
  return {
    pieces: firstPieces.length,
    chars,
    budgetMs: client.budgetMs(chars),
    cold,
    followUps,
  };
}

export async function runAgentBench(options: {
  cli: boolean;
  runs: number;
  /** Keep the recorded request in this file (outside the repository: it is Anthropic's text). */
  saveRequest?: string;
}): Promise<AgentBenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'sb-agent-bench-'));
  let stack: DevStack | undefined;
  const out: string[] = [];
  try {
    log('starting the dev stack (bun scripts/dev.ts, defaults; trains the demo head)');
    const t0 = performance.now();
    stack = await DevStack.start(join(scratch, 'data'));
    const startS = (performance.now() - t0) / 1000;
    out.push(`Dev stack started in ${startS.toFixed(0)} s (includes training the demo head).`, '');
    let recorded: AnthropicMessagesRequest | undefined;
    let cliOk = true;
    if (options.cli) {
      const install = Bun.spawn(['bash', join(ROOT, 'bench/tools/install-claude-code.sh')], {
        stdout: 'inherit',
        stderr: 'inherit',
      });
      if ((await install.exited) !== 0 || !(await Bun.file(CLAUDE_BIN).exists())) {
        out.push('_Claude Code could not be installed from npm; the CLI part was skipped._', '');
        cliOk = false;
      } else {
        const token = await stack.token();
        const result = await claudeCodeSteps(stack, token, scratch);
        recorded = result.recorded;
        if (recorded && options.saveRequest) await Bun.write(options.saveRequest, JSON.stringify(recorded));
        out.push('### Claude Code CLI through `bun run dev`', '');
        out.push(
          '| prompt | expected | main request went | requests the CLI made (route, reason, model, score) | CLI time |',
        );
        out.push('| --- | --- | --- | --- | ---: |');
        for (const s of result.steps) {
          cliOk &&= s.ok;
          const made = s.records
            .map(
              (r) =>
                `${r.route ?? 'refused'} ${r.reason.split(' (')[0]} ${r.clientModel ?? ''} ${r.score === null ? '' : r.score.toFixed(2)}`,
            )
            .join('; ');
          out.push(
            `| ${s.prompt} | ${s.expected} | ${s.ok ? '' : '**'}${s.route ?? 'none'}${s.ok ? '' : '**'} | ${made} | ${s.seconds.toFixed(1)} s |`,
          );
        }
        out.push('');
      }
    }
    const source = recorded
      ? "Claude Code's own first request, recorded in this run as the CLI sent it"
      : "the project's Claude-Code-shaped fixture (apps/router/src/fixtures/agent-request.ts)";
    const first = recorded ?? agentFirstRequest();
    log('timing classification of the first request (cold) and of follow-ups');
    const t = await classificationTimes(stack.url('classifier'), first, options.runs);
    out.push('### Classification of an agent request', '');
    out.push(
      `Request: ${source}; ${t.pieces} pieces, ${(t.chars / 1024).toFixed(0)} KB of text; the router's default budget for it is ${t.budgetMs} ms ` +
        `(CLASSIFIER_TIMEOUT_MS + CLASSIFIER_TIMEOUT_PER_KB_MS per KB). Measured with the router's classifier client, default cache, against the dev stack's classifier (MiniLM q8, demo head).`,
      '',
    );
    out.push('| | runs | p50 | max |', '| --- | ---: | ---: | ---: |');
    out.push(
      `| first request, cold cache | ${t.cold.length} | ${percentile(t.cold, 50).toFixed(0)} ms | ${Math.max(...t.cold).toFixed(0)} ms |`,
    );
    out.push(
      `| follow-up (same system and tools, one new turn) | ${t.followUps.length} | ${percentile(t.followUps, 50).toFixed(1)} ms | ${Math.max(...t.followUps).toFixed(1)} ms |`,
    );
    out.push('');
    out.push(
      `Machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end (other work on the machine slows the cold figure in proportion).`,
    );
    const ok = cliOk && percentile(t.cold, 50) < t.budgetMs;
    return {
      status: ok ? 'measured' : 'failed',
      ...(ok ? {} : { reason: 'see the table' }),
      markdown: out.join('\n'),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'failed', reason: message, markdown: `${out.join('\n')}\n\n_Failed: ${message}_` };
  } finally {
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      'no-cli': { type: 'boolean', default: false },
      runs: { type: 'string', default: '30' },
      json: { type: 'string' },
      'save-request': { type: 'string' },
    },
  });
  const result = await runAgentBench({
    cli: !values['no-cli'],
    runs: Number(values.runs),
    saveRequest: values['save-request'],
  });
  console.log(result.markdown);
  if (values.json) await Bun.write(values.json, JSON.stringify(result, null, 2));
  process.exit(result.status === 'measured' ? 0 : 1);
}
