import { ClientError } from '@split-brain/http';

/** What one request may carry. Long texts cost one model window per ~250 word pieces. */
export const REQUEST_LIMITS = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxTexts: 256,
  maxTextChars: 100_000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads `{ "texts": string[] }` from a request body, refusing what the model cannot sensibly take:
 * a body that is not UTF-8 or not JSON, no texts, an empty or blank text, a text with unpaired
 * surrogates, or more than the limits allow.
 */
export async function readTexts(request: Request): Promise<string[]> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > REQUEST_LIMITS.maxBodyBytes) throw tooLarge(`the body is ${declared} bytes`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > REQUEST_LIMITS.maxBodyBytes) throw tooLarge(`the body is ${bytes.byteLength} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    const what = error instanceof SyntaxError ? 'not valid JSON' : 'not valid UTF-8';
    throw new ClientError(
      400,
      'invalid_request_error',
      `the request body is ${what}; send {"texts": ["..."]}`,
    );
  }
  const texts = (body as { texts?: unknown } | null)?.texts;
  if (!Array.isArray(texts) || texts.length === 0) {
    throw new ClientError(400, 'invalid_request_error', '`texts` must be a non-empty array of strings');
  }
  if (texts.length > REQUEST_LIMITS.maxTexts) {
    throw tooLarge(`${texts.length} texts; at most ${REQUEST_LIMITS.maxTexts} per request`);
  }
  texts.forEach((text, i) => {
    if (typeof text !== 'string') {
      throw new ClientError(400, 'invalid_request_error', `texts[${i}] is not a string`);
    }
    if (text.trim() === '') throw new ClientError(400, 'invalid_request_error', `texts[${i}] is empty`);
    if (!text.isWellFormed()) {
      throw new ClientError(400, 'invalid_request_error', `texts[${i}] has unpaired UTF-16 surrogates`);
    }
    if (text.length > REQUEST_LIMITS.maxTextChars) {
      throw tooLarge(`texts[${i}] has ${text.length} characters; at most ${REQUEST_LIMITS.maxTextChars}`);
    }
  });
  return texts as string[];
}

function tooLarge(what: string): ClientError {
  return new ClientError(413, 'request_too_large', `${what}; split the request or shorten the text`);
}
