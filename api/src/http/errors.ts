import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { messageFor } from '../i18n/messages.ts';
import type { AppEnv } from './app-env.ts';

/**
 * An error a client is meant to see: its status, a stable machine-readable code, and parameters
 * for the localised message (`errors.<code>` in api/src/i18n/messages).
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    /** Extra top-level fields for the body, e.g. per-question `errors` for a 422. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

// What "the database is not there right now" looks like, as opposed to "this request is wrong".
// SQLSTATE classes 08 (connection exception) and 53 (insufficient resources: too many
// connections, disk full, out of memory); 57P01 admin_shutdown (our backend was terminated),
// 57P02 crash_shutdown, 57P03 cannot_connect_now (the server is starting or stopping); 40001 and
// 40P01 (serialization failure, deadlock: try again). Node socket errors, and node-postgres's own
// messages for a connection that broke or could not be made.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);
const UNAVAILABLE_SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // The database host's name does not resolve (e.g. its container is down).
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|is not currently accepting connections/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A connection attempt to a host with several addresses fails with one error per address.
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_ERRORS.has(code)) return true;
    if (code.startsWith('08') || code.startsWith('53')) return true;
  }
  // Driver errors carry no SQLSTATE. 55000 is a broad class; only "database … is not currently
  // accepting connections" (ALTER DATABASE … ALLOW_CONNECTIONS false, during maintenance) means
  // unavailable. Other database errors may quote values from the request, so they are not matched.
  if (code !== undefined && code !== '55000') return false;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** Turns every error into the one JSON shape `{error:{code,message}}`; never a stack trace. */
export function renderError(error: unknown, c: Context<AppEnv>, log: (line: string) => void) {
  const t = messageFor(c.get('locale') ?? 'de');
  if (error instanceof ApiError) {
    return c.json(
      { error: { code: error.code, message: t(`errors.${error.code}`, error.params) }, ...error.extra },
      error.status,
    );
  }
  if (error instanceof HTTPException) {
    const code = error.status === 413 ? 'payload_too_large' : error.status === 404 ? 'not_found' : 'invalid_request';
    return c.json(
      { error: { code, message: t(`errors.${code}`, { details: error.message }) } },
      error.status as ContentfulStatusCode,
    );
  }
  if (isDatabaseUnavailable(error)) {
    c.header('Retry-After', '5');
    return c.json({ error: { code: 'database_unavailable', message: t('errors.database_unavailable') } }, 503);
  }
  // The request path and error class only: a message could echo answers or contact details.
  log(`internal error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.name : typeof error}`);
  if (error instanceof Error && error.stack) log(error.stack.split('\n').slice(0, 6).join('\n'));
  return c.json({ error: { code: 'internal_error', message: t('errors.internal_error') } }, 500);
}
