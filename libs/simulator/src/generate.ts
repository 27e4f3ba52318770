/**
 * Deterministic "model output" for the simulator: the same input always yields the same answer,
 * derived from a hash of every text the request carries. Cheap on purpose: the simulator is also the
 * floor of the benchmarks, so no per-request work beyond hashing and a small word loop.
 */
import { sampleFromSchema } from './schema-sample.ts';

const words = (
  'the of and a to in is you that it he was for on are as with his they at be this have from or one had by ' +
  'word but not what all were we when your can said there use an each which she do how their if will up other ' +
  'about out many then them these so some her would make like him into time has look two more write go see number'
).split(' ');

export interface ToolSpec {
  name: string;
  schema: unknown;
}

export interface GenerateInput {
  model: string;
  /** All request text joined; the seed of the output. */
  seedText: string;
  maxTokens: number;
  stopSequences: string[];
  tools: ToolSpec[];
  /** Set when the request forces a tool call: any tool, or the named one. */
  forcedTool: { mode: 'any' } | { mode: 'tool'; name: string } | undefined;
  /** How many tools to call when forced to use "any" tool (parallel tool calls). */
  parallelToolCalls: number;
  thinking: boolean;
  outputTokens: number;
  /** A JSON Schema the answer must follow (OpenAI `response_format: json_schema`, vLLM guided decoding). */
  responseSchema?: unknown;
}

export interface GeneratedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface Generated {
  reasoning: string;
  /** Output text split into the pieces a stream sends one at a time. */
  pieces: string[];
  text: string;
  toolCalls: GeneratedToolCall[];
  stop: 'end' | 'max_tokens' | 'stop_sequence' | 'tool';
  stopSequence: string | null;
  inputTokens: number;
  outputTokens: number;
  seed: number;
}

export function hashText(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** Rough token estimate (4 characters per token), also used for count_tokens. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function wordsFrom(seed: number, count: number): string[] {
  const out: string[] = [];
  let state = seed || 1;
  for (let i = 0; i < count; i++) {
    state = Math.imul(state ^ (state >>> 15), 2246822507) + i;
    state ^= state >>> 13;
    const word = words[(state >>> 0) % words.length] ?? 'word';
    out.push(i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : ` ${word}`);
  }
  return out;
}

export function generate(input: GenerateInput): Generated {
  const seed = hashText(`${input.model}\n${input.seedText}`);
  const inputTokens = estimateTokens(input.seedText);
  const hex = seed.toString(16).padStart(8, '0');
  if (input.forcedTool && input.tools.length > 0) {
    const forced = input.forcedTool;
    const chosen =
      forced.mode === 'tool'
        ? input.tools.filter((tool) => tool.name === forced.name)
        : input.tools.slice(0, Math.max(1, input.parallelToolCalls));
    const toolCalls = chosen.map((tool, i) => ({
      id: `${hex}${i.toString().padStart(4, '0')}`,
      name: tool.name,
      arguments: JSON.stringify(sampleFromSchema(tool.schema, seed + i)),
    }));
    const outputTokens = toolCalls.reduce((sum, call) => sum + estimateTokens(call.arguments), 0);
    return {
      reasoning: '',
      pieces: [],
      text: '',
      toolCalls,
      stop: 'tool',
      stopSequence: null,
      inputTokens,
      outputTokens,
      seed,
    };
  }
  if (input.responseSchema !== undefined) {
    // Guided decoding: the whole answer is one JSON value that fits the schema.
    const text = JSON.stringify(sampleFromSchema(input.responseSchema, seed));
    return {
      reasoning: '',
      pieces: [text],
      text,
      toolCalls: [],
      stop: 'end',
      stopSequence: null,
      inputTokens,
      outputTokens: estimateTokens(text),
      seed,
    };
  }
  const budget = Math.max(0, Math.min(input.maxTokens, input.outputTokens));
  const reasoning = input.thinking ? `Thinking about it:${wordsFrom(seed ^ 0x5bd1e995, 8).join('')}.` : '';
  const candidates = wordsFrom(seed, budget);
  const pieces: string[] = [];
  let text = '';
  let stop: Generated['stop'] = input.maxTokens <= input.outputTokens ? 'max_tokens' : 'end';
  let stopSequence: string | null = null;
  for (const piece of candidates) {
    const next = text + piece;
    const hit = input.stopSequences.find((stopText) => stopText !== '' && next.includes(stopText));
    if (hit !== undefined) {
      const cut = next.indexOf(hit);
      const rest = next.slice(text.length, cut);
      if (rest) pieces.push(rest);
      text = next.slice(0, cut);
      stop = 'stop_sequence';
      stopSequence = hit;
      break;
    }
    pieces.push(piece);
    text = next;
  }
  return {
    reasoning,
    pieces,
    text,
    toolCalls: [],
    stop,
    stopSequence,
    inputTokens,
    outputTokens: pieces.length + (reasoning ? estimateTokens(reasoning) : 0),
    seed,
  };
}
