import { createHmac, randomBytes } from 'node:crypto';
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
  /** How long a network that logged in to an account stays exempt from that account's limit. */
  knownNetworkMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitOptions = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
  maxKeys: 100_000,
  knownNetworkMs: 90 * 24 * 60 * 60 * 1000,
};

// Known networks are remembered as keyed hashes of account and network, with a secret that lives and
// dies with the process: the map holds no address, and nothing links it to one outside this process.
const KNOWN_NETWORK_SECRET = randomBytes(32);

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

/**
 * The per-account limit applies to networks that have not logged in to the account before: a
 * stranger who guesses five times locks out strangers (brute force stays bounded), while the staff
 * member's own network (an IPv6 /64 or IPv4 address that signed in within `knownNetworkMs`) keeps
 * working. Known networks are still bounded by the per-address limit.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  /** Keyed hash of account and network → until when the network counts as known. */
  private readonly knownNetworks = new Map<string, number>();

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
    const account = keys.email.trim().toLowerCase();
    const network = networkOf(keys.address);
    const accountKey = `account:${account}`;
    const addressKey = `address:${network}`;
    const knownKey = createHmac('sha256', KNOWN_NETWORK_SECRET).update(`${account}\n${network}`).digest('base64url');
    const known = (this.knownNetworks.get(knownKey) ?? 0) > now;
    const waits = [
      known ? 0 : this.waitFor(accountKey, this.options.maxFailuresPerAccount, now),
      this.waitFor(addressKey, this.options.maxFailuresPerAddress, now),
    ];
    const waitMs = Math.max(...waits);
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };

    if (!known) this.record(accountKey, now);
    this.record(addressKey, now);
    return {
      allowed: true,
      succeeded: () => {
        this.failures.delete(accountKey);
        this.withdraw(addressKey, now);
        this.rememberNetwork(knownKey, now);
      },
    };
  }

  private rememberNetwork(knownKey: string, now: number): void {
    if (!this.knownNetworks.has(knownKey) && this.knownNetworks.size >= this.options.maxKeys) {
      for (const [key, until] of this.knownNetworks) if (until <= now) this.knownNetworks.delete(key);
      // Still full: forget the oldest (insertion order); they fall back to the account limit.
      for (const key of this.knownNetworks.keys()) {
        if (this.knownNetworks.size < this.options.maxKeys) break;
        this.knownNetworks.delete(key);
      }
    }
    this.knownNetworks.delete(knownKey);
    this.knownNetworks.set(knownKey, now + this.options.knownNetworkMs);
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
