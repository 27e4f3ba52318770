/**
 * Client bodies parsed so that every reader sees the same value. `JSON.parse` keeps the last of two equal
 * keys while another reader (Claude's parser, a proxy) may keep the first or both, so a body with a
 * duplicate key is refused rather than guessed at; so is a string holding a lone UTF-16 surrogate (`"\ud800"`),
 * which has no UTF-8 form, so two different strings would reach the classifier and its cache as one.
 *
 * The duplicate check is a small scanner run over text `JSON.parse` has already accepted, so it need not
 * handle malformed input: it only follows strings, brackets, colons and commas (and counts the depth). A
 * library could do it (jsonc-parser's visitor reports every property), but it would tokenise the body
 * again in JavaScript just the same, accept comments and trailing commas unless told not to, and add a
 * dependency for what is forty lines read in one sitting; `JSON.parse` stays the one parser of values.
 */
import { WireError } from './errors.ts';
import type { Validated } from './validate.ts';

export function parseStrictJson(text: string): Validated<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: new WireError(400, 'invalid_request', `request body is not valid JSON: ${detail}`),
    };
  }
  const found = scanKeys(text);
  if (found === TOO_DEEP) {
    return {
      ok: false,
      error: new WireError(
        400,
        'invalid_request',
        `request body nests objects and arrays deeper than ${MAX_NESTING} levels; flatten it`,
      ),
    };
  }
  const duplicate = found;
  if (duplicate) {
    return {
      ok: false,
      error: new WireError(
        400,
        'invalid_request',
        `request body has the key "${duplicate.key}" twice in one object${duplicate.path ? ` (at ${duplicate.path})` : ''}; send each key once`,
        duplicate.path || undefined,
      ),
    };
  }
  // A lone surrogate can only come from a \uD800-\uDFFF escape: the text itself was strict UTF-8.
  const lone = /\\u[dD][89a-fA-F]/.test(text) ? findLoneSurrogate(value, '') : undefined;
  if (lone !== undefined) {
    return {
      ok: false,
      error: new WireError(
        400,
        'invalid_request',
        `a string${lone ? ` at ${lone}` : ''} holds an unpaired UTF-16 surrogate (a \\ud800-\\udfff escape without its pair); send well-formed Unicode`,
        lone || undefined,
      ),
    };
  }
  return { ok: true, value };
}

/** Deeper bodies are refused: no real request nests this far, and readers of the value recurse. */
export const MAX_NESTING = 256;

interface Frame {
  object: boolean;
  /** Object frames: keys seen so far; whether the next string is a key. */
  keys: Set<string>;
  expectKey: boolean;
  /** The member this frame is, in its parent (key or index), for error messages. */
  at: string;
  /** Array frames: the index of the current element. */
  index: number;
  /** Object frames: the key whose value is being read. */
  key: string;
}

const TOO_DEEP = Symbol('too deep');

/** The first key that appears twice in one object of a valid JSON text, with its path. */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const found = scanKeys(text, Number.POSITIVE_INFINITY);
  return found === TOO_DEEP ? undefined : found;
}

/** One pass over a valid JSON text: the first duplicate key, or TOO_DEEP past `maxDepth` levels. */
function scanKeys(
  text: string,
  maxDepth = MAX_NESTING,
): { key: string; path: string } | typeof TOO_DEEP | undefined {
  const stack: Frame[] = [];
  const pathOf = (last: string) =>
    [...stack.slice(1).map((f) => f.at), last].filter((p) => p !== '').join('.');
  const childName = () => {
    const top = stack.at(-1);
    if (!top) return '';
    return top.object ? top.key : String(top.index);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top?.object && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, path: pathOf(key) };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return TOO_DEEP;
      stack.push({
        object: c === 0x7b,
        keys: new Set(),
        expectKey: true,
        at: childName(),
        index: 0,
        key: '',
      });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

/** The index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return text.length - 1; // cannot happen in text JSON.parse accepted
    let backslashes = 0;
    for (let k = quote - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

/** The path of the first string (key or value) that is not well-formed UTF-16, or undefined. */
function findLoneSurrogate(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], path ? `${path}.${i}` : String(i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return at;
      const found = findLoneSurrogate(item, at);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
