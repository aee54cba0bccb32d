import { createHmac, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { clientAddress } from './client-address.ts';
import { ApiError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests one client may make per window. */
  limit: number;
  windowMs: number;
  /** Distinct clients tracked at once; beyond it, new clients share one bucket (memory stays bounded). */
  maxClients?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  count: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the client's window ends (for `Retry-After`). */
  retryAfterSeconds: number;
}

const OVERFLOW_KEY = 'overflow';

/**
 * Fixed-window request counter per client key, in this process's memory only: nothing about a
 * client is ever written anywhere, and a restart forgets everything (acceptable: the limit guards
 * against floods, not against a patient attacker).
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.limit >= 1 && options.windowMs >= 1)) throw new Error('RateLimiter needs a limit and a window ≥ 1');
    this.maxClients = options.maxClients ?? 50_000;
    this.now = options.now ?? Date.now;
    this.nextSweepAt = this.now() + options.windowMs;
  }

  hit(clientKey: string): RateLimitDecision {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now);
    let key = clientKey;
    if (!this.windows.has(key) && this.windows.size >= this.maxClients) key = OVERFLOW_KEY;
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.options.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - now) / 1000));
    return { allowed: window.count <= this.options.limit, retryAfterSeconds };
  }

  /** Clients currently tracked (for tests of the memory bound). */
  get trackedClients(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.options.windowMs) this.windows.delete(key);
    }
    this.nextSweepAt = now + this.options.windowMs;
  }
}

// Keys are keyed hashes of the address with a secret that lives and dies with the process, so not
// even a memory dump holds the addresses of residents.
const ADDRESS_KEY_SECRET = randomBytes(32);

/**
 * The key a client is counted under, or null for a request that did not come over a socket
 * (`app.request()` inside the process). IPv6 clients are counted per /64, the block one household
 * or device usually gets, so rotating through its addresses does not escape the limit.
 */
export function clientKey(c: Context<AppEnv>, trustProxy: boolean): string | null {
  const incoming = (c.env as { incoming?: { socket?: unknown } } | undefined)?.incoming;
  if (!incoming?.socket) return null;
  const address = clientAddress(c, trustProxy);
  return createHmac('sha256', ADDRESS_KEY_SECRET).update(networkOf(address)).digest('base64url');
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
export const rateLimit = (options: RateLimitOptions & { trustProxy: boolean }): MiddlewareHandler<AppEnv> => {
  const limiter = new RateLimiter(options);
  return async function rateLimit(c, next) {
    const key = clientKey(c, options.trustProxy);
    if (key !== null) {
      const decision = limiter.hit(key);
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSeconds));
        throw new ApiError(429, 'rate_limited', { seconds: decision.retryAfterSeconds });
      }
    }
    await next();
  };
};
