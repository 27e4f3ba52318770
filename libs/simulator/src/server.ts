/**
 * The upstream simulator: one Bun server, both dialects. ScalarLM's OpenAI side answers
 * /v1/chat/completions, Anthropic's side /v1/messages and /v1/messages/count_tokens; /v1/models
 * answers in the Anthropic shape when the request carries anthropic-version or x-api-key, else in
 * vLLM's. Admin endpoints under /_sim/ let other processes' tests drive it.
 */
import type { Server } from 'bun';
import { z } from 'zod';
import {
  anthropicModel,
  anthropicModelList,
  anthropicRequestId,
  handleAnthropicCountTokens,
  handleAnthropicMessages,
} from './anthropic-side.ts';
import { handleOpenAIChat, openaiModelList } from './openai-side.ts';
import { HangRegistry } from './paced-stream.ts';
import {
  defaultProfile,
  type Fault,
  faultSchema,
  type Profile,
  type ProfilePatch,
  profilePatchSchema,
  type SimDialect,
} from './profile.ts';
import { type LoggedRequest, loggableHeaders, RequestLog } from './request-log.ts';
import type { RequestNote, SideContext } from './side-context.ts';

export interface SimulatorOptions {
  port?: number;
  hostname?: string;
  /** Initial profile for both sides (merged over the defaults). */
  profile?: ProfilePatch;
  openai?: ProfilePatch;
  anthropic?: ProfilePatch;
}

export interface Simulator {
  url: string;
  port: number;
  /** Requests received so far, oldest first. */
  requests(filter?: { dialect?: SimDialect; since?: number }): LoggedRequest[];
  clearRequests(): void;
  profile(dialect: SimDialect): Profile;
  /** Patches one side's profile, or both when no dialect is given. */
  setProfile(patch: ProfilePatch, dialect?: SimDialect): void;
  setFault(fault: Fault | null, dialect?: SimDialect): void;
  /** Back to the start-up profiles, no faults, empty log. */
  reset(): void;
  stop(): Promise<void>;
}

const dialects: SimDialect[] = ['openai', 'anthropic'];

const json = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

const adminPatchSchema = profilePatchSchema.extend({ dialect: z.enum(['openai', 'anthropic']).optional() });
const adminFaultSchema = z.object({
  fault: faultSchema.nullable(),
  dialect: z.enum(['openai', 'anthropic']).optional(),
});

