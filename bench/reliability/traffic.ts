/**
 * Well-formed client traffic for the reliability suite: conversations in both dialects, streamed or
 * not, some carrying proprietary text (a keyword the classifier matches), each with its own request id
 * so its audit record can be found. Every request is bounded by a client timeout.
 */
import type { Dialect } from '../lib/workload.ts';

/** The keyword that marks proprietary text; it must never reach the Claude side. */
export const PROPRIETARY_KEYWORD = 'project nightjar';
/** What proprietary turns contain, searched for in what the Claude side received. */
export const PROPRIETARY_MARK = 'NIGHTJAR';

export interface TrafficRequest {
  id: string;
  dialect: Dialect;
  stream: boolean;
  proprietary: boolean;
  token: string;
}

export interface TrafficOutcome extends TrafficRequest {
  status: number;
  route: string | null;
  /** Transport failure or client timeout, when there was no HTTP answer. */
  error?: string;
}

let counter = 0;
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function conversation(
  id: string,
  proprietary: boolean,
): { system: string; turns: { role: string; content: string }[] } {
  const secret = `The Project Nightjar launch budget is 7.3 million and the NIGHTJAR supplier is Orrin Ltd (${id}).`;
  const turns = [
    { role: 'user', content: `Help me plan a team offsite for twelve people in spring (${id}).` },
    // Unique per conversation too: a shared answer would let session taint link every conversation.
    {
      role: 'assistant',
      content: `Happy to help with offsite ${id}. What budget and which city do you have in mind?`,
    },
    {
      role: 'user',
      content: proprietary
        ? `Before that: ${secret} Draft a note to finance.`
        : 'Somewhere near the coast, modest budget.',
    },
  ];
  return { system: 'You are a helpful planning assistant.', turns };
}

export function bodyFor(request: TrafficRequest): string {
  const { system, turns } = conversation(request.id, request.proprietary);
  if (request.dialect === 'anthropic') {
    return JSON.stringify({
      model: 'claude-sonnet-4-6',
      system,
      messages: turns,
      max_tokens: 64,
      stream: request.stream,
    });
  }
  return JSON.stringify({
    model: 'claude-sonnet-4-6',
    messages: [{ role: 'system', content: system }, ...turns],
    max_tokens: 64,
    stream: request.stream,
  });
}

export function headersFor(request: TrafficRequest): Record<string, string> {
  const base = { 'content-type': 'application/json', 'x-request-id': request.id };
  return request.dialect === 'anthropic'
    ? { ...base, 'x-api-key': request.token, 'anthropic-version': '2023-06-01' }
    : { ...base, authorization: `Bearer ${request.token}` };
}

export async function send(
  routerUrl: string,
  request: TrafficRequest,
  timeoutMs = 20_000,
): Promise<TrafficOutcome> {
  const path = request.dialect === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  try {
    const response = await fetch(`${routerUrl}${path}`, {
      method: 'POST',
      headers: headersFor(request),
      body: bodyFor(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer(); // read the whole answer or stream, as a client would
    return { ...request, status: response.status, route: response.headers.get('x-split-brain-route') };
  } catch (error) {
    return { ...request, status: 0, route: null, error: error instanceof Error ? error.name : String(error) };
  }
}

/** A mixed request: half streamed, both dialects, one in `proprietaryShare` proprietary. */
export function mixedRequest(prefix: string, token: string, proprietaryShare = 0.3): TrafficRequest {
  return {
    id: nextId(prefix),
    dialect: Math.random() < 0.5 ? 'anthropic' : 'openai',
    stream: Math.random() < 0.5,
    proprietary: Math.random() < proprietaryShare,
    token,
  };
}

/** Sends `count` requests (or until `untilMs`) with `concurrency` in flight; returns every outcome. */
export async function drive(
  routerUrl: string,
  make: () => TrafficRequest,
  options: { concurrency: number; count?: number; untilMs?: number; timeoutMs?: number },
): Promise<TrafficOutcome[]> {
  const outcomes: TrafficOutcome[] = [];
  let sent = 0;
  const more = (): boolean =>
    (options.count === undefined || sent < options.count) &&
    (options.untilMs === undefined || Date.now() < options.untilMs);
  const worker = async (): Promise<void> => {
    while (more()) {
      sent += 1;
      outcomes.push(await send(routerUrl, make(), options.timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}
