import { createHmac } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';
import type { AppEnv } from './app-env.ts';
import { clientAddress } from './client-address.ts';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** The counter's name: route groups with the same bucket share one count per client. */
  bucket: string;
  /** Requests one client may make per window. */
  limit: number;
  windowMs: number;
  now?: () => number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the client's window ends (for `Retry-After`). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window request counter per client key, in the database (`rate_limit_window`), so that every
 * app process behind a load balancer counts the same window: two processes must not let twice the
 * requests through. One upsert per request: it starts a new window when the old one has ended, else
 * adds one. The key is a keyed hash of the client's network (see clientKey), never an address.
 */
export class RateLimiter {
  private readonly now: () => number;
  private nextPurgeAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RateLimitOptions,
  ) {
    if (!(options.limit >= 1 && options.windowMs >= 1)) throw new Error('RateLimiter needs a limit and a window ≥ 1');
    this.now = options.now ?? Date.now;
  }

  async hit(clientKey: string): Promise<RateLimitDecision> {
    const nowMs = this.now();
    const now = new Date(nowMs);
    const endsIfNew = new Date(nowMs + this.options.windowMs);
    // One statement, so that concurrent hits from several processes each add one (the row lock of
    // ON CONFLICT DO UPDATE orders them) and a finished window is restarted exactly once.
    const { rows } = await sql<{ hits: number; window_ends_at: Date }>`
      insert into rate_limit_window as w (bucket, client_key, window_ends_at, hits)
      values (${this.options.bucket}, ${clientKey}, ${endsIfNew}::timestamptz, 1)
      on conflict (bucket, client_key) do update set
        hits = case when w.window_ends_at <= ${now}::timestamptz then 1 else w.hits + 1 end,
        window_ends_at = case when w.window_ends_at <= ${now}::timestamptz then excluded.window_ends_at else w.window_ends_at end
      returning hits, window_ends_at`.execute(this.db);
    const row = rows[0]!;
    if (nowMs >= this.nextPurgeAt) {
      this.nextPurgeAt = nowMs + this.options.windowMs;
      await purgeExpiredLimits(this.db, now);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((new Date(row.window_ends_at).getTime() - nowMs) / 1000));
    return { allowed: row.hits <= this.options.limit, retryAfterSeconds };
  }
}

/**
 * Deletes finished rate-limit windows, login failures out of their window and networks no longer
 * known; returns how many rows. Every process calls it now and then; runExclusively lets one at a time
 * delete. This keeps the tables small under a flood of made-up addresses: at most one row per
 * client and window.
 */
export async function purgeExpiredLimits(db: Kysely<Database>, now = new Date()): Promise<number> {
  const outcome = await runExclusively(db, 'rate-limit-purge', async (trx) => {
    const windows = await trx.deleteFrom('rate_limit_window').where('window_ends_at', '<=', now).executeTakeFirst();
    const failures = await trx.deleteFrom('login_failure').where('expires_at', '<=', now).executeTakeFirst();
    const networks = await trx.deleteFrom('login_known_network').where('known_until', '<=', now).executeTakeFirst();
    return Number(windows.numDeletedRows) + Number(failures.numDeletedRows) + Number(networks.numDeletedRows);
  });
  return outcome.ran ? outcome.result : 0;
}

/**
 * A keyed hash (HMAC-SHA-256) under the process-shared key from DATA_DIR: what the database stores
 * instead of an address, an email or both. Without the key file it cannot be recomputed, not even
 * by trying all 2³² IPv4 addresses.
 */
export function keyedHash(key: Buffer, purpose: string, ...parts: string[]): string {
  return createHmac('sha256', key).update([purpose, ...parts].join('\n')).digest('base64url');
}

/**
 * The key a client is counted under, or null for a request that did not come over a socket
 * (`app.request()` inside the process). IPv6 clients are counted per /64, the block one household
 * or device usually gets, so rotating through its addresses does not escape the limit.
 */
export function clientKey(c: Context<AppEnv>, trustProxy: boolean, addressKey: Buffer): string | null {
  const incoming = (c.env as { incoming?: { socket?: unknown } } | undefined)?.incoming;
  if (!incoming?.socket) return null;
  return keyedHash(addressKey, 'network', networkOf(clientAddress(c, trustProxy)));
}

export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = address.includes('::') ? [...headGroups, ...Array(Math.max(0, missing)).fill('0'), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':')}::/64`;
}

/**
 * 429 `rate_limited` with `Retry-After` once a client exceeds `limit` requests per window. The
 * address is neither stored nor logged. Requests without a socket (in-process tests) are not
 * counted: the server process always has one.
 */
export const rateLimit = (
  options: RateLimitOptions & { db: Kysely<Database>; trustProxy: boolean; addressKey: Buffer },
): MiddlewareHandler<AppEnv> => {
  const limiter = new RateLimiter(options.db, options);
  return async function rateLimit(c, next) {
    const key = clientKey(c, options.trustProxy, options.addressKey);
    if (key !== null) {
      const decision = await limiter.hit(key);
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSeconds));
        throw new ApiError(429, 'rate_limited', { seconds: decision.retryAfterSeconds });
      }
    }
    await next();
  };
};
