import type { RejectionReason } from '../store/types.ts';

/**
 * The server's per-item `errors` as reasons the interviewer can read. The server sends
 * `[{question, message}]`; anything else (a bare string, an unexpected shape) still becomes a reason,
 * because a rejected conversation must never be shown without one.
 */
export function rejectionReasons(errors: unknown, fallbackMessage: string): RejectionReason[] {
  const list = Array.isArray(errors) ? errors : errors === undefined || errors === null ? [] : [errors];
  const reasons = list
    .map((entry): RejectionReason | null => {
      if (typeof entry === 'string' && entry.trim()) return { question: null, message: entry };
      if (entry && typeof entry === 'object') {
        const { question, message, code } = entry as { question?: unknown; message?: unknown; code?: unknown };
        const text = typeof message === 'string' && message.trim() ? message : typeof code === 'string' ? code : null;
        if (text) return { question: typeof question === 'string' ? question : null, message: text };
      }
      return null;
    })
    .filter((reason): reason is RejectionReason => reason !== null);
  return reasons.length > 0 ? reasons : [{ question: null, message: fallbackMessage }];
}

/** Splits a queue into the batches sent one request at a time. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`batch size must be a positive whole number, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
