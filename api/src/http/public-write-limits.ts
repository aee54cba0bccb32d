import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from './app-env.ts';
import { rateLimit } from './rate-limit.ts';

export const DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE = 120;

export interface PublicWriteLimitOptions {
  db: Kysely<Database>;
  /** Requests per minute and client address, for each of the route groups below on its own. */
  perMinute: number;
  trustProxy: boolean;
  /** Key for the keyed hash a client's network is counted under (DATA_DIR/secrets). */
  addressKey: Buffer;
}

/**
 * Rate limits on everything anyone can call without an account and that writes or looks up
 * residents' data: submissions, drafts (create, resume, save, discard) and contacts (opt in,
 * withdraw). Each group counts on its own, so a resident who saves a draft ten times is not kept
 * from submitting. Counted in the database, so several app processes share one count (see
 * RateLimiter for what is counted in memory first). Mounted by
 * `createApp` ahead of the feature routers, so every such route is covered even if a router
 * forgets. Staff logins have their own limiter in `auth/`.
 */
export function mountPublicWriteLimits(app: Hono<AppEnv>, options: PublicWriteLimitOptions): void {
  const limit = (bucket: string) =>
    rateLimit({ db: options.db, bucket, limit: options.perMinute, windowMs: 60_000, trustProxy: options.trustProxy, addressKey: options.addressKey });
  app.on(['POST', 'PUT'], '/api/surveys/:slug/responses', limit('responses'));
  const drafts = limit('drafts');
  app.on(['POST', 'PUT'], '/api/surveys/:slug/drafts', drafts);
  app.use('/api/drafts/*', drafts);
  // Matches `/api/contacts` itself as well as `/api/contacts/withdraw`.
  app.use('/api/contacts/*', limit('contacts'));
  // Residents' event writes: registration, invitation answers, cancellation (staff routes are signed in).
  app.on('POST', ['/api/events/public/*', '/api/events/invitation', '/api/events/invitation/*', '/api/events/registrations/*'], limit('events'));
}
