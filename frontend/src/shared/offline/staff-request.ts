/**
 * Staff requests from an offline page (the interviewer app, the event day). Every failure becomes
 * one of three errors, so callers decide by kind: no connection (try later), no session (log in
 * again), or a refusal with the server's localised message.
 */

/** The request never got an answer: offline, server down, or the connection dropped mid-way. */
export class NoConnectionError extends Error {
  constructor(cause?: unknown) {
    super('no connection', { cause });
    this.name = 'NoConnectionError';
  }
}

/** The session is missing or expired (401): the interviewer must log in again. */
export class SessionExpiredError extends Error {
  constructor() {
    super('session expired');
    this.name = 'SessionExpiredError';
  }
}

/** The server answered with an error (`{error:{code,message}}`); `message` is already localised. */
export class ServerRefusalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ServerRefusalError';
  }
}

export interface StaffRequestContext {
  baseUrl: string;
  /** The staff member's interface language: server messages come back in it. */
  uiLocale: string;
  /** The session's CSRF token, required on every write. */
  csrfToken: string | null;
}

export async function sendStaffRequest(
  context: StaffRequestContext,
  method: string,
  path: string,
  body: BodyInit | undefined,
  contentType: string | undefined,
  timeoutMs: number,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': context.uiLocale };
  if (contentType && body !== undefined) headers['Content-Type'] = contentType;
  if (method !== 'GET' && context.csrfToken) headers['X-CSRF-Token'] = context.csrfToken;
  let response: Response;
  try {
    response = await fetch(context.baseUrl + path, { method, headers, body, credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new NoConnectionError(error);
  }
  if (response.ok) return response;
  if (response.status === 401 && path !== '/api/auth/login') throw new SessionExpiredError();
  const parsed = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  throw new ServerRefusalError(response.status, parsed?.error?.code ?? `http_${response.status}`, parsed?.error?.message ?? response.statusText, parsed);
}

/** Sends JSON and reads JSON; a body cut off on the way is the same as a dropped connection. */
export async function staffJson<T>(context: StaffRequestContext, method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
  const response = await sendStaffRequest(context, method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json', timeoutMs);
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new NoConnectionError(error);
  }
}
