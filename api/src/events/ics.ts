import { createEvent } from 'ics';
import type { Locale } from '../shared/locales.ts';
import type { PublicEvent } from '../shared/events.ts';
import { localised } from './options.ts';

/**
 * The event as an iCalendar file (RFC 5545) through the `ics` library: times in UTC, the UID
 * stable per event so a calendar updates rather than duplicates it, CANCELLED once cancelled, and
 * SEQUENCE the event's `ics_sequence`, raised with every change of time, place or status
 * (service.ts, updateEvent): a calendar applies a file only when its SEQUENCE is higher than the
 * one it has, so a moved event's new file replaces the old date instead of being ignored.
 */
export function eventIcs(event: Omit<PublicEvent, 'capacity'>, sequence: number, locale: Locale, url?: string): string {
  const location = [event.placeName, event.placeAddress].filter(Boolean).join(', ');
  const { error, value } = createEvent({
    productId: 'vielstimmig/events',
    uid: `${event.id}@vielstimmig.invalid`,
    title: localised(event.title, locale),
    description: localised(event.description, locale) || undefined,
    location,
    url,
    start: new Date(event.startsAt).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: new Date(event.endsAt).getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    sequence,
  });
  if (error || !value) throw error ?? new Error('ics: no calendar produced');
  return value;
}
