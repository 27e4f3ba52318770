/**
 * What the classifier must read before a body goes to Claude: every string in the outgoing Anthropic
 * request value, decoded (JSON escapes are gone once a body is a value), object keys included, except a
 * short allow-list of structural values the router constrains (docs/router.md lists it). The router builds
 * the outgoing value first, walks it here, and serialises exactly that value: a field nobody modelled is
 * read like any other, never forwarded unseen.
 *
 * Content the classifier cannot read (images, audio, files by id, URLs, PDFs) is reported as opaque; PDFs
 * given inline are handed back for text extraction instead.
 */
import type { ExtractedText, TextSource } from './extract-texts.ts';

export interface OutgoingTexts {
  /** One piece per unit the model reads: a system block, one block of a turn, a tool, the request's settings. */
  texts: ExtractedText[];
  /** Where the request carries content the classifier cannot read, e.g. `image at messages.0.content.1`. */
  opaque: string[];
  /** Inline PDFs (base64), to extract and classify as text; their bytes are not classified as a string. */
  pdfs: { where: string; data: string; source: TextSource }[];
}

/**
 * Values under these keys are not classified when they are one of the listed words: type tags, roles,
 * media types, cache lifetimes. Any other value under the same key is classified like any string.
 */
export const STRUCTURAL_VALUES: Readonly<Record<string, ReadonlySet<string>>> = {
  type: new Set([
    ...['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'],
    ...['server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'search_result'],
    ...['mcp_tool_use', 'mcp_tool_result', 'container_upload', 'code_execution_tool_result'],
    ...['base64', 'url', 'file', 'content', 'ephemeral', 'auto', 'any', 'tool', 'none', 'custom'],
    ...['enabled', 'disabled', 'adaptive', 'json_schema'],
    ...['object', 'string', 'number', 'integer', 'boolean', 'array', 'null'],
    ...['char_location', 'page_location', 'content_block_location', 'search_result_location'],
    'web_search_result_location',
  ]),
  role: new Set(['user', 'assistant', 'system']),
  media_type: new Set([
    'image/jpeg',
    'image/png',
    'image/gif',
    'image/webp',
    'application/pdf',
    'text/plain',
  ]),
  ttl: new Set(['5m', '1h']),
};

/** Values the router generates itself, in a format a client cannot reach (it replaces what clients send). */
export const ROUTER_GENERATED: Readonly<Record<string, RegExp>> = {
  // The opaque per-user id (apps/router user-id.ts).
  user_id: /^sb-user-[0-9a-f]{32}$/,
};

/**
 * Object keys that are field names of the Messages API (or of JSON Schema). They say nothing about the
 * conversation; any other key (a tool's property name, an unknown field) is classified.
 */
export const STRUCTURAL_KEYS: ReadonlySet<string> = new Set([
  ...['model', 'max_tokens', 'messages', 'system', 'stop_sequences', 'stream', 'temperature', 'top_p'],
  ...['top_k', 'metadata', 'user_id', 'tools', 'tool_choice', 'thinking', 'budget_tokens', 'cache_control'],
  ...['ttl', 'type', 'role', 'content', 'text', 'source', 'media_type', 'data', 'url', 'file_id', 'id'],
  ...['name', 'input', 'tool_use_id', 'is_error', 'signature', 'citations', 'cited_text', 'title'],
  ...['document_index', 'document_title', 'start_char_index', 'end_char_index', 'start_page_number'],
  ...['end_page_number', 'start_block_index', 'end_block_index', 'search_result_index', 'context'],
  ...['description', 'input_schema', 'properties', 'required', 'items', 'enum', 'additionalProperties'],
  ...['disable_parallel_tool_use', 'strict', 'service_tier', 'output_config', 'effort', 'format'],
  ...['schema', 'container', 'mcp_servers', 'enabled', 'default', 'minimum', 'maximum', 'const'],
]);

/** A keyword split across adjacent text parts is caught if it is at most this long (code units). */
export const JUNCTION_REACH = 256;

const BLOCK_SOURCE: Record<string, TextSource> = {
  tool_use: 'tool_call',
  server_tool_use: 'tool_call',
  mcp_tool_use: 'tool_call',
  tool_result: 'tool_result',
  mcp_tool_result: 'tool_result',
  web_search_tool_result: 'tool_result',
  web_fetch_tool_result: 'tool_result',
  code_execution_tool_result: 'tool_result',
  search_result: 'tool_result',
  thinking: 'thinking',
  redacted_thinking: 'thinking',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function textsSentToClaude(body: Json): OutgoingTexts {
  const out: OutgoingTexts = { texts: [], opaque: [], pdfs: [] };
  const settings: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'system') {
      if (typeof value === 'string') addText(out, 'system', value);
      else if (Array.isArray(value)) addBlocks(out, value, 'system', 'system');
      else collect(value, 'system', settings, out, 'request');
    } else if (key === 'messages' && Array.isArray(value)) {
      value.forEach((message, i) => {
        addMessage(out, message, `messages.${i}`);
      });
    } else if (key === 'tools' && Array.isArray(value)) {
      value.forEach((tool, i) => {
        const strings: string[] = [];
        collect(tool, `tools.${i}`, strings, out, 'tool_definition');
        addText(out, 'tool_definition', strings.join('\n'));
      });
    } else {
      if (!STRUCTURAL_KEYS.has(key)) settings.push(key);
      collect(value, key, settings, out, 'request');
    }
  }
  addText(out, 'request', settings.join('\n'));
  return out;
}

