import { describe, expect, it } from 'vitest';
import { CHECK_INTERVAL_MS, nextDelay } from './sync-scheduler.ts';

describe('nextDelay', () => {
  it('checks at the normal interval while nothing failed', () => {
    expect(nextDelay(0)).toBe(CHECK_INTERVAL_MS);
  });

  it('retries soon after a failure, then backs off to the normal interval and stays there', () => {
    expect([1, 2, 3, 4, 5, 50].map(nextDelay)).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000]);
  });
});
