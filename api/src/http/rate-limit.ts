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

/** How often a process writes the hits it has counted in memory (see RateLimiter). */
export const RATE_LIMIT_FLUSH_MS = 250;

interface LocalCount {
  /** The window's count in the database as of this process's last write for the client. */
  known: number;
  /** Hits counted here and not yet written. */
  pending: number;
  /** Hits being written right now (moved from pending by flush()). */
  writing: number;
  /** When the client's window ends (from the database; estimated until the first write). */
  windowEndsAt: number;
}

/**
 * Fixed-window request counter per client key, in the database (`rate_limit_window`), so that every
 * app process behind a load balancer counts the same window. The key is a keyed hash of the
 * client's network (see clientKey), never an address.
 *
 * A client far below its limit — a resident sending a response, a draft, an opt-in — is counted
 * in memory and written with every other such client in one statement every RATE_LIMIT_FLUSH_MS:
 * a database round trip per request was the largest single cost of a submission after the insert
 * itself (docs/benchmarks.md, Ingest). Once a client's count in this process (what the database
 * said plus what is not yet written) reaches a tenth of the limit, every further request is counted
 * in the database as it comes (one upsert, the unwritten hits with it) and decided by the total the
 * database returns, as before. So one process never lets more than `limit` through, and with P
 * processes a client gets at most limit + (P − 1) · ⌊limit / 10⌋ per window (each other process's
 * unwritten tenth). A limit below 10 is counted in the database on every request. Hits not yet
 * written when a process stops are lost (at most RATE_LIMIT_FLUSH_MS of them): the limit errs
 * towards the resident.
 */
export class RateLimiter {
  private readonly now: () => number;
  private readonly inMemoryUpTo: number;
  private readonly counts = new Map<string, LocalCount>();
  private flushTimer: NodeJS.Timeout | null = null;
  private nextPurgeAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RateLimitOptions,
  ) {
    if (!(options.limit >= 1 && options.windowMs >= 1)) throw new Error('RateLimiter needs a limit and a window ≥ 1');
    this.now = options.now ?? Date.now;
    this.inMemoryUpTo = Math.floor(options.limit / 10);
  }

  async hit(clientKey: string): Promise<RateLimitDecision> {
    const nowMs = this.now();
    let count = this.counts.get(clientKey);
    if (!count) {
      count = { known: 0, pending: 0, writing: 0, windowEndsAt: nowMs + this.options.windowMs };
      this.counts.set(clientKey, count);
    } else if (count.windowEndsAt <= nowMs) {
      // A new window: what is unwritten is written into it (the database restarts the row).
      count.known = 0;
      count.windowEndsAt = nowMs + this.options.windowMs;
    }
    if (count.known + count.pending + count.writing + 1 <= this.inMemoryUpTo) {
      count.pending += 1;
      this.scheduleFlush();
      return { allowed: true, retryAfterSeconds: Math.max(1, Math.ceil((count.windowEndsAt - nowMs) / 1000)) };
    }
    // Near the limit: counted in the database now, with this process's unwritten hits.
    const hits = count.pending + 1;
    count.pending = 0;
    // In flight until the database answers, so that the requests that arrive meanwhile count them.
    count.writing += hits;
    let row: { hits: number; window_ends_at: Date };
    try {
      row = (await this.write([{ clientKey, hits }], nowMs))[0]!;
    } finally {
      count.writing -= hits;
    }
    this.remember(clientKey, row);
    await this.purgeNowAndThen(nowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil((row.window_ends_at.getTime() - nowMs) / 1000));
    return { allowed: row.hits <= this.options.limit, retryAfterSeconds };
  }

  /** Writes every hit counted in memory; also what the timer does. Resolves once they are in the database. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch: { clientKey: string; hits: number }[] = [];
    const nowMs = this.now();
    for (const [clientKey, count] of this.counts) {
      if (count.pending > 0) {
        batch.push({ clientKey, hits: count.pending });
        count.writing += count.pending;
        count.pending = 0;
      } else if (count.writing === 0 && count.windowEndsAt <= nowMs) {
        this.counts.delete(clientKey);
      }
    }
    if (batch.length === 0) return;
    try {
      const rows = await this.write(batch, nowMs);
      for (const row of rows) this.remember(row.client_key, row);
      for (const { clientKey, hits } of batch) {
        const count = this.counts.get(clientKey);
        if (count) count.writing -= hits;
      }
    } catch (error) {
      // Kept for the next write (the next hit schedules one): a hit counted is not dropped on a
      // database hiccup. The request that was counted has been answered already.
      for (const { clientKey, hits } of batch) {
        const count = this.counts.get(clientKey);
        if (count) {
          count.writing -= hits;
          count.pending += hits;
        }
      }
      throw error;
    }
    // After the write has counted: a failing purge must not put the written hits back.
    await this.purgeNowAndThen(nowMs);
  }

  private scheduleFlush() {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flush().catch(() => undefined), RATE_LIMIT_FLUSH_MS);
    // Never what keeps a process (a test, a script) running.
    this.flushTimer.unref();
  }

  private remember(clientKey: string, row: { hits: number; window_ends_at: Date }) {
    const count = this.counts.get(clientKey);
    if (!count) return;
    const endsAt = row.window_ends_at.getTime();
    // Answers to concurrent writes come back in any order: within one window the largest total is the latest.
    count.known = endsAt === count.windowEndsAt ? Math.max(count.known, row.hits) : row.hits;
    count.windowEndsAt = endsAt;
  }

  /**
   * One statement for all clients of the batch, so that concurrent writes from several processes
   * each add their hits (the row lock of ON CONFLICT DO UPDATE orders them) and a finished window is
   * restarted exactly once.
   */
  private async write(batch: { clientKey: string; hits: number }[], nowMs: number) {
    const now = new Date(nowMs);
    const endsIfNew = new Date(nowMs + this.options.windowMs);
    const { rows } = await sql<{ client_key: string; hits: number; window_ends_at: Date }>`
      insert into rate_limit_window as w (bucket, client_key, window_ends_at, hits)
      select ${this.options.bucket}, t.client_key, ${endsIfNew}::timestamptz, t.hits
      from unnest(${batch.map((b) => b.clientKey)}::text[], ${batch.map((b) => b.hits)}::int[]) as t(client_key, hits)
      on conflict (bucket, client_key) do update set
        hits = case when w.window_ends_at <= ${now}::timestamptz then excluded.hits else w.hits + excluded.hits end,
        window_ends_at = case when w.window_ends_at <= ${now}::timestamptz then excluded.window_ends_at else w.window_ends_at end
      returning client_key, hits, window_ends_at`.execute(this.db);
    return rows.map((row) => ({ ...row, window_ends_at: new Date(row.window_ends_at) }));
  }

  private async purgeNowAndThen(nowMs: number) {
    if (nowMs < this.nextPurgeAt) return;
    this.nextPurgeAt = nowMs + this.options.windowMs;
    await purgeExpiredLimits(this.db, new Date(nowMs));
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
