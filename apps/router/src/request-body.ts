import { parseStrictJson, WireError } from '@split-brain/wire';

/**
 * Reads a client body under the size limit, as strict UTF-8 and strict JSON (no duplicate keys, no lone
 * surrogates: libs/wire strict-json.ts). The declared length is checked first so an
 * oversized upload is refused before it is buffered; Bun.serve's own cap bounds bodies sent without one.
 */
export async function readJsonRequest(
  request: Request,
  maxBytes: number,
): Promise<{ text: string; json: unknown }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new WireError(400, 'invalid_request', 'request body is not valid UTF-8');
  }
  if (text.trim() === '')
    throw new WireError(400, 'invalid_request', 'request body is empty; send a JSON object');
  const parsed = parseStrictJson(text);
  if (!parsed.ok) throw parsed.error;
  return { text, json: parsed.value };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(maxBytes: number) {
  return new WireError(
    413,
    'request_too_large',
    `request body is larger than the ${maxBytes}-byte limit (MAX_BODY_BYTES); shorten the conversation`,
  );
}
