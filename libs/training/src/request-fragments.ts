/**
 * Short pieces of API requests that the router classifies on their own (see docs/router.md, "Not classified"):
 * model names, tool-call and message ids, thinking signatures, stop reasons and sequences, setting values,
 * tool names, bare numbers and one-word replies. They carry no one's facts, but a head that never saw
 * anything like them can score them anywhere: one trained on the Harbourline evaluation set scored the model
 * name `claude-sonnet-4-6` 0.92 and "yes" 0.98, so every request of that deployment went local. Every training
 * run with employee questions adds these as public examples (generated here, deterministic, no third-party
 * text).
 */
import { seededRandom } from './cross-validation.ts';

const MODEL_FAMILIES = [
  'claude-opus-4-1',
  'claude-opus-4-5',
  'claude-sonnet-4-5',
  'claude-sonnet-4-6',
  'claude-haiku-4-5',
  'claude-3-7-sonnet',
  'claude-3-5-haiku',
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5',
  'gpt-5-mini',
  'o3',
  'o4-mini',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'llama-3.1-8b-instruct',
  'llama-3.3-70b-instruct',
  'mistral-large',
  'qwen2.5-7b-instruct',
  'deepseek-chat',
  'deepseek-reasoner',
];
const MODEL_SUFFIXES = ['', '-latest', '-20250929', '-20251001', '-20260115', '-2024-08-06', '-preview'];

const WORDS = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  '\n\nHuman:',
  '\n\nAssistant:',
  '###',
  '</s>',
  '<|im_end|>',
  '<|endoftext|>',
  'END',
  'auto',
  'any',
  'none',
  'required',
  'low',
  'medium',
  'high',
  'minimal',
  'enabled',
  'disabled',
  'ephemeral',
  'json_object',
  'json_schema',
  'text',
  'default',
  'standard_only',
  'web_search_20250305',
  'code_execution_20250522',
  'computer_20250124',
  'text_editor_20250728',
  'bash_20250124',
  'Bash',
  'Read',
  'Write',
  'Edit',
  'MultiEdit',
  'Glob',
  'Grep',
  'LS',
  'Task',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'NotebookEdit',
  'ExitPlanMode',
  'BashOutput',
  'KillShell',
  'get_weather',
  'search_docs',
  'run_query',
  'lookup_order',
  'send_email',
  'read_file',
  'list_files',
  'create_ticket',
];

const REPLIES = [
  'yes',
  'no',
  'ok',
  'OK',
  'okay',
  'sure',
  'y',
  'n',
  'yes please',
  'no thanks',
  'thanks',
  'thank you',
  'thanks!',
  'continue',
  'go on',
  'go ahead',
  'proceed',
  'next',
  'done',
  'stop',
  'retry',
  'try again',
  'again',
  'more',
  'shorter',
  'longer',
  'why?',
  'how?',
  'and?',
  'what else?',
  'really?',
  'explain',
  'explain more',
  'do it',
  'looks good',
  'lgtm',
  'LGTM',
  'ship it',
  'sounds good',
  'perfect',
  'great',
  'correct',
  "that's right",
  'wrong',
  'not quite',
  'hmm',
  'hi',
  'hello',
  'hey',
  '?',
  '👍',
  'fix it',
  'run the tests',
  'commit',
  'undo',
  'option 2',
  'the first one',
  'both',
  'neither',
  'in English please',
  'summarise',
  'translate',
  'as a table',
  'in bullet points',
];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const BASE64 = `${BASE62}+/`;

/** The fragments, in a fixed order (the same on every run). */
export function requestFragments(): string[] {
  const random = seededRandom(20261202);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const out = new Set<string>();
  for (const family of MODEL_FAMILIES) for (const suffix of MODEL_SUFFIXES) out.add(`${family}${suffix}`);
  for (let i = 0; i < 25; i++) {
    out.add(`toolu_01${pick(BASE62, 22)}`);
    out.add(`call_${pick(BASE62, 24)}`);
    out.add(`msg_01${pick(BASE62, 22)}`);
    out.add(`req_${pick(BASE62, 24)}`);
    out.add(`chatcmpl-${pick(BASE62, 29)}`);
    out.add(`sb-user-${pick(HEX, 32)}`);
    out.add(
      `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-${'89ab'[Math.floor(random() * 4)]}${pick(HEX, 3)}-${pick(HEX, 12)}`,
    );
    out.add(pick(HEX, 40));
    out.add(`${pick(BASE64, 40 + Math.floor(random() * 200))}==`);
  }
  for (const word of WORDS) out.add(word);
  for (const reply of REPLIES) out.add(reply);
  for (let n = 0; n <= 40; n++) out.add(String(n));
  for (let year = 1990; year <= 2035; year++) out.add(String(year));
  for (let i = 0; i < 60; i++) {
    const magnitude = 10 ** (1 + Math.floor(random() * 6));
    const n = Math.floor(random() * magnitude);
    out.add(String(n));
    out.add(`${(random() * 100).toFixed(1)}`);
    out.add(`${Math.floor(random() * 100)}%`);
  }
  return [...out];
}
