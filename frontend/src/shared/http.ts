/**
 * The API's answers as plain values: a status and the parsed body. Network failures reject with
 * fetch's TypeError (callers that retry look for it); HTTP errors do not throw, because for most of
 * them the page has something specific to say.
 */
export interface ApiAnswer<T = unknown> {
  status: number;
  ok: boolean;
  body: T;
}

/** The API's error shape: `{error: {code, message}}`, the message already in the requester's locale. */
export interface ApiErrorBody {
  error?: { code?: string; message?: string };
  errors?: { question: string; message: string }[];
}

export async function requestJson<T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { body?: unknown; locale?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.locale) headers['accept-language'] = options.locale;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    // Same-origin API; no cookies are needed by the public pages, so none are sent.
    credentials: 'omit',
    cache: 'no-store',
    signal: options.signal,
  });
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: { code: 'invalid_response' } };
    }
  }
  return { status: response.status, ok: response.ok, body: body as T };
}

/** The server's localised message from an error body, if there is one. */
export function serverMessage(body: unknown): string | null {
  const message = (body as ApiErrorBody | null)?.error?.message;
  return typeof message === 'string' && message.length > 0 ? message : null;
}

export function errorCode(body: unknown): string | null {
  const code = (body as ApiErrorBody | null)?.error?.code;
  return typeof code === 'string' ? code : null;
}
