import { describe, expect, it } from 'vitest';
import { countArrivals } from './checkin-view.ts';
import type { StoredDay, StoredDayItem } from './store.ts';

const day: StoredDay = {
  eventId: 'e',
  slug: 'cafe',
  title: { de: 'Café' },
  startsAt: '2026-12-05T15:00:00Z',
  endsAt: '2026-12-05T19:00:00Z',
  placeName: 'Bürgerhaus',
  registrations: [
    { id: 'r1', name: 'Ayşe', needs: {}, status: 'confirmed', arrived: true },
    { id: 'r2', name: null, needs: {}, status: 'confirmed', arrived: false },
  ],
  downloadedAt: '2026-12-05T14:00:00Z',
};
const item = (payload: StoredDayItem['payload'], state: StoredDayItem['state'] = 'queued'): StoredDayItem => ({ id: payload.id, eventId: 'e', payload, state, rejection: null, createdAt: '' });

describe('the tablet’s arrival figures', () => {
  it('counts arrivals ticked before the download once, its own ticks and walk-ins by group, and leaves refused items out', () => {
    const counts = countArrivals(day, [
      // Ticked on this tablet after another tablet had already ticked her: still one person.
      item({ kind: 'arrival', id: 'a1', registrationId: 'r1', group: 'residents' }, 'synced'),
      item({ kind: 'arrival', id: 'a2', registrationId: 'r2', group: 'politics' }),
      item({ kind: 'walk_in', id: 'w1', group: 'residents' }),
      item({ kind: 'walk_in', id: 'w2', group: null }),
      item({ kind: 'walk_in', id: 'w3', group: 'business' }, 'rejected'),
      item({ kind: 'card', id: 'c1', statement: { de: 'Bänke' }, fieldOfAction: null, origin: null, dots: 3 }),
    ]);
    expect(counts).toEqual({ total: 4, walkIns: 2, byGroup: { politics: 1, residents: 1 } });
  });
});
