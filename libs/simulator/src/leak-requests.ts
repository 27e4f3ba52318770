/**
 * Generated client requests for leak tests (the router's property test and the reliability suite): valid
 * Anthropic Messages and OpenAI Chat Completions requests that fill every field of the current request
 * types, with a codeword planted at one random string position in one random disguise. A router keeps
 * its promise when the Claude side never receives the codeword, read decoded and normalised
 * (`claudeSideHolds`).
 */
import { normalizeForMatching } from '@split-brain/keywords';

export type LeakDialect = 'anthropic' | 'openai';

export const DISGUISES = [
  'raw',
  'json-escaped',
  'nfd',
  'zero-width-split',
  'fullwidth',
  'line-broken',
  'split-across-parts',
  'look-alike',
] as const;
export type Disguise = (typeof DISGUISES)[number];

export interface LeakCase {
  dialect: LeakDialect;
  path: string;
  /** The body as sent (text, so escapes and duplicate keys survive). */
  body: string;
  headers: Record<string, string>;
  /** The codeword planted, undisguised. */
  codeword: string;
  /** Where it was planted, e.g. `messages[2].content[1](tool_result).content[0].text`. */
  position: string;
  disguise: Disguise;
  /** The router must refuse this body (duplicate keys). */
  expectRefusal: boolean;
}

/** A small deterministic PRNG (mulberry32-like), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** What a position is: free text (any disguise), a string read as JSON (arguments), or a text part. */
type Slot = 'text' | 'json' | 'part' | 'slug';

interface Builder {
  /** A free string at a named position; returns it with the codeword planted when chosen. */
  s(position: string, base: string, slot?: Slot): string;
  /** Adjacent text parts at a position: two parts, the codeword split across them when chosen. */
  parts(position: string, base: string): [string, string];
  /** An unknown key's name at a position. */
  key(position: string): string;
  random: () => number;
}

const FULLWIDTH_OFFSET = 0xff21 - 0x41;
const LOOK_ALIKES: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  P: 'Р',
  C: 'С',
};

function disguise(codeword: string, how: Disguise, random: () => number): string {
  switch (how) {
    case 'nfd':
      return codeword.replace(/[aeiou]/g, (v) => `${v}\u0308`).normalize('NFD');
    case 'zero-width-split': {
      const at = 1 + Math.floor(random() * (codeword.length - 1));
      const mark = ['\u200B', '\u00AD', '\u2060', '\u200D'][Math.floor(random() * 4)] ?? '\u200B';
      return `${codeword.slice(0, at)}${mark}${codeword.slice(at)}`;
    }
    case 'fullwidth':
      return [...codeword]
        .map((c) => (/[A-Za-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + FULLWIDTH_OFFSET) : c))
        .map((c) => (c === ' ' ? '\u3000' : c))
        .join('');
    case 'line-broken':
      return codeword.includes(' ') ? codeword.replace(/ /g, random() < 0.5 ? '\n' : '\r\n') : codeword;
    case 'look-alike':
      return [...codeword].map((c) => LOOK_ALIKES[c] ?? c).join('');
    default:
      return codeword;
  }
}

/** JSON `\uXXXX` escapes of every character, `depth` times escaped (2 for JSON inside a JSON string). */
function escaped(text: string, depth: number): string {
  const once = [...text]
    .map((c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''))
    .join('');
  return depth === 1 ? once : once.replace(/\\/g, '\\\\');
}

const TOOL_ID = 'toolu_01A2b3C4d5E6f7G8h9';
const SIGNATURE = 'EqQBCkgIARABGAIiQL2Vx3Zf6cWl0s5dU0pP7yQ==';

