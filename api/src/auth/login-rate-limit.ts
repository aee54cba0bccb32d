import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { keyedHash, networkOf, purgeExpiredLimits } from '../http/rate-limit.ts';

/**
 * Counts failed logins per account and per client network in a sliding window, in the database
 * (`login_failure`, `login_known_network`), so that every app process counts the same failures: two
 * processes behind a load balancer must not let twice the guesses through. No row holds an address
 * or an email: only keyed hashes (HMAC with the key from DATA_DIR/secrets) of the account, of the
 * network, and of both. IPv6 addresses count per /64, as the public-write limit does: one host owns
 * a whole /64 and could otherwise rotate through it.
 */
export interface LoginRateLimitOptions {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  /** How long a network that logged in to an account stays exempt from that account's limit. */
  knownNetworkMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitOptions = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  knownNetworkMs: 90 * 24 * 60 * 60 * 1000,
};

export interface LoginAttemptKeys {
  email: string;
  address: string;
}

export type LoginAttempt =
  | { allowed: false; retryAfterSeconds: number }
  | {
      allowed: true;
      /** The password was right: this attempt does not count, and the account's failures are forgiven. */
      succeeded(): Promise<void>;
    };

/**
 * The per-account limit applies to networks that have not logged in to the account before: a
 * stranger who guesses five times locks out strangers (brute force stays bounded), while the staff
 * member's own network (an IPv6 /64 or IPv4 address that signed in within `knownNetworkMs`) keeps
 * working. Known networks are still bounded by the per-address limit.
 */
export class LoginRateLimiter {
  private nextPurgeAt = 0;

  /**
   * @param addressKey the key of the keyed hashes; all processes must share it (platform.ts loads
   *   it from DATA_DIR). The default, a key of this limiter's own, suits tests with one app.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly addressKey: Buffer = randomBytes(32),
    private readonly options: LoginRateLimitOptions = DEFAULT_LOGIN_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits an attempt or says how long to wait. An admitted attempt counts as a failure at once and
   * is withdrawn on success: otherwise a hundred parallel guesses would all pass the check before
   * the first slow password hash had failed. Check and record happen under advisory locks on the
   * account's and the network's keys, so that parallel attempts on several processes are counted
   * one after the other.
   */
  async begin(keys: LoginAttemptKeys): Promise<LoginAttempt> {
    const nowMs = this.now();
    const now = new Date(nowMs);
    const account = keys.email.trim().toLowerCase();
    const network = networkOf(keys.address);
    const accountKey = keyedHash(this.addressKey, 'login-account', account);
    const addressKey = keyedHash(this.addressKey, 'login-network', network);
    const knownKey = keyedHash(this.addressKey, 'login-known', account, network);
    const expiresAt = new Date(nowMs + this.options.windowMs);

    if (nowMs >= this.nextPurgeAt) {
      this.nextPurgeAt = nowMs + 60_000;
      await purgeExpiredLimits(this.db, now);
    }

    const decision = await this.db.transaction().execute(async (trx) => {
      // Sorted, so two attempts never wait for each other's second lock (no deadlock).
      for (const key of [accountKey, addressKey].sort()) {
        await sql`select pg_advisory_xact_lock(hashtext(${`vielstimmig:login:${key}`}))`.execute(trx);
      }
      const known =
        (await trx
          .selectFrom('login_known_network')
          .select('network_key')
          .where('network_key', '=', knownKey)
          .where('known_until', '>', now)
          .executeTakeFirst()) !== undefined;
      const waits = [
        known ? 0 : await this.waitFor(trx, accountKey, this.options.maxFailuresPerAccount, nowMs),
        await this.waitFor(trx, addressKey, this.options.maxFailuresPerAddress, nowMs),
      ];
      const waitMs = Math.max(...waits);
      if (waitMs > 0) return { allowed: false as const, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      const rows = [
        ...(known ? [] : [{ failure_key: accountKey, failed_at: now, expires_at: expiresAt }]),
        { failure_key: addressKey, failed_at: now, expires_at: expiresAt },
      ];
      const inserted = await trx.insertInto('login_failure').values(rows).returning(['id', 'failure_key']).execute();
      return { allowed: true as const, addressRowId: inserted.find((row) => row.failure_key === addressKey)!.id };
    });
    if (!decision.allowed) return decision;

    return {
      allowed: true,
      succeeded: async () => {
        await this.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('login_failure').where('failure_key', '=', accountKey).execute();
          await trx.deleteFrom('login_failure').where('id', '=', decision.addressRowId).execute();
          const knownUntil = new Date(this.now() + this.options.knownNetworkMs);
          await trx
            .insertInto('login_known_network')
            .values({ network_key: knownKey, known_until: knownUntil })
            .onConflict((oc) => oc.column('network_key').doUpdateSet({ known_until: knownUntil }))
            .execute();
        });
      },
    };
  }

  /** How long until the key is below its limit again (0: it is now). */
  private async waitFor(db: Kysely<Database>, key: string, max: number, nowMs: number): Promise<number> {
    // The max-th most recent failure in the window is the one that has to leave it first.
    const blocking = await db
      .selectFrom('login_failure')
      .select('failed_at')
      .where('failure_key', '=', key)
      .where('failed_at', '>', new Date(nowMs - this.options.windowMs))
      .orderBy('failed_at', 'desc')
      .orderBy('id', 'desc')
      .offset(max - 1)
      .limit(1)
      .executeTakeFirst();
    if (!blocking) return 0;
    return Math.max(1, new Date(blocking.failed_at).getTime() + this.options.windowMs - nowMs);
  }
}
