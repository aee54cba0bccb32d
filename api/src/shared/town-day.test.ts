import { describe, expect, it } from 'vitest';
import { dayInTown } from './town-day.ts';

describe('dayInTown', () => {
  it('counts days in German time, winter and summer, whatever time zone the process runs in', () => {
    // 23:30 UTC is already the next day in Berlin (CET, +1); 22:30 UTC in July too (CEST, +2).
    expect(dayInTown(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-07');
    expect(dayInTown(new Date('2026-12-06T22:59:59Z'))).toBe('2026-12-06');
    expect(dayInTown(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
    expect(dayInTown(new Date('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
  });
});
