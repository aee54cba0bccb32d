/**
 * What the public pages say about seats: a coarse word, never the number left. An exact small
 * number ("1 seat left") tells everyone who watches the page when someone registered; "few places"
 * does not, and it is all a resident needs to decide whether to hurry.
 */
export type SeatAvailability = 'available' | 'few' | 'full' | 'closed';

/** "Few" once at most a fifth of the seats (and at least the last two) are left. */
export function seatAvailability(capacity: number | null, confirmed: number, registrationOpen: boolean): SeatAvailability {
  if (!registrationOpen) return 'closed';
  if (capacity === null) return 'available';
  const left = capacity - confirmed;
  if (left <= 0) return 'full';
  return left <= Math.max(2, Math.ceil(capacity / 5)) ? 'few' : 'available';
}