/** Every field of an Anthropic Messages request, free strings named by position. */
function anthropicBody(b: Builder, stream: boolean, tag = ''): Record<string, unknown> {
  const [partA, partB] = b.parts('messages[0].content[text+text]', `Compare the two drafts${tag}`);
  return {
    model: b.s('model', 'claude-sonnet-4-6', 'slug'),
    max_tokens: 2048,
    stream,
    system: [
      {
        type: 'text',
        text: b.s('system[0].text', 'You are a careful assistant.'),
        cache_control: { type: 'ephemeral' },
      },
      {
        type: 'text',
        text: b.s('system[1].text', 'Answer briefly.'),
        [b.key('system[1]{unknown}')]: b.s('system[1].unknown', 'x'),
      },
    ],
    messages: [
      {
        role: 'user',
        [b.key('messages[0]{unknown}')]: b.s('messages[0].unknown', 'note'),
        content: [
          { type: 'text', text: partA },
          { type: 'text', text: partB, cache_control: { type: 'ephemeral', ttl: '5m' } },
          {
            type: 'text',
            text: b.s('messages[0].content[2].text', 'See the cited passage.'),
            citations: [
              {
                type: 'char_location',
                cited_text: b.s('citations[0].cited_text', 'the passage'),
                document_index: 0,
                document_title: b.s('citations[0].document_title', 'Notes'),
                start_char_index: 0,
                end_char_index: 10,
              },
            ],
          },
          {
            type: 'document',
            source: {
              type: 'text',
              media_type: 'text/plain',
              data: b.s('document(text).source.data', 'Minutes of the meeting.'),
            },
            title: b.s('document.title', 'Minutes'),
            context: b.s('document.context', 'From the archive'),
            citations: { enabled: true },
          },
          {
            type: 'document',
            source: {
              type: 'content',
              content: [{ type: 'text', text: b.s('document(content).content[0].text', 'First page.') }],
            },
          },
          {
            type: 'search_result',
            source: b.s('search_result.source', 'https://example.com/a'),
            title: b.s('search_result.title', 'A result'),
            content: [{ type: 'text', text: b.s('search_result.content[0].text', 'Result text.') }],
            citations: { enabled: true },
          },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'thinking',
            thinking: b.s('thinking.thinking', 'Let me think.'),
            signature: b.s('thinking.signature', SIGNATURE, 'slug'),
          },
          { type: 'redacted_thinking', data: b.s('redacted_thinking.data', 'RWRhY3RlZA==', 'slug') },
          { type: 'text', text: b.s('messages[1].text', 'I will look it up.') },
          {
            type: 'server_tool_use',
            id: 'srvtoolu_01',
            name: 'web_search',
            input: { query: b.s('server_tool_use.input.query', 'tide tables') },
          },
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_01',
            content: [
              {
                type: 'web_search_result',
                url: b.s('web_search_result.url', 'https://example.com/tides'),
                title: b.s('web_search_result.title', 'Tides'),
                encrypted_content: b.s('web_search_result.encrypted_content', 'ZW5j', 'slug'),
                page_age: b.s('web_search_result.page_age', 'April 2025'),
              },
            ],
          },
          {
            type: 'tool_use',
            id: b.s('tool_use.id', TOOL_ID, 'slug'),
            name: 'lookup',
            input: {
              query: b.s('tool_use.input.query', 'record 12'),
              nested: {
                list: [b.s('tool_use.input.nested.list[0]', 'alpha')],
                [b.key('tool_use.input{unknown}')]: 1,
              },
            },
            [b.key('tool_use{unknown}')]: b.s('tool_use.unknown', 'y'),
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: b.s('tool_use.id', TOOL_ID, 'slug'),
            is_error: false,
            content: [
              { type: 'text', text: b.s('tool_result.content[0].text', 'record: nothing of note') },
              {
                type: 'search_result',
                source: b.s('tool_result.search_result.source', 'kb://doc'),
                title: b.s('tool_result.search_result.title', 'KB'),
                content: [
                  { type: 'text', text: b.s('tool_result.search_result.content[0].text', 'kb text') },
                ],
              },
              {
                type: 'document',
                source: {
                  type: 'text',
                  media_type: 'text/plain',
                  data: b.s('tool_result.document.data', 'attached'),
                },
              },
            ],
          },
          { type: 'text', text: b.s('messages[2].text', 'Thanks, continue.') },
        ],
      },
    ],
    stop_sequences: [b.s('stop_sequences[0]', 'END')],
    temperature: 0.5,
    top_k: 40,
    metadata: { user_id: b.s('metadata.user_id', 'user-123') },
    tools: [
      {
        name: 'lookup',
        description: b.s('tools[0].description', 'Look a record up'),
        input_schema: {
          type: 'object',
          properties: {
            query: {
              type: 'string',
              description: b.s('tools[0].input_schema.query.description', 'what to find'),
            },
            [b.key('tools[0].input_schema.properties{name}')]: {
              type: 'string',
              enum: [b.s('tools[0].enum[0]', 'fast')],
            },
          },
          required: ['query'],
        },
        input_examples: [{ query: b.s('tools[0].input_examples[0].query', 'record 1') }],
        cache_control: { type: 'ephemeral' },
        strict: true,
      },
      {
        type: 'web_search_20250305',
        name: 'web_search',
        max_uses: 3,
        allowed_domains: [b.s('web_search.allowed_domains[0]', 'example.com')],
        user_location: {
          type: 'approximate',
          city: b.s('web_search.user_location.city', 'Oslo'),
          country: 'NO',
        },
      },
    ],
    tool_choice: { type: 'auto', disable_parallel_tool_use: false },
    thinking: { type: 'enabled', budget_tokens: 1024 },
    service_tier: 'auto',
    container: b.s('container', 'container_011', 'slug'),
    mcp_servers: [
      {
        type: 'url',
        url: b.s('mcp_servers[0].url', 'https://mcp.example.com/sse'),
        name: b.s('mcp_servers[0].name', 'kb'),
        authorization_token: b.s('mcp_servers[0].authorization_token', 'tok', 'slug'),
        tool_configuration: {
          enabled: true,
          allowed_tools: [b.s('mcp_servers[0].allowed_tools[0]', 'search')],
        },
      },
    ],
    output_format: {
      type: 'json_schema',
      schema: {
        type: 'object',
        properties: {
          answer: { type: 'string', description: b.s('output_format.schema.description', 'the answer') },
        },
      },
    },
    output_config: { effort: 'medium' },
    cache_control: { type: 'ephemeral' },
    inference_geo: b.s('inference_geo', 'eu', 'slug'),
    speed: b.s('speed', 'standard', 'slug'),
    user_profile_id: b.s('user_profile_id', 'profile_1', 'slug'),
    fallbacks: [{ model: b.s('fallbacks[0].model', 'claude-haiku-4-5', 'slug') }],
    diagnostics: { note: b.s('diagnostics.note', 'trace') },
    context_management: {
      edits: [
        {
          type: 'clear_tool_uses_20250919',
          exclude_tools: [b.s('context_management.exclude_tools[0]', 'lookup')],
        },
      ],
    },
    [b.key('{unknown top-level}')]: { deep: [b.s('unknown.deep[0]', 'z')] },
  };
}