function addText(out: OutgoingTexts, source: TextSource, text: string) {
  if (text.trim() !== '') out.texts.push({ source, text });
}

function addMessage(out: OutgoingTexts, message: unknown, where: string) {
  if (!isObject(message)) {
    const strings: string[] = [];
    collect(message, where, strings, out, 'user');
    addText(out, 'user', strings.join('\n'));
    return;
  }
  const role = message.role === 'assistant' ? 'assistant' : message.role === 'system' ? 'system' : 'user';
  const rest: string[] = [];
  for (const [key, value] of Object.entries(message)) {
    if (key === 'content' && typeof value === 'string') addText(out, role, value);
    else if (key === 'content' && Array.isArray(value)) addBlocks(out, value, role, `${where}.content`);
    // The role itself (`user`, `assistant`) is a structural value, as it is anywhere else.
    else if (typeof value === 'string' && STRUCTURAL_VALUES[key]?.has(value)) continue;
    else {
      if (!STRUCTURAL_KEYS.has(key)) rest.push(key);
      collect(value, `${where}.${key}`, rest, out, role);
    }
  }
  addText(out, role, rest.join('\n'));
}

/** One piece per block, plus the junctions of adjacent text blocks (the model reads them as one text). */
function addBlocks(out: OutgoingTexts, blocks: unknown[], source: TextSource, where: string) {
  blocks.forEach((block, i) => {
    const type = isObject(block) && typeof block.type === 'string' ? block.type : '';
    const blockSource = BLOCK_SOURCE[type] ?? source;
    const strings: string[] = [];
    collect(block, `${where}.${i}`, strings, out, blockSource);
    addText(out, blockSource, strings.join('\n'));
  });
  addJunctions(out, blocks, source);
}

/**
 * Adjacent text parts, as the model reads them one after the other: for each boundary, the text around it
 * (JUNCTION_REACH on each side, further when a part is shorter), so a keyword split across parts is seen
 * whole without classifying every text twice.
 */
function addJunctions(out: OutgoingTexts, blocks: unknown[], source: TextSource) {
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 2) {
      const joined = run.join('');
      let offset = 0;
      let windowEnd = -1;
      let windowStart = 0;
      const windows: [number, number][] = [];
      for (const part of run.slice(0, -1)) {
        offset += part.length;
        const start = Math.max(0, offset - JUNCTION_REACH);
        const end = Math.min(joined.length, offset + JUNCTION_REACH);
        if (start <= windowEnd) windowEnd = end;
        else {
          if (windowEnd >= 0) windows.push([windowStart, windowEnd]);
          windowStart = start;
          windowEnd = end;
        }
      }
      if (windowEnd >= 0) windows.push([windowStart, windowEnd]);
      for (const [start, end] of windows) addText(out, source, sliceWhole(joined, start, end));
    }
    run = [];
  };
  for (const block of blocks) {
    if (isObject(block) && block.type === 'text' && typeof block.text === 'string') run.push(block.text);
    else flush();
  }
  flush();
}

/** A slice that does not cut a surrogate pair in two (it widens by one unit instead). */
function sliceWhole(text: string, start: number, end: number): string {
  const low = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 0xdc00 && c <= 0xdfff;
  };
  let s = start;
  let e = end;
  if (s > 0 && low(s)) s--;
  if (e < text.length && low(e)) e++;
  return text.slice(s, e);
}

/**
 * Every string under `value` into `strings` (keys not in STRUCTURAL_KEYS too), noting opaque content and
 * inline PDFs on the way. Nested content arrays (a tool result's blocks, a document's content) also get
 * their junctions.
 */
function collect(value: unknown, where: string, strings: string[], out: OutgoingTexts, source: TextSource) {
  if (typeof value === 'string') {
    strings.push(value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      collect(item, `${where}.${i}`, strings, out, source);
    });
    if (value.some((item) => isObject(item) && item.type === 'text')) addJunctions(out, value, source);
    return;
  }
  if (!isObject(value)) return;
  const opaque = opaqueKind(value);
  if (opaque) {
    out.opaque.push(`${opaque} at ${where}`);
    return;
  }
  const pdf = inlinePdf(value);
  if (pdf !== undefined) out.pdfs.push({ where, data: pdf, source });
  for (const [key, item] of Object.entries(value)) {
    if (!STRUCTURAL_KEYS.has(key)) strings.push(key);
    if (typeof item === 'string' && (STRUCTURAL_VALUES[key]?.has(item) || ROUTER_GENERATED[key]?.test(item)))
      continue;
    // The PDF's bytes are read by extraction, not as a string.
    if (pdf !== undefined && key === 'source') {
      collect({ ...(item as Json), data: undefined }, `${where}.source`, strings, out, source);
      continue;
    }
    collect(item, `${where}.${key}`, strings, out, source);
  }
}

/** What kind of unreadable content an object is, or undefined. */
function opaqueKind(value: Json): string | undefined {
  if (value.type === 'image') return 'an image';
  if (value.type === 'container_upload') return 'a file by id';
  if (value.type === 'document' && isObject(value.source)) {
    const source = value.source;
    if (source.type === 'url') return 'a document by URL';
    if (source.type === 'file') return 'a document by file id';
    if (source.type === 'base64' && source.media_type !== 'application/pdf') return 'a binary document';
  }
  return undefined;
}

function inlinePdf(value: Json): string | undefined {
  if (value.type !== 'document' || !isObject(value.source)) return undefined;
  const source = value.source;
  return source.type === 'base64' &&
    source.media_type === 'application/pdf' &&
    typeof source.data === 'string'
    ? source.data
    : undefined;
}
