import { networkOf } from '../http/rate-limit.ts';

/**
 * Counts failed logins per account and per client address in a sliding window, in the memory of
 * this process: several app processes each count on their own, and a restart forgets. The address
 * lives only in this map, never in the database or a log. IPv6 addresses count per /64, as the
 * public-write limit does: one host owns a whole /64 and could otherwise rotate through it.
 */
export interface LoginRateLimitOptions {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  /** Bound on remembered keys, so a flood of made-up addresses cannot exhaust memory. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitOptions = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  maxKeys: 100_000,
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
      succeeded(): void;
    };

export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: LoginRateLimitOptions = DEFAULT_LOGIN_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits an attempt or says how long to wait. An admitted attempt counts as a failure at once and
   * is withdrawn on success: otherwise a hundred parallel guesses would all pass the check before
   * the first slow password hash had failed.
   */
  begin(keys: LoginAttemptKeys): LoginAttempt {
    const now = this.now();
    const accountKey = `account:${keys.email.trim().toLowerCase()}`;
    const addressKey = `address:${networkOf(keys.address)}`;
    const waits = [
      this.waitFor(accountKey, this.options.maxFailuresPerAccount, now),
      this.waitFor(addressKey, this.options.maxFailuresPerAddress, now),
    ];
    const waitMs = Math.max(...waits);
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };

    this.record(accountKey, now);
    this.record(addressKey, now);
    return {
      allowed: true,
      succeeded: () => {
        this.failures.delete(accountKey);
        this.withdraw(addressKey, now);
      },
    };
  }

  /** How long until the key is below its limit again (0: it is now). */
  private waitFor(key: string, max: number, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < max) return 0;
    // The oldest failure that keeps the count at the limit has to leave the window first.
    const blocking = recent[recent.length - max]!;
    return blocking + this.options.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const cutoff = now - this.options.windowMs;
    const recent = times.filter((time) => time > cutoff);
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== times.length) this.failures.set(key, recent);
    return recent;
  }

  private record(key: string, now: number): void {
    if (!this.failures.has(key) && this.failures.size >= this.options.maxKeys) this.prune(now);
    const times = this.failures.get(key) ?? [];
    times.push(now);
    this.failures.set(key, times);
  }

  private withdraw(key: string, time: number): void {
    const times = this.failures.get(key);
    if (!times) return;
    const index = times.lastIndexOf(time);
    if (index >= 0) times.splice(index, 1);
    if (times.length === 0) this.failures.delete(key);
  }

  /** Drops keys with no failure in the window; if still full, the oldest keys (Map keeps insertion order). */
  private prune(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
    const excess = this.failures.size - Math.floor(this.options.maxKeys * 0.9);
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.failures.keys()) {
      if (dropped++ >= excess) break;
      this.failures.delete(key);
    }
  }
}
