/** The browser's side of the JSON API: the CSRF header on every change, errors as readable messages. */
export interface Me {
  email: string;
  admin: boolean;
  via: 'dev' | 'google' | 'cloudflare';
  devMode: boolean;
  csrfToken: string;
  csrfHeader: string;
  maxUploadBytes: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly signInUrl?: string,
    /** Problems keyed by the field of the form they belong to, when the server named them. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrf: { header: string; token: string } | undefined;

export async function loadMe(): Promise<Me> {
  const me = await request<Me>('GET', '/api/me');
  csrf = { header: me.csrfHeader, token: me.csrfToken };
  return me;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrf) headers[csrf.header] = csrf.token;
  let payload: BodyInit | undefined;
  if (body instanceof FormData || typeof body === 'string') payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  return readResponse<T>(response);
}

async function readResponse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(response.status, `the server answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const error = (
      json as { error?: { message?: string; signInUrl?: string; fields?: Record<string, string> } }
    ).error;
    throw new ApiError(
      response.status,
      error?.message ?? `request failed (${response.status})`,
      error?.signInUrl,
      error?.fields ?? fieldsOf(error?.message),
    );
  }
  return json as T;
}

/** Uploads with progress events (fetch has none for request bodies). */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrf) xhr.setRequestHeader(csrf.header, csrf.token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload failed (network error)'));
    xhr.onload = () => {
      readResponse<T>(new Response(xhr.responseText, { status: xhr.status })).then(resolve, reject);
    };
    xhr.send(form);
  });
}

/**
 * The fields a schema error names ("classifierThreshold: Too big: …; users.x: …"), keyed by the top-level
 * field, so a form can put each problem beside its field even when the server sent only the message.
 */
function fieldsOf(message: string | undefined): Record<string, string> | undefined {
  if (!message) return undefined;
  const fields: Record<string, string> = {};
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z]+)(?:\.[^:]*)?: (.+)$/.exec(part);
    if (match) fields[match[1]!] = match[2]!;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
