/**
 * A fuzzer of malformed and hostile requests. Every case is invalid by construction, so every answer
 * must be a 4xx, and where the path names a dialect, the error must be in that dialect's shape
 * (Anthropic: {type:"error", error:{type, message}}; OpenAI: {error:{message, type}}). A few cases
 * go over a raw socket, because fetch refuses to send broken HTTP.
 */
import { connect } from 'node:net';
import type { Dialect } from '../lib/workload.ts';

export interface FuzzCase {
  family: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** The dialect whose error shape is expected, or null for any 4xx (unknown paths). */
  dialect: Dialect | null;
}

export interface RawCase {
  family: string;
  bytes: string;
}

/** A tiny deterministic generator, so a failing case can be reproduced from the seed. */
function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const valid = (dialect: Dialect): Record<string, unknown> =>
  dialect === 'anthropic'
    ? { model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] }
    : { model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] };

const pathOf = (dialect: Dialect): string =>
  dialect === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';

function authHeaders(dialect: Dialect, token: string): Record<string, string> {
  return dialect === 'anthropic'
    ? { 'x-api-key': token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }
    : { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

function nest(depth: number, leaf: string): string {
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

/** Body mutations that make a request invalid in both dialects. */
const bodyMutations: ((
  random: () => number,
  dialect: Dialect,
) => { family: string; body: string | Uint8Array })[] = [
  (r, d) => {
    const text = JSON.stringify(valid(d));
    return {
      family: 'bad json: truncated',
      body: text.slice(0, Math.max(1, Math.floor(r() * (text.length - 1)))),
    };
  },
  (r, d) => ({
    family: 'bad json: trailing garbage',
    body: `${JSON.stringify(valid(d))}${pick(r, ['}', ',', 'x', '{]'])}`,
  }),
  (r) => ({
    family: 'bad json: not an object',
    body: pick(r, ['', 'null', '[]', '"text"', '42', 'true', '{', 'NaN']),
  }),
  (r, d) => ({
    family: 'wrong type: model',
    body: JSON.stringify({ ...valid(d), model: pick(r, [42, null, [], {}, true]) }),
  }),
  (r, d) => ({
    family: 'wrong type: messages',
    body: JSON.stringify({ ...valid(d), messages: pick(r, ['hello', 42, null, {}, [42], [null], ['hi']]) }),
  }),
  (r, d) => ({
    family: 'wrong type: role',
    body: JSON.stringify({
      ...valid(d),
      messages: [{ role: pick(r, [5, null, 'wizard', 'USER', '', 'tool_result']), content: 'x' }],
    }),
  }),
  (r, d) => ({
    family: 'wrong type: content',
    body: JSON.stringify({
      ...valid(d),
      messages: [{ role: 'user', content: pick(r, [42, null, true, { text: 1 }, [42], [{ type: 'nope' }]]) }],
    }),
  }),
  (r, d) => ({
    family: 'wrong type: max_tokens',
    // null is a valid max_tokens in the OpenAI dialect (no limit), so it is only sent as Anthropic.
    body: JSON.stringify({
      ...valid(d),
      max_tokens: pick(r, d === 'anthropic' ? ['32', -1, 1.5, null, [], 1e30] : ['32', -1, 1.5, [], 1e30]),
    }),
  }),
  (r, d) => ({
    family: 'wrong type: stream',
    body: JSON.stringify({ ...valid(d), stream: pick(r, ['yes', 1, {}, [true]]) }),
  }),
  (_r, d) => ({ family: 'missing: messages', body: JSON.stringify({ ...valid(d), messages: undefined }) }),
  (_r, d) => ({ family: 'empty messages', body: JSON.stringify({ ...valid(d), messages: [] }) }),
  (_r, d) => ({ family: 'missing: model', body: JSON.stringify({ ...valid(d), model: undefined }) }),
  (r, d) => ({
    family: 'huge field: model name',
    body: JSON.stringify({ ...valid(d), model: 'gpt-'.padEnd(20_000 + Math.floor(r() * 80_000), 'x') }),
  }),
  (r) => ({
    family: 'deep nesting',
    body: `{"model":"claude-sonnet-4-6","max_tokens":32,"messages":${nest(2000 + Math.floor(r() * 8000), '1')}}`,
  }),
  (r) => {
    const depth = 3000 + Math.floor(r() * 3000);
    const content = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return {
      family: 'deep nesting: object',
      body: `{"model":"claude-sonnet-4-6","max_tokens":32,"messages":[{"role":"user","content":${content}}]}`,
    };
  },
  (r, d) => {
    const text = JSON.stringify(valid(d));
    const at = text.indexOf('hello') + 2;
    const bad = pick(r, [
      [0xff],
      [0xfe, 0xff],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0x80],
    ]);
    const bytes = new Uint8Array([...Buffer.from(text.slice(0, at)), ...bad, ...Buffer.from(text.slice(at))]);
    return { family: 'invalid utf-8', body: bytes };
  },
];

export function fuzzCases(count: number, token: string, seed = 1): FuzzCase[] {
  const random = rng(seed);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const dialect: Dialect = random() < 0.5 ? 'anthropic' : 'openai';
    const roll = random();
    if (roll < 0.7) {
      const { family, body } = pick(random, bodyMutations)(random, dialect);
      cases.push({ family, path: pathOf(dialect), headers: authHeaders(dialect, token), body, dialect });
    } else if (roll < 0.88) {
      // Header abuse on an otherwise valid request: credentials that must be refused.
      const badToken = pick(random, [
        'sbk_',
        `${token}x`,
        token.slice(0, -1),
        `sbk_${'a'.repeat(8000)}`,
        'Bearer Bearer',
        `${token.toUpperCase()}`,
        ' ',
      ]);
      const headers: Record<string, string> =
        dialect === 'anthropic'
          ? { 'x-api-key': badToken, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }
          : {
              authorization: pick(random, [`Bearer ${badToken}`, `Basic ${badToken}`, badToken, 'Bearer']),
              'content-type': 'application/json',
            };
      cases.push({
        family: 'header abuse: credentials',
        path: pathOf(dialect),
        headers,
        body: JSON.stringify(valid(dialect)),
        dialect,
      });
    } else {
      const path = pick(random, [
        '/v1/messages/../../etc/passwd',
        '/v1/%2e%2e/%2e%2e/etc/passwd',
        '/v1/messages%00',
        '/v1//messages',
        '/V1/MESSAGES',
        '/v1/chat/completions/extra',
        `/v1/${'a'.repeat(4000)}`,
        '/v1/messages%2f..%2fmodels',
        '/admin',
        '/v2/messages',
        '/.env',
      ]);
      cases.push({
        family: 'path tricks',
        path,
        headers: authHeaders(dialect, token),
        body: JSON.stringify(valid(dialect)),
        dialect: null,
      });
    }
  }
  return cases;
}

/** Broken HTTP that only a raw socket can send; the server must answer 4xx (or close) and keep serving. */
export function rawCases(token: string): RawCase[] {
  const host = 'Host: 127.0.0.1\r\n';
  const body = JSON.stringify(valid('anthropic'));
  return [
    { family: 'raw: garbage request line', bytes: 'GARBAGE\r\n\r\n' },
    {
      family: 'raw: header without colon',
      bytes: `POST /v1/messages HTTP/1.1\r\n${host}x-api-key ${token}\r\n\r\n`,
    },
    {
      family: 'raw: NUL in header',
      bytes: `POST /v1/messages HTTP/1.1\r\n${host}x-api-key: sbk_\u0000abc\r\ncontent-length: 2\r\n\r\n{}`,
    },
    {
      family: 'raw: huge header',
      bytes: `POST /v1/messages HTTP/1.1\r\n${host}x-junk: ${'a'.repeat(200_000)}\r\n\r\n`,
    },
    {
      family: 'raw: content-length lies',
      bytes: `POST /v1/messages HTTP/1.1\r\n${host}x-api-key: ${token}\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n${body}`,
    },
    {
      family: 'raw: bad chunked encoding',
      bytes: `POST /v1/messages HTTP/1.1\r\n${host}x-api-key: ${token}\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    },
  ];
}

export interface FuzzVerdict {
  family: string;
  ok: boolean;
  status: number;
  problem?: string;
}

function dialectShapeProblem(dialect: Dialect | null, text: string): string | undefined {
  if (dialect === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `error body is not JSON: ${text.slice(0, 80)}`;
  }
  const o = json as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  if (dialect === 'anthropic') {
    if (o.type !== 'error' || typeof o.error?.type !== 'string' || typeof o.error?.message !== 'string') {
      return `not an Anthropic error: ${text.slice(0, 120)}`;
    }
  } else if (typeof o.error?.message !== 'string' || o.error?.type === undefined) {
    return `not an OpenAI error: ${text.slice(0, 120)}`;
  }
  return undefined;
}

export async function sendFuzz(routerUrl: string, fuzz: FuzzCase): Promise<FuzzVerdict> {
  try {
    const response = await fetch(`${routerUrl}${fuzz.path}`, {
      method: 'POST',
      headers: fuzz.headers,
      body: typeof fuzz.body === 'string' ? fuzz.body : new Blob([fuzz.body as Uint8Array<ArrayBuffer>]),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (response.status < 400 || response.status > 499) {
      return {
        family: fuzz.family,
        ok: false,
        status: response.status,
        problem: `status ${response.status}: ${text.slice(0, 120)}`,
      };
    }
    const problem = dialectShapeProblem(fuzz.dialect, text);
    return { family: fuzz.family, ok: problem === undefined, status: response.status, problem };
  } catch (error) {
    return {
      family: fuzz.family,
      ok: false,
      status: 0,
      problem: `no answer: ${error instanceof Error ? error.message : error}`,
    };
  }
}

export function sendRaw(port: number, raw: RawCase): Promise<FuzzVerdict> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = (): void => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0);
      // Closing the connection without an answer is also a refusal for broken HTTP.
      const ok = status === 0 ? received === '' : status >= 400 && status < 500;
      resolve({
        family: raw.family,
        ok,
        status,
        problem: ok ? undefined : `answered ${received.slice(0, 80)}`,
      });
    };
    const timer = setTimeout(finish, 5000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (/\r\n\r\n/.test(received)) {
        clearTimeout(timer);
        finish();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      finish();
    });
    socket.write(raw.bytes);
  });
}
