import { describe, expect, it } from 'vitest';
import { seatAvailability } from './availability.ts';

describe('seatAvailability', () => {
  it('says only available, few, full or closed', () => {
    expect(seatAvailability(null, 500, true)).toBe('available');
    expect(seatAvailability(20, 15, true)).toBe('available');
    expect(seatAvailability(20, 16, true)).toBe('few');
    expect(seatAvailability(20, 19, true)).toBe('few');
    expect(seatAvailability(20, 20, true)).toBe('full');
    expect(seatAvailability(20, 25, true)).toBe('full');
    expect(seatAvailability(20, 0, false)).toBe('closed');
  });

  it('calls the last two seats few even at a small event', () => {
    expect(seatAvailability(5, 2, true)).toBe('available');
    expect(seatAvailability(5, 3, true)).toBe('few');
    expect(seatAvailability(1, 0, true)).toBe('few');
  });
});
