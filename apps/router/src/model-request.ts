import type { RouterConfig } from '@split-brain/config';
import type { Logger } from '@split-brain/http';
import type { AuditRecord, Route, Store } from '@split-brain/store';
import {
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  type ExtractedText,
  joinTexts,
  type OpenAIChatRequest,
  type Usage,
  validateAnthropicCountTokensRequest,
  validateAnthropicMessagesRequest,
  validateOpenAIChatRequest,
  WireError,
} from '@split-brain/wire';
import { type AuditRecorder, auditText, auditUsage } from './audit-recorder.ts';
import { AuthenticationFailed, type Authenticator, type Caller } from './auth.ts';
import { asWireError, type Dialect, dialectError } from './dialect.ts';
import type { LocalModels } from './local-models.ts';
import { checkModelAllowed, claudeModelFor, localModelFor } from './model-choice.ts';
import type { QuotaGate, Reservation } from './quota.ts';
import { type RelayOutcome, relay } from './relay.ts';
import { readJsonRequest } from './request-body.ts';
import type { RouterMetrics } from './router-metrics.ts';
import { FailClosedRefusal, type RouteDecision, type RoutingPolicy } from './routing-decision.ts';
import { sentTexts } from './sent-texts.ts';
import { answerKey, assistantTurnsOf, conversationKeys } from './session-taint.ts';
import { toPieces } from './text-pieces.ts';
import { estimateTokens } from './token-estimate.ts';
import {
  type ClaudeCandidate,
  claudeFromAnthropic,
  claudeFromOpenAI,
  scalarlmFromAnthropic,
  scalarlmFromOpenAI,
  type UpstreamRequest,
} from './upstream-request.ts';

export interface RouterDeps {
  config: RouterConfig;
  store: Store;
  auth: Authenticator;
  policy: RoutingPolicy;
  quota: QuotaGate;
  localModels: LocalModels;
  audit: AuditRecorder;
  metrics: RouterMetrics;
  logger: Logger;
  inflight: { count: number };
  /** The opaque per-user id Anthropic sees in metadata.user_id (user-id.ts). */
  opaqueUserId: (user: string) => string;
  /** How upstream requests are sent (default: the platform's fetch). */
  fetchImpl?: typeof fetch;
}

export type Endpoint = 'chat' | 'messages' | 'count_tokens';

/** Used to size a reservation when an OpenAI client set no max_tokens. */
const DEFAULT_MAX_TOKENS = 4096;

/** What is known about a request so far; becomes its audit line. */
interface Draft {
  caller: Caller | undefined;
  stream: boolean;
  clientModel: string | null;
  decision: RouteDecision | undefined;
  backendModel: string | null;
  texts: ExtractedText[];
  /** Why a request was refused after parsing (e.g. fail-closed refusal). */
  refusal?: string;
}

/**
 * One model request, start to finish, in stages: admit (in-flight cap, auth), read and validate the body,
 * build the outgoing Claude request as a value, classify what that value holds, decide, reserve quota,
 * relay (the Claude value itself, or the local request), and — once the response has completed, failed or
 * been abandoned — record: settlement, metrics and one audit line.
 */
