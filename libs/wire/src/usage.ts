/**
 * Token usage in one neutral shape, with Anthropic's split (uncached input + cache reads + cache
 * writes). OpenAI's `prompt_tokens` is the sum of the three; its `cached_tokens` are cache reads.
 */
import type { AnthropicUsage } from './anthropic-schema.ts';
import type { OpenAIUsage } from './openai-schema.ts';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
}

/** Every input token the model read, cached or not: what a quota should charge for input. */
export function totalInputTokens(usage: Usage): number {
  return usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;
}

export function usageFromOpenAI(usage: OpenAIUsage): Usage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, usage.prompt_tokens - cached),
    outputTokens: usage.completion_tokens,
    cacheReadInputTokens: cached,
    cacheCreationInputTokens: 0,
  };
}

export function usageFromAnthropic(usage: Partial<AnthropicUsage>): Usage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
    cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
  };
}

export function usageToOpenAI(usage: Usage): OpenAIUsage {
  const prompt = totalInputTokens(usage);
  const out: OpenAIUsage = {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
  };
  if (usage.cacheReadInputTokens > 0)
    out.prompt_tokens_details = { cached_tokens: usage.cacheReadInputTokens };
  return out;
}

export function usageToAnthropic(usage: Usage): AnthropicUsage {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
  };
}
