import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { cameOverTls, clientAddress } from '../http/client-address.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { setPasswordWithLink } from './account-management.ts';
import { authenticate } from './accounts.ts';
import { LoginRateLimiter } from './login-rate-limit.ts';
import { currentSession, hasValidCsrfToken } from './middleware.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';
import { SESSION_COOKIE, SESSION_LIFETIME_MS } from './session-token.ts';

export interface AuthRoutesDeps {
  db: Kysely<Database>;
  trustProxy?: boolean;
  /** Key of the keyed hashes the login limit stores instead of emails and addresses (DATA_DIR/secrets). */
  addressKey?: Buffer;
  /** Injected by tests that need their own counters; one per app otherwise. */
  rateLimiter?: LoginRateLimiter;
}

// Bounded before hashing: a megabyte "password" must not reach argon2.
const loginSchema = z.object({
  email: z.string().max(320),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

function sessionCookieOptions(c: Context<AppEnv>) {
  return { httpOnly: true, sameSite: 'Strict', path: '/', secure: cameOverTls(c) } as const;
}

/** Login, logout and "who am I" for staff; the session lives in the HttpOnly cookie `vs_session`. */
export function createAuthRoutes({ db, trustProxy = false, addressKey, rateLimiter = new LoginRateLimiter(db, addressKey) }: AuthRoutesDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { email, password } = await readJsonBody(c, loginSchema);
      const attempt = await rateLimiter.begin({ email, address: clientAddress(c, trustProxy) });
      if (!attempt.allowed) {
        c.header('Retry-After', String(attempt.retryAfterSeconds));
        throw new ApiError(429, 'too_many_login_attempts', { minutes: Math.ceil(attempt.retryAfterSeconds / 60) });
      }
      const user = await authenticate(db, email, password);
      if (!user) throw new ApiError(401, 'invalid_credentials');
      await attempt.succeeded();

      const store = c.get('sessions');
      if (!store) throw new Error('session store missing');
      const session = await store.start(user.id, getCookie(c, SESSION_COOKIE));
      setCookie(c, SESSION_COOKIE, session.token, {
        ...sessionCookieOptions(c),
        maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
    })
    .post('/logout', async (c) => {
      const session = await currentSession(c);
      if (session) {
        // Logout is a write on a cookie session too: a foreign page must not sign staff out.
        if (!hasValidCsrfToken(c, session)) throw new ApiError(403, 'csrf_failed');
        await c.get('sessions')?.end(session.idHash);
      }
      deleteCookie(c, SESSION_COOKIE, sessionCookieOptions(c));
      return c.body(null, 204);
    })
    // Public: the one-time link is the credential. Bounded like a login, before hashing.
    .post('/set-password', async (c) => {
      const { token, password } = await readJsonBody(c, z.object({ token: z.string().max(200), password: z.string().max(MAX_PASSWORD_LENGTH) }));
      await setPasswordWithLink(db, token, password);
      c.header('Cache-Control', 'no-store');
      return c.body(null, 204);
    })
    .get('/me', async (c) => {
      const session = await currentSession(c);
      if (!session) throw new ApiError(401, 'unauthenticated');
      c.header('Cache-Control', 'no-store');
      return c.json({ user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
    });
}