export function startSimulator(options: SimulatorOptions = {}): Simulator {
  const initial = (dialect: SimDialect): Profile =>
    ({ ...defaultProfile(dialect), ...options.profile, ...options[dialect] }) as Profile;
  const profiles: Record<SimDialect, Profile> = {
    openai: initial('openai'),
    anthropic: initial('anthropic'),
  };
  const log = new RequestLog();
  const hangs = new HangRegistry();

  const targets = (dialect?: SimDialect): SimDialect[] => (dialect ? [dialect] : dialects);
  const setProfile = (patch: ProfilePatch, dialect?: SimDialect): void => {
    const clean = profilePatchSchema.parse(patch);
    for (const side of targets(dialect)) profiles[side] = { ...profiles[side], ...clean } as Profile;
  };
  const setFault = (fault: Fault | null, dialect?: SimDialect): void => {
    const clean = fault === null ? null : faultSchema.parse(fault);
    for (const side of targets(dialect))
      profiles[side] = { ...profiles[side], fault: clean ? { ...clean } : null };
  };

  /** The fault for this request; a fault with `times` is used up after that many requests. */
  const takeFault = (dialect: SimDialect): Fault | null => {
    const fault = profiles[dialect].fault;
    if (!fault) return null;
    if (fault.times !== undefined) {
      const left = fault.times - 1;
      profiles[dialect] = { ...profiles[dialect], fault: left > 0 ? { ...fault, times: left } : null };
    }
    return fault;
  };

  const handle = async (
    request: Request,
    dialect: SimDialect,
    path: string,
    handler: (request: Request, ctx: SideContext) => Promise<Response>,
  ): Promise<Response> => {
    const profile = profiles[dialect];
    const note: RequestNote = { body: undefined, texts: [], stream: false };
    const ctx: SideContext = { profile, fault: takeFault(dialect), hangs, signal: request.signal, note };
    const headers = profile.recordRequests ? loggableHeaders(request.headers) : {};
    let response: Response;
    try {
      response = await handler(request, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response = json({ detail: `simulator error: ${message}` }, 500);
    }
    if (profile.recordRequests) {
      const logged = log.add({
        dialect,
        method: request.method,
        path,
        query: new URL(request.url).search,
        headers,
        body: note.body,
        texts: note.texts,
        stream: note.stream,
        status: response.status,
      });
      // Lets tests prove that a proxy in front aborted its upstream call when its own client went away.
      if (request.signal.aborted) logged.aborted = true;
      else request.signal.addEventListener('abort', () => (logged.aborted = true), { once: true });
    }
    return response;
  };

  const isAnthropicClient = (request: Request): boolean =>
    request.headers.has('anthropic-version') || request.headers.has('x-api-key');

  const admin = async (request: Request, url: URL): Promise<Response> => {
    const path = url.pathname;
    if (path === '/_sim/requests' && request.method === 'GET') {
      const dialect = url.searchParams.get('dialect');
      const since = url.searchParams.get('since');
      const filter: { dialect?: SimDialect; since?: number } = {};
      if (dialect === 'openai' || dialect === 'anthropic') filter.dialect = dialect;
      if (since !== null && Number.isFinite(Number(since))) filter.since = Number(since);
      return json({ requests: log.list(filter) });
    }
    if (path === '/_sim/requests' && request.method === 'DELETE') {
      log.clear();
      return json({ ok: true });
    }
    if (path === '/_sim/profile' && request.method === 'GET') return json(profiles);
    if (path === '/_sim/reset' && request.method === 'POST') {
      simulator.reset();
      return json({ ok: true });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return json({ error: 'body must be JSON' }, 400);
    }
    if (path === '/_sim/profile' && request.method === 'POST') {
      const parsed = adminPatchSchema.safeParse(body);
      if (!parsed.success) return json({ error: z.prettifyError(parsed.error) }, 400);
      const { dialect, ...patch } = parsed.data;
      setProfile(patch, dialect);
      return json(profiles);
    }
    if (path === '/_sim/fault' && request.method === 'POST') {
      const parsed = adminFaultSchema.safeParse(body);
      if (!parsed.success) return json({ error: z.prettifyError(parsed.error) }, 400);
      setFault(parsed.data.fault, parsed.data.dialect);
      return json(profiles);
    }
    return json({ error: `no admin route ${request.method} ${path}` }, 404);
  };

  const server: Server<undefined> = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? '127.0.0.1',
    idleTimeout: 0, // hang faults and slow profiles must not be cut by the server itself
    fetch: async (request) => {
      const url = new URL(request.url);
      const path = url.pathname;
      const method = request.method;
      if (method === 'POST' && path === '/v1/chat/completions')
        return handle(request, 'openai', path, handleOpenAIChat);
      if (method === 'POST' && path === '/v1/messages')
        return handle(request, 'anthropic', path, handleAnthropicMessages);
      if (method === 'POST' && path === '/v1/messages/count_tokens') {
        return handle(request, 'anthropic', path, handleAnthropicCountTokens);
      }
      if (method === 'GET' && path === '/v1/models') {
        return isAnthropicClient(request)
          ? new Response(JSON.stringify(anthropicModelList(profiles.anthropic, url)), {
              headers: { 'content-type': 'application/json', 'request-id': anthropicRequestId() },
            })
          : json(openaiModelList(profiles.openai));
      }
      if (method === 'GET' && path.startsWith('/v1/models/')) {
        const id = decodeURIComponent(path.slice('/v1/models/'.length));
        if (isAnthropicClient(request)) return anthropicModel(profiles.anthropic, id, anthropicRequestId());
        const found = (openaiModelList(profiles.openai) as { data: { id: string }[] }).data.find(
          (model) => model.id === id,
        );
        return found ? json(found) : json({ detail: `Model ${id} not found` }, 404);
      }
      if (path.startsWith('/_sim/')) return admin(request, url);
      if (method === 'GET' && path === '/v1/health') return json({ api: 'up', vllm: 'up', all: 'up' });
      if ((method === 'HEAD' || method === 'GET') && (path === '/' || path === '/api/hello'))
        return new Response(null);
      return json({ detail: 'Not Found' }, 404);
    },
  });

  const port = server.port ?? 0;
  const simulator: Simulator = {
    url: `http://${server.hostname}:${port}`,
    port,
    requests: (filter) => log.list(filter),
    clearRequests: () => log.clear(),
    profile: (dialect) => profiles[dialect],
    setProfile,
    setFault,
    reset: () => {
      profiles.openai = initial('openai');
      profiles.anthropic = initial('anthropic');
      log.clear();
      hangs.releaseAll();
    },
    stop: async () => {
      hangs.releaseAll();
      await server.stop(true);
    },
  };
  return simulator;
}
