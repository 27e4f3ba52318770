/** What a dialect handler gets from the server for one request. */
import type { ExtractedText } from '@split-brain/wire';
import type { HangRegistry } from './paced-stream.ts';
import type { Fault, Profile } from './profile.ts';

export interface RequestNote {
  body: unknown;
  texts: ExtractedText[];
  stream: boolean;
}

export interface SideContext {
  profile: Profile;
  /** The fault that applies to this request (already counted against its `times`). */
  fault: Fault | null;
  hangs: HangRegistry;
  signal: AbortSignal;
  /** Filled in by the handler for the request log. */
  note: RequestNote;
}

/** Reads the body as JSON; `undefined` with the raw text noted when it does not parse. */
export async function readJson(
  request: Request,
  note: RequestNote,
): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const text = await request.text();
  try {
    const value: unknown = JSON.parse(text);
    note.body = value;
    return { ok: true, value };
  } catch (error) {
    note.body = text;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function bearerOrApiKey(headers: Headers): string | undefined {
  const apiKey = headers.get('x-api-key');
  if (apiKey) return apiKey;
  const auth = headers.get('authorization');
  return auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
}