/** Every field of an OpenAI Chat Completions request, free strings named by position. */
function openaiBody(b: Builder, stream: boolean, tag = ''): Record<string, unknown> {
  const [partA, partB] = b.parts('messages[1].content[text+text]', `Compare the two drafts${tag}`);
  return {
    model: b.s('model', 'claude-sonnet-4-6', 'slug'),
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    messages: [
      {
        role: 'developer',
        content: [{ type: 'text', text: b.s('developer.content[0].text', 'Be careful.') }],
      },
      {
        role: 'user',
        name: b.s('user.name', 'alice', 'slug'),
        content: [
          { type: 'text', text: partA },
          { type: 'text', text: partB },
          {
            type: 'text',
            text: b.s('user.content[2].text', 'Thanks.'),
            [b.key('user.content[2]{unknown}')]: 1,
          },
        ],
      },
      {
        role: 'assistant',
        content: b.s('assistant.content', 'Let me check.'),
        reasoning_content: b.s('assistant.reasoning_content', 'thinking'),
        refusal: null,
        tool_calls: [
          {
            id: b.s('tool_calls[0].id', 'call_abc123', 'slug'),
            type: 'function',
            function: {
              name: 'lookup',
              arguments: b.s('tool_calls[0].function.arguments', '{"query":"record 12"}', 'json'),
            },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: b.s('tool_calls[0].id', 'call_abc123', 'slug'),
        content: [{ type: 'text', text: b.s('tool.content[0].text', 'record: nothing of note') }],
      },
      { role: 'system', content: b.s('system.content', 'Answer briefly.'), [b.key('system{unknown}')]: 'v' },
      { role: 'function', name: 'legacy', content: b.s('function.content', 'legacy result') },
      { role: 'user', content: b.s('user2.content', 'Continue please.') },
    ],
    max_completion_tokens: 256,
    temperature: 0.7,
    top_p: 0.9,
    stop: [b.s('stop[0]', 'END')],
    n: 1,
    seed: 7,
    presence_penalty: 0,
    frequency_penalty: 0,
    logit_bias: { '50256': -100 },
    logprobs: false,
    user: b.s('user', 'user-123'),
    safety_identifier: b.s('safety_identifier', 'sid'),
    prompt_cache_key: b.s('prompt_cache_key', 'pck'),
    metadata: { note: b.s('metadata.note', 'm') },
    store: false,
    service_tier: 'auto',
    verbosity: 'low',
    reasoning_effort: 'low',
    modalities: ['text'],
    prediction: { type: 'content', content: b.s('prediction.content', 'predicted') },
    web_search_options: {
      user_location: { type: 'approximate', approximate: { city: b.s('web_search_options.city', 'Oslo') } },
    },
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'answer',
        schema: { type: 'object', description: b.s('response_format.schema.description', 'x') },
      },
    },
    tools: [
      {
        type: 'function',
        function: {
          name: 'lookup',
          description: b.s('tools[0].function.description', 'Look a record up'),
          parameters: {
            type: 'object',
            properties: {
              query: {
                type: 'string',
                description: b.s('tools[0].parameters.query.description', 'what to find'),
              },
              [b.key('tools[0].parameters.properties{name}')]: { type: 'string' },
            },
          },
          strict: false,
        },
      },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    max_tokens: 256,
    top_logprobs: 0,
    audio: { voice: b.s('audio.voice', 'alloy', 'slug'), format: 'wav' },
    functions: [{ name: 'legacy', description: b.s('functions[0].description', 'an old-style function') }],
    function_call: 'auto',
    [b.key('{unknown top-level}')]: b.s('unknown top-level value', 'z'),
  };
}

/** Positions for opaque content: the request must go local (or be refused), whatever is in it. */
const OPAQUE_POSITIONS: Record<LeakDialect, string[]> = {
  anthropic: ['image(url)', 'image(base64 text/plain)', 'document(url)', 'document(pdf)', 'document(file)'],
  openai: ['image_url(data text/plain)', 'image_url(https)', 'input_audio', 'file(pdf)', 'file(id)'],
};

/** A one-page PDF whose text layer says `text` (pdf.js reads it back). */
export function tinyPdf(text: string): string {
  const safe = text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const stream = `BT /F1 12 Tf 20 100 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1').toString('base64');
}

function opaqueBlock(dialect: LeakDialect, position: string, hidden: string): unknown {
  const b64 = (t: string) => Buffer.from(t).toString('base64');
  if (dialect === 'anthropic') {
    switch (position) {
      case 'image(url)':
        return {
          type: 'image',
          source: { type: 'url', url: `https://example.com/${encodeURIComponent(hidden)}.png` },
        };
      case 'image(base64 text/plain)':
        return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(hidden) } };
      case 'document(url)':
        return {
          type: 'document',
          source: { type: 'url', url: `https://example.com/${encodeURIComponent(hidden)}.pdf` },
        };
      case 'document(pdf)':
        return {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: tinyPdf(hidden) },
        };
      default:
        return { type: 'document', source: { type: 'file', file_id: `file_${b64(hidden)}` } };
    }
  }
  switch (position) {
    case 'image_url(data text/plain)':
      return { type: 'image_url', image_url: { url: `data:text/plain;base64,${b64(hidden)}` } };
    case 'image_url(https)':
      return {
        type: 'image_url',
        image_url: { url: `https://example.com/${encodeURIComponent(hidden)}.png` },
      };
    case 'input_audio':
      return { type: 'input_audio', input_audio: { data: b64(hidden), format: 'wav' } };
    case 'file(pdf)':
      return {
        type: 'file',
        file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${tinyPdf(hidden)}` },
      };
    default:
      return { type: 'file', file: { file_id: `file-${b64(hidden).slice(0, 20)}` } };
  }
}

const RECORDING: Builder['s'] = (_p, base) => base;

/** Every position a dialect's request offers (free strings, parts, unknown keys, opaque, header, query). */
export function leakPositions(dialect: LeakDialect): string[] {
  const positions = new Set<string>();
  const b: Builder = {
    s: (p, base) => {
      positions.add(p);
      return RECORDING(p, base);
    },
    parts: (p, base) => {
      positions.add(p);
      return [`${base} `, 'please'];
    },
    key: (p) => {
      positions.add(p);
      return `x_extra_${positions.size}`;
    },
    random: Math.random,
  };
  if (dialect === 'anthropic') anthropicBody(b, false);
  else openaiBody(b, false);
  for (const p of OPAQUE_POSITIONS[dialect]) positions.add(p);
  if (dialect === 'anthropic') {
    positions.add('header anthropic-beta');
    positions.add('query string');
  }
  positions.add('duplicate key');
  return [...positions];
}

const PLACEHOLDER = '\u0001PLANT\u0001';

/** One generated request with the codeword at a random position in a random disguise. */
export function leakCase(
  seed: number,
  codewords: readonly string[],
  options: { public?: boolean } = {},
): LeakCase {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const dialect: LeakDialect = random() < 0.5 ? 'anthropic' : 'openai';
  const stream = random() < 0.3;
  const position = options.public ? 'none' : pick(leakPositions(dialect));
  let how: Disguise = pick(DISGUISES);
  const structural =
    position.startsWith('header') ||
    position === 'query string' ||
    OPAQUE_POSITIONS[dialect].includes(position);
  if (structural || options.public) how = 'raw';
  let codeword = pick(codewords);
  if (how === 'line-broken' && !codeword.includes(' '))
    codeword = codewords.find((c) => c.includes(' ')) ?? codeword;
  const isParts = position.endsWith('[text+text]');
  if (how === 'split-across-parts' && !isParts) how = 'raw';
  if (isParts && how !== 'split-across-parts' && random() < 0.6) how = 'split-across-parts';
  const slugged = `${codeword.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const shown = how === 'json-escaped' ? PLACEHOLDER : disguise(codeword, how, random);
  let escapeDepth = 1;
  let unknownKeys = 0;
  // Each case its own conversation, so one case's session taint does not decide another's route.
  const tag = ` (case ${seed})`;
  const b: Builder = {
    s: (p, base, slot = 'text') => {
      if (p !== position) return slot === 'text' ? `${base}${tag}` : base;
      if (slot === 'slug') {
        if (how !== 'json-escaped') how = 'raw';
        return `${base}-${how === 'json-escaped' ? PLACEHOLDER : slugged}`;
      }
      if (slot === 'json') {
        escapeDepth = 2;
        return JSON.stringify({ query: `record ${shown}` });
      }
      return `${base} ${shown} here`;
    },
    parts: (p, base) => {
      if (p !== position) return [`${base} `, 'please'];
      if (how === 'split-across-parts') {
        const at = 1 + Math.floor(random() * (codeword.length - 1));
        return [`${base} ${codeword.slice(0, at)}`, `${codeword.slice(at)} please`];
      }
      return [`${base} ${shown} `, 'please'];
    },
    key: (p) => (p === position ? `note ${shown}` : `x_extra_${++unknownKeys}`),
    random,
  };
  const value = dialect === 'anthropic' ? anthropicBody(b, stream, tag) : openaiBody(b, stream, tag);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let path = dialect === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  if (dialect === 'anthropic') {
    headers['anthropic-version'] = '2023-06-01';
    headers['anthropic-beta'] =
      position === 'header anthropic-beta'
        ? `interleaved-thinking-2025-05-14,${slugged}-2025-01-01`
        : 'interleaved-thinking-2025-05-14';
    if (position === 'query string') path += `?beta=true&note=${encodeURIComponent(codeword)}`;
  }
  if (OPAQUE_POSITIONS[dialect].includes(position)) {
    const messages = value.messages as { role: string; content: unknown }[];
    const last = messages.at(-1) as { content: unknown };
    const content =
      typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : (last.content as unknown[]);
    last.content = [...content, opaqueBlock(dialect, position, `${codeword} figures`)];
  }
  let body = JSON.stringify(value);
  const expectRefusal = position === 'duplicate key';
  if (expectRefusal) {
    // The classifier-visible copy says nothing; a second copy of the same key carries the codeword.
    const key = dialect === 'anthropic' ? '"text"' : '"content"';
    const at = body.indexOf(`${key}:"Answer briefly.`);
    const end = body.indexOf('"', at + key.length + 2) + 1;
    const planted = `${key}:${JSON.stringify(`${shown} figures`)}`;
    body =
      random() < 0.5
        ? `${body.slice(0, at)}${planted},${body.slice(at)}`
        : `${body.slice(0, end)},${planted}${body.slice(end)}`;
  }
  if (how === 'json-escaped') {
    const once = JSON.stringify(PLACEHOLDER).slice(1, -1);
    // One placeholder per case, at escape depth 1 (a string) or 2 (JSON text inside a string).
    body = body
      .split(escapeDepth === 2 ? once.replace(/\\/g, '\\\\') : once)
      .join(escaped(codeword, escapeDepth));
  }
  return { dialect, path, body, headers, codeword, position, disguise: how, expectRefusal };
}

/** Whether the generator put the codeword where a reader of the body's value sees it (the witness's control). */
export function plantedInValue(c: LeakCase): boolean {
  return claudeSideHolds(JSON.parse(c.body), c.codeword);
}

/** Whether a logged Claude-side request holds the codeword anywhere: body, header values or query. */
export function loggedRequestHolds(
  logged: { body: unknown; headers?: Record<string, string>; query?: string },
  codeword: string,
): boolean {
  let query = logged.query ?? '';
  try {
    query = decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {}
  return (
    claudeSideHolds(logged.body, codeword) ||
    claudeSideHolds([Object.values(logged.headers ?? {}), query], codeword)
  );
}

/**
 * Whether what the Claude side logged holds the codeword: every string in the logged body (keys too),
 * decoded, the adjacent text parts of each content list also read joined, all normalised the way the
 * keyword classifier normalises.
 */
export function claudeSideHolds(loggedBody: unknown, codeword: string): boolean {
  const needle = normalizeForMatching(codeword).trim();
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') {
      strings.push(value);
      // A string that is itself JSON (tool arguments) is read decoded too.
      if (/^[[{]/.test(value)) {
        try {
          walk(JSON.parse(value));
        } catch {}
      }
    } else if (Array.isArray(value)) {
      const texts = value
        .filter((v) => v && typeof v === 'object' && typeof v.text === 'string')
        .map((v) => v.text);
      if (texts.length > 1) strings.push(texts.join(''));
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        strings.push(k);
        walk(v);
      }
    }
  };
  walk(typeof loggedBody === 'string' ? loggedBody : loggedBody);
  if (typeof loggedBody === 'string') strings.push(loggedBody);
  return strings.some((s) => normalizeForMatching(s).includes(needle));
}
