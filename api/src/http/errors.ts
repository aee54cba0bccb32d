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

// Error codes of node-postgres and PostgreSQL that mean "the database is not there right now"
// rather than "this request is wrong": class 08 (connection), 57P0x (shutdown), and socket errors.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
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
