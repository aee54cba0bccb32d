/**
 * Sends one request again and again until the server gives an answer that settles it. Network
 * errors, 5xx, 408 and 429 are "not answered yet": wait (exponential back-off with jitter, or the
 * server's Retry-After) and send the very same request again. Anything else (2xx, other 4xx) is
 * the answer. The request must be idempotent (our responses carry a client-generated id), which is
 * what makes retrying forever safe: a response is never lost and never doubled.
 */
export interface Answer {
  status: number;
  body: unknown;
}

export type RetryReason = 'offline' | 'network' | 'server';

export interface RetryState {
  attempt: number;
  reason: RetryReason;
  delayMs: number;
}

export interface PostUntilAnsweredOptions {
  /** Sends the request once; throws on a network error. */
  send: () => Promise<Response>;
  /** Called before each wait, so the page can say what is happening. */
  onRetry?: (state: RetryState) => void;
  /** Whether the device believes it is online (navigator.onLine). */
  isOnline?: () => boolean;
  /** Resolves after `ms`, or earlier when the connection comes back. */
  wait?: (ms: number) => Promise<void>;
  /** Stops retrying (page left); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || status >= 500;
}

/** 1 s, 2 s, 4 s … capped, each scaled by a random factor in [0.5, 1) so clients do not march in step. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/** Retry-After in seconds (the HTTP-date form is rare for APIs and treated as absent). */
export function retryAfterMs(header: string | null, maxMs: number): number | null {
  if (!header || !/^\d+$/.test(header.trim())) return null;
  return Math.min(maxMs, Number(header.trim()) * 1000);
}

export async function postUntilAnswered(options: PostUntilAnsweredOptions): Promise<Answer> {
  const {
    send,
    onRetry,
    isOnline = () => navigator.onLine,
    wait = waitOrOnline,
    signal,
    baseDelayMs = 1000,
    maxDelayMs = 30_000,
    random = Math.random,
  } = options;

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let reason: RetryReason;
    let serverDelay: number | null = null;
    try {
      const response = await send();
      if (!isRetryableStatus(response.status)) {
        return { status: response.status, body: await readBody(response) };
      }
      reason = 'server';
      serverDelay = retryAfterMs(response.headers.get('retry-after'), maxDelayMs);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // fetch rejects with a TypeError for every network failure; anything else is a bug to surface.
      if (!(error instanceof TypeError)) throw error;
      reason = isOnline() ? 'network' : 'offline';
    }
    const delayMs = serverDelay ?? backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
    onRetry?.({ attempt, reason, delayMs });
    await wait(delayMs);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Waits `ms`, but wakes up at once when the browser reports it is back online. */
export function waitOrOnline(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}