export async function handleModelRequest(
  deps: RouterDeps,
  endpoint: Endpoint,
  request: Request,
  requestId: string,
): Promise<Response> {
  const startedAt = performance.now();
  const time = new Date().toISOString();
  const dialect: Dialect = endpoint === 'chat' ? 'openai' : 'anthropic';
  const { config, metrics } = deps;
  const draft: Draft = {
    caller: undefined,
    stream: false,
    clientModel: null,
    decision: undefined,
    backendModel: null,
    texts: [],
  };
  let reservation: Reservation | undefined;
  let counted = false;

  const finalize = (outcome: RelayOutcome) => {
    if (counted) deps.inflight.count--;
    metrics.inflightNow.set(deps.inflight.count);
    const route = draft.decision?.route ?? null;
    if (reservation) deps.quota.settle(reservation, outcome.usage, { interrupted: outcome.interrupted });
    const latencyMs = performance.now() - startedAt;
    const series = metrics.requestSeries(route ?? 'none', dialect);
    series.status(outcome.status).inc();
    series.latency.observe(latencyMs / 1000);
    if (outcome.ttfbMs !== null) series.ttfb.observe(outcome.ttfbMs / 1000);
    if (outcome.usage && route) countTokens(metrics, route, outcome.usage);
    const d = draft.decision;
    const record: AuditRecord = {
      v: 1,
      id: requestId,
      time,
      pod: config.podName,
      user: draft.caller?.user ?? '',
      tokenId: draft.caller?.tokenId ?? null,
      dialect,
      stream: draft.stream,
      clientModel: draft.clientModel,
      route,
      backendModel: draft.backendModel,
      score: d?.score ?? null,
      threshold: d?.threshold ?? deps.store.settings.get().classifierThreshold ?? config.classifier.threshold,
      keywords: d?.keywords ?? [],
      headVersion: d?.headVersion ?? null,
      reason: draft.refusal ?? reasonFor(endpoint, d, outcome),
      status: outcome.status,
      latencyMs,
      ttfbMs: outcome.ttfbMs,
      usage: auditUsage(outcome.usage),
      ...auditText(joinTexts(draft.texts)),
      ...(d?.pieces ? { pieces: d.pieces } : {}),
    };
    if (outcome.error) record.error = outcome.error.slice(0, 1000);
    deps.audit.record(record);
  };

  const refuse = (error: WireError, headers: Record<string, string> = {}) => {
    const response = dialectError(error, dialect, requestId, { ...routeHeaders(draft), ...headers });
    finalize({
      status: response.status,
      usage: null,
      interrupted: false,
      error: error.message,
      ttfbMs: null,
    });
    return response;
  };

  if (deps.inflight.count >= config.maxInflight) {
    metrics.rejected.inc({ reason: 'max-inflight' });
    return refuse(
      new WireError(
        429,
        'rate_limit',
        `the router is at its limit of ${config.maxInflight} requests in flight; retry shortly`,
      ),
      { 'retry-after': '1' },
    );
  }
  deps.inflight.count++;
  counted = true;
  metrics.inflightNow.set(deps.inflight.count);

  try {
    const caller = await deps.auth.authenticate(request.headers);
    draft.caller = caller;
    // Read and validate.
    const body = await readJsonRequest(request, config.maxBodyBytes);
    const parsed = validate(endpoint, body.json);
    draft.clientModel = parsed.model;
    draft.stream = endpoint !== 'count_tokens' && (parsed as { stream?: boolean | null }).stream === true;
    checkModelAllowed(parsed.model, deps.localModels);

    // Build the request Claude would get, then classify exactly what it holds.
    const claudeModel = claudeModelFor(parsed.model, deps.store.settings.get(), config.anthropic.model);
    const candidate = claudeCandidate(deps, endpoint, dialect, parsed, request, claudeModel, caller.user);
    const sent = await sentTexts(candidate, dialect === 'openai' ? (parsed as OpenAIChatRequest) : undefined);
    draft.texts = sent.texts;
    if (sent.opaque.length > 0 && config.opaqueContent === 'refuse') {
      draft.refusal = 'opaque-content refused';
      throw opaqueRefusal(sent.opaque);
    }
    const pieces = toPieces(sent.texts);
    const decision = await deps.policy.decide({
      pieces,
      opaque: sent.opaque,
      taintKeys: conversationKeys(
        caller.user,
        pieces,
        request.headers.get('x-claude-code-session-id') ?? undefined,
        assistantTurnsOf(candidate.body),
      ),
      askedLocal: request.headers.get('x-split-brain-route')?.trim().toLowerCase() === 'local',
    });
    draft.decision = decision;
    draft.backendModel =
      decision.route === 'claude' ? claudeModel : await localModelFor(parsed.model, deps.localModels);

    if (endpoint === 'count_tokens' && decision.route === 'local') {
      // Counting a proprietary conversation must not show it to Claude: the local estimate answers instead.
      const inputTokens = estimateTokens(joinTexts(draft.texts));
      finalize({ status: 200, usage: null, interrupted: false, ttfbMs: performance.now() - startedAt });
      return new Response(JSON.stringify({ input_tokens: inputTokens }), {
        status: 200,
        headers: { 'content-type': 'application/json', ...routeHeaders(draft, requestId) },
      });
    }

    // Reserve.
    if (endpoint !== 'count_tokens') {
      const maxTokens = maxTokensOf(dialect, parsed);
      const estimate = estimateTokens(body.text) + maxTokens;
      reservation = await deps.quota.reserve(caller.user, requestId, decision.route, estimate);
    }

    // Relay: the classified value itself to Claude, or the local request to ScalarLM.
    const upstream: UpstreamRequest =
      decision.route === 'claude'
        ? candidate
        : localRequest(
            deps,
            dialect,
            capMaxTokens(dialect, parsed, localMaxTokens(deps, draft.backendModel, body.text)),
            draft.backendModel,
          );
    return await relay({
      upstream,
      clientDialect: dialect,
      stream: draft.stream,
      rawJson: endpoint === 'count_tokens',
      includeUsage:
        dialect === 'openai' && (parsed as OpenAIChatRequest).stream_options?.include_usage === true,
      requestId,
      headers: routeHeaders(draft, requestId),
      timeoutMs: config.upstreamTimeoutMs,
      clientSignal: request.signal,
      startedAt,
      brainName: decision.route === 'claude' ? 'Claude' : 'the local brain (ScalarLM)',
      ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
      finish: finalize,
      onUpstreamStatus: (status) => {
        if (decision.route === 'local' && status === 404) deps.localModels.invalidate();
      },
      // The local brain's answer belongs to the conversation it answered: a follow-up that keeps only the
      // answer must stay local too.
      ...(decision.route === 'local'
        ? {
            onAnswer: (answer: string) => {
              const key = answerKey(caller.user, answer);
              if (key) deps.policy.taintAnswer(key);
            },
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof AuthenticationFailed && error.caller) draft.caller = error.caller;
    if (error instanceof FailClosedRefusal) draft.refusal = 'classifier-unavailable refused';
    if (!(error instanceof WireError)) {
      deps.logger.error('request failed', {
        requestId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    } else if (error.status === 401) metrics.rejected.inc({ reason: 'auth' });
    else if (error.status === 429) metrics.rejected.inc({ reason: 'quota' });
    const wire = asWireError(error);
    return refuse(wire, wire.status === 429 ? { 'retry-after': String(secondsToUtcMidnight()) } : {});
  }
}

function validate(endpoint: Endpoint, json: unknown) {
  const result =
    endpoint === 'chat'
      ? validateOpenAIChatRequest(json)
      : endpoint === 'messages'
        ? validateAnthropicMessagesRequest(json)
        : validateAnthropicCountTokensRequest(json);
  if (!result.ok) throw result.error;
  return result.value;
}

function maxTokensOf(dialect: Dialect, request: OpenAIChatRequest | AnthropicCountTokensRequest): number {
  if (dialect === 'anthropic') return (request as AnthropicMessagesRequest).max_tokens;
  const r = request as OpenAIChatRequest;
  return r.max_completion_tokens ?? r.max_tokens ?? DEFAULT_MAX_TOKENS;
}

/**
 * The most output tokens the local model can give this request: its context length (ScalarLM's /v1/models
 * `max_model_len`) less the prompt, estimated generously, or SCALARLM_MAX_TOKENS when no length is reported.
 * Agents ask for 32k-64k tokens by habit; forwarded unchanged, ScalarLM refuses the request outright.
 */
function localMaxTokens(deps: RouterDeps, model: string, bodyText: string): number {
  const context = deps.localModels.contextLength(model);
  if (context === undefined) return deps.config.scalarlm.maxTokens;
  return Math.max(1, context - Math.ceil(estimateTokens(bodyText) * 1.25));
}

function capMaxTokens(
  dialect: Dialect,
  request: OpenAIChatRequest | AnthropicCountTokensRequest,
  cap: number,
): OpenAIChatRequest | AnthropicCountTokensRequest {
  if (dialect === 'anthropic') {
    const r = request as AnthropicMessagesRequest;
    return r.max_tokens > cap ? { ...r, max_tokens: cap } : r;
  }
  const r = request as OpenAIChatRequest;
  return {
    ...r,
    ...(r.max_tokens != null && r.max_tokens > cap ? { max_tokens: cap } : {}),
    ...(r.max_completion_tokens != null && r.max_completion_tokens > cap
      ? { max_completion_tokens: cap }
      : {}),
  };
}

/** The request Claude would get, as a value: built before the decision so the classifier reads it. */
function claudeCandidate(
  deps: RouterDeps,
  endpoint: Endpoint,
  dialect: Dialect,
  request: OpenAIChatRequest | AnthropicCountTokensRequest,
  client: Request,
  model: string,
  user: string,
): ClaudeCandidate {
  const { config } = deps;
  const userId = deps.opaqueUserId(user);
  if (dialect === 'openai') return claudeFromOpenAI(config, request as OpenAIChatRequest, model, userId);
  const path = endpoint === 'count_tokens' ? '/v1/messages/count_tokens' : '/v1/messages';
  return claudeFromAnthropic(
    config,
    request as AnthropicCountTokensRequest,
    client.headers,
    searchOf(client.url),
    model,
    path,
    userId,
  );
}

/** The request for the local brain (trusted: it is not classified again). */
function localRequest(
  deps: RouterDeps,
  dialect: Dialect,
  request: OpenAIChatRequest | AnthropicCountTokensRequest,
  model: string,
): UpstreamRequest {
  return dialect === 'openai'
    ? scalarlmFromOpenAI(deps.config, request as OpenAIChatRequest, model)
    : scalarlmFromAnthropic(deps.config, request as AnthropicMessagesRequest, model);
}

function opaqueRefusal(opaque: readonly string[]) {
  return new WireError(
    400,
    'invalid_request',
    `this gateway does not accept content its privacy classifier cannot read (OPAQUE_CONTENT=refuse): ${opaque.slice(0, 3).join('; ')}${opaque.length > 3 ? `; and ${opaque.length - 3} more` : ''}. Send text, or a PDF with a text layer`,
  );
}

/** A request URL's query string as `URL.search` gives it ('' when none or empty), without a URL parse. */
function searchOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 || at === url.length - 1 ? '' : url.slice(at);
}

function routeHeaders(draft: Draft, requestId?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (requestId) headers['x-request-id'] = requestId;
  if (draft.decision) {
    headers['x-split-brain-route'] = draft.decision.route;
    headers['x-split-brain-score'] = draft.decision.score === null ? 'none' : draft.decision.score.toFixed(4);
  }
  return headers;
}

function reasonFor(endpoint: Endpoint, decision: RouteDecision | undefined, outcome: RelayOutcome): string {
  const base = decision ? decision.reason : 'refused-before-routing';
  const parts = [base];
  if (endpoint === 'count_tokens') parts.push('count-tokens');
  if (outcome.interrupted && outcome.status === 200) parts.push('interrupted');
  if (decision?.classifierProblem) parts.push(`(${decision.classifierProblem})`);
  return parts.join(' ');
}

function countTokens(metrics: RouterMetrics, brain: Route, usage: Usage) {
  const input = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
  metrics.tokensBy[brain].input.inc(input);
  metrics.tokensBy[brain].output.inc(usage.outputTokens);
}

function secondsToUtcMidnight(now = Date.now()): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((next.getTime() - now) / 1000));
}
