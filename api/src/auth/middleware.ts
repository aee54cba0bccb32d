import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { sessionCookieName, tokensEqual } from './session-token.ts';
import type { SessionStore } from './sessions.ts';
import { ROLES, type ActiveSession, type Role } from './types.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'X-CSRF-Token';

/** Makes the session store reachable from `requireRole`; mounted once by `createApp` before every router. */
export const attachSessions = (store: SessionStore): MiddlewareHandler<AppEnv> =>
  async function attachSessions(c, next) {
    c.set('sessions', store);
    await next();
  };

/** The request's live session (looked up once per request), or null. */
export async function currentSession(c: Context<AppEnv>): Promise<ActiveSession | null> {
  const known = c.get('session');
  if (known !== undefined) return known;
  const store = c.get('sessions');
  // Failing closed: a router mounted without the session store must not become public by accident.
  if (!store) throw new Error('session store missing: attachSessions() must run before requireRole()');
  // Over TLS only the `__Host-` cookie counts: a plain `vs_session` there may have been planted.
  const session = await store.resolve(getCookie(c, sessionCookieName(c.get('tls') === true)));
  c.set('session', session);
  return session;
}

/** A write on a cookie session must carry the session's CSRF token in `X-CSRF-Token`. */
export function hasValidCsrfToken(c: Context<AppEnv>, session: ActiveSession): boolean {
  return tokensEqual(session.csrfToken, c.req.header(CSRF_HEADER));
}

/**
 * Lets a request through only with a live session whose role is one of `roles`: 401 `unauthenticated`
 * without one, 403 `forbidden` for another role, 403 `csrf_failed` for a write without the CSRF
 * token. Sets `c.get('user')` for the handler.
 */
export const requireRole = (...roles: Role[]): MiddlewareHandler<AppEnv> => {
  if (roles.length === 0) throw new Error('requireRole() needs at least one role');
  const unknown = roles.filter((role) => !ROLES.includes(role));
  if (unknown.length > 0) throw new Error(`requireRole(): unknown role ${unknown.join(', ')}`);
  const allowed = new Set<Role>(roles);

  return async function requireRole(c, next) {
    const session = await currentSession(c);
    if (!session) throw new ApiError(401, 'unauthenticated');
    if (!allowed.has(session.user.role)) throw new ApiError(403, 'forbidden');
    if (WRITE_METHODS.has(c.req.method) && !hasValidCsrfToken(c, session)) throw new ApiError(403, 'csrf_failed');
    c.set('user', session.user);
    await next();
    // Staff answers carry personal or unpublished data: no shared cache may keep them.
    if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'private, no-store');
  };
};
