import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredStaffSession } from '../shared/offline/tablet-session.ts';
import type { AttendeeGroup } from '../../../api/src/shared/attendee-groups.ts';

/**
 * The event day on the coordinator's tablet, in IndexedDB (its own database, apart from the
 * interviews'). Two kinds of thing live here:
 * - the downloaded check-in list (`days`): person data — names where given, needs — kept only
 *   until the day is over: deleted when the coordinator ends the day, after the first complete
 *   sync once the event has ended, and in any case when the page opens 12 hours after the end;
 * - what the tablet recorded (`items`, `photos`) under ids it made itself: arrivals (a registration
 *   id and a group, no name), walk-ins (a group), result cards, hosts' notes, photos. The server
 *   stores each id once, so sending again after a lost answer changes nothing.
 */
export interface DayRegistration {
  id: string;
  name: string | null;
  needs: { childcare?: boolean; interpreting?: string | null; accessibility?: string | null };
  status: 'confirmed' | 'waiting';
  /** Ticked on the server when the list was downloaded (by this or another tablet). */
  arrived: boolean;
}

export interface StoredDay {
  eventId: string;
  slug: string;
  title: Record<string, string>;
  startsAt: string;
  endsAt: string;
  placeName: string;
  registrations: DayRegistration[];
  downloadedAt: string;
}

export type DayItemPayload =
  | { kind: 'arrival'; id: string; registrationId: string; group: AttendeeGroup | null }
  | { kind: 'walk_in'; id: string; group: AttendeeGroup | null }
  | { kind: 'card'; id: string; statement: { de: string }; fieldOfAction: string | null; origin: string | null; dots: number }
  | { kind: 'note'; id: string; room: string; note: string };

/** queued → (server: stored | duplicate) → synced; → (server: rejected) → rejected, with the reason. */
export type DayItemState = 'queued' | 'synced' | 'rejected';

export interface StoredDayItem {
  id: string;
  eventId: string;
  payload: DayItemPayload;
  state: DayItemState;
  rejection: string | null;
  createdAt: string;
}

export interface StoredDayPhoto {
  id: string;
  eventId: string;
  /** Dropped once the server holds the photo; the stub stays to count it. */
  blob: Blob | null;
  state: DayItemState;
  rejection: string | null;
  createdAt: string;
}


interface EventDaySchema extends DBSchema {
  days: { key: string; value: StoredDay };
  items: { key: string; value: StoredDayItem; indexes: { byEvent: string; byState: DayItemState } };
  photos: { key: string; value: StoredDayPhoto; indexes: { byEvent: string; byState: DayItemState } };
  settings: { key: 'session'; value: StoredStaffSession };
}

export type EventDayDatabase = IDBPDatabase<EventDaySchema>;

export const EVENT_DAY_DATABASE = 'vielstimmig-event-day';

/** Schema versions only ever add (queued items survive app updates), as in the interviewer app. */
export function openEventDayDatabase(onReplaced?: () => void): Promise<EventDayDatabase> {
  return openDB<EventDaySchema>(EVENT_DAY_DATABASE, 1, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('days', { keyPath: 'eventId' });
        const items = db.createObjectStore('items', { keyPath: 'id' });
        items.createIndex('byEvent', 'eventId');
        items.createIndex('byState', 'state');
        const photos = db.createObjectStore('photos', { keyPath: 'id' });
        photos.createIndex('byEvent', 'eventId');
        photos.createIndex('byState', 'state');
        db.createObjectStore('settings');
      }
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onReplaced?.();
    },
  });
}

export async function queueItem(db: EventDayDatabase, eventId: string, payload: DayItemPayload): Promise<void> {
  await db.put('items', { id: payload.id, eventId, payload, state: 'queued', rejection: null, createdAt: new Date().toISOString() });
}

/** Only what was not sent yet can be taken back on the tablet; after the sync it is the report's. */
export async function unqueueItem(db: EventDayDatabase, id: string): Promise<boolean> {
  const item = await db.get('items', id);
  if (!item || item.state === 'synced') return false;
  await db.delete('items', id);
  return true;
}

export async function queuePhoto(db: EventDayDatabase, eventId: string, blob: Blob): Promise<void> {
  const id = crypto.randomUUID();
  await db.put('photos', { id, eventId, blob, state: 'queued', rejection: null, createdAt: new Date().toISOString() });
}

export const itemsOf = async (db: EventDayDatabase, eventId: string) =>
  (await db.getAllFromIndex('items', 'byEvent', eventId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
export const photosOf = async (db: EventDayDatabase, eventId: string) =>
  (await db.getAllFromIndex('photos', 'byEvent', eventId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

export async function waitingCount(db: EventDayDatabase): Promise<number> {
  return (await db.countFromIndex('items', 'byState', 'queued')) + (await db.countFromIndex('photos', 'byState', 'queued'));
}

/** Ends the day on this tablet: the list with its names goes, and so do the stubs of what was sent. */
export async function forgetDay(db: EventDayDatabase, eventId: string): Promise<void> {
  const tx = db.transaction(['days', 'items', 'photos'], 'readwrite');
  await tx.objectStore('days').delete(eventId);
  for (const store of ['items', 'photos'] as const) {
    for (const record of await tx.objectStore(store).index('byEvent').getAll(eventId)) {
      if (record.state !== 'queued') await tx.objectStore(store).delete(record.id);
    }
  }
  await tx.done;
}

/** How long after its end a downloaded list may stay on the tablet, synced or not. */
export const LIST_KEPT_AFTER_END_MS = 12 * 3600 * 1000;

/** Deletes the lists of days that are over; queued items (no names in them) stay until sent. */
export async function forgetEndedDays(db: EventDayDatabase, now = Date.now()): Promise<string[]> {
  const gone: string[] = [];
  for (const day of await db.getAll('days')) {
    if (Date.parse(day.endsAt) + LIST_KEPT_AFTER_END_MS < now) {
      await forgetDay(db, day.eventId);
      gone.push(day.eventId);
    }
  }
  return gone;
}
