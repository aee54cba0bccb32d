import type { SeatAvailability } from '../shared/events.ts';

/** "Few" once at most a fifth of the seats (and at least the last two) are left. */
export function seatAvailability(capacity: number | null, confirmed: number, registrationOpen: boolean): SeatAvailability {
  if (!registrationOpen) return 'closed';
  if (capacity === null) return 'available';
  const left = capacity - confirmed;
  if (left <= 0) return 'full';
  return left <= Math.max(2, Math.ceil(capacity / 5)) ? 'few' : 'available';
}
