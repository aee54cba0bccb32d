import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { setPasswordWithLink } from './account-management.ts';
import { authenticate } from './accounts.ts';
import { passwordHashQueue, type HashQueue } from './hash-queue.ts';
import { LoginRateLimiter } from './login-rate-limit.ts';
import { currentSession, hasValidCsrfToken } from './middleware.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';
import { SESSION_LIFETIME_MS, sessionCookieName } from './session-token.ts';

export interface AuthRoutesDeps {
  db: Kysely<Database>;
  trustProxy?: boolean;
  /** Key of the keyed hashes the login limit stores instead of emails and addresses (DATA_DIR/secrets). */
  addressKey?: Buffer;
  /** Injected by tests that need their own counters; one per app otherwise. */
  rateLimiter?: LoginRateLimiter;
  /** The bounded queue of password hashing; the process's one by default, tests pass a small one. */
  hashQueue?: HashQueue;
}

/** Seconds a login refused for a full hash queue is asked to wait: the queue drains in about a second. */
export const LOGIN_BUSY_RETRY_SECONDS = 5;

// Bounded before hashing: a megabyte "password" must not reach argon2.
const loginSchema = z.object({
  email: z.string().max(320),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

// `tls` comes from transportSecurity(): X-Forwarded-Proto counts only behind a trusted proxy.
function sessionCookie(c: Context<AppEnv>) {
  const tls = c.get('tls') === true;
  return { name: sessionCookieName(tls), options: { httpOnly: true, sameSite: 'Strict', path: '/', secure: tls } as const };
}

/** Login, logout and "who am I" for staff; the session lives in the HttpOnly cookie `vs_session` (`__Host-vs_session` over TLS). */
export function createAuthRoutes({
  db,
  trustProxy = false,
  addressKey,
  rateLimiter = new LoginRateLimiter(db, addressKey),
  hashQueue = passwordHashQueue,
}: AuthRoutesDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const { email, password } = await readJsonBody(c, loginSchema);
      // A place in the hash queue first: a login that would only wait behind a flood is turned away
      // at once, before it counts as an attempt or costs a database round trip.
      const ticket = hashQueue.tryAdmit();
      if (!ticket) {
        c.header('Retry-After', String(LOGIN_BUSY_RETRY_SECONDS));
        throw new ApiError(503, 'login_busy', { seconds: LOGIN_BUSY_RETRY_SECONDS });
      }
      let user;
      let attempt;
      try {
        attempt = await rateLimiter.begin({ email, address: clientAddress(c, trustProxy) });
        if (!attempt.allowed) {
          c.header('Retry-After', String(attempt.retryAfterSeconds));
          throw new ApiError(429, 'too_many_login_attempts', { minutes: Math.ceil(attempt.retryAfterSeconds / 60) });
        }
        user = await authenticate(db, email, password, ticket.run);
      } finally {
        ticket.release();
      }
      if (!user) throw new ApiError(401, 'invalid_credentials');
      await attempt.succeeded();

      const store = c.get('sessions');
      if (!store) throw new Error('session store missing');
      const cookie = sessionCookie(c);
      const session = await store.start(user.id, getCookie(c, cookie.name));
      setCookie(c, cookie.name, session.token, {
        ...cookie.options,
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
      const cookie = sessionCookie(c);
      deleteCookie(c, cookie.name, cookie.options);
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
