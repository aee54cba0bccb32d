import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'vs_session';
/**
 * The cookie's name over TLS. Browsers accept a `__Host-` cookie only when it is Secure, for Path=/
 * and without Domain, so neither a sibling subdomain nor a plain-HTTP page can plant or overwrite it.
 */
export const SESSION_COOKIE_TLS = '__Host-vs_session';

/** The session cookie's name for a request over TLS or not. */
export function sessionCookieName(tls: boolean): string {
  return tls ? SESSION_COOKIE_TLS : SESSION_COOKIE;
}
/** Absolute lifetime of a session: one working day in the field, then log in again. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Default idle timeout (SESSION_IDLE_MINUTES): a session unused this long ends before its lifetime. */
export const SESSION_IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** 32 random bytes; the browser keeps the token, the database only its hash. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores: a leaked session table does not let anyone take over a session. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokensEqual(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
