import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The client's network address, for rate limiting only: never stored or logged, only a keyed hash
 * of its network reaches the database (rate-limit.ts). Behind
 * a trusted reverse proxy it is the last X-Forwarded-For entry, the one the proxy itself appended;
 * earlier entries are whatever the client claimed. Requests made without a socket (tests calling
 * `app.request()`) have no address and share the key "unknown".
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * True when the request reached us over TLS: directly (the URL the server built is https), or via a
 * trusted proxy that says so in X-Forwarded-Proto. Without TRUST_PROXY the header is whatever the
 * client claimed: a plain-HTTP client could otherwise get a Secure cookie and an HSTS header that
 * the connection it used cannot honour.
 */
export function cameOverTls(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const forwardedProto = c.req.header('x-forwarded-proto')?.split(',').pop()?.trim().toLowerCase();
  return forwardedProto === 'https';
}
