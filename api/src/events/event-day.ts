import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { messageFor } from '../i18n/messages.ts';
import { storeImage, type MediaDeps } from '../media/index.ts';
import { ATTENDEE_GROUPS, type AttendeeGroup } from '../shared/attendee-groups.ts';
import type { Locale } from '../shared/locales.ts';
import { daySyncItemSchema, type DaySyncItem } from './day-schema.ts';
import { nextPosition } from './report-material.ts';
import type { PublicEvent } from '../shared/events.ts';
import { getEvent } from './service.ts';

/**
 * What the tablet downloads for the door: per registration only what the door needs — the name
 * where the person gave one, their needs, confirmed or waiting — never an address, phone or
 * locale. The tablet deletes it after the sync at the end of the day (frontend/src/event-day/).
 */
export interface DayListEntry {
  id: string;
  name: string | null;
  needs: { childcare?: boolean; interpreting?: string | null; accessibility?: string | null };
  status: 'confirmed' | 'waiting';
  arrived: boolean;
}

export interface DayList {
  event: Pick<PublicEvent, 'id' | 'slug' | 'title' | 'startsAt' | 'endsAt' | 'placeName'>;
  registrations: DayListEntry[];
  groups: readonly AttendeeGroup[];
}

export async function dayList(db: Kysely<Database>, eventId: string): Promise<DayList> {
  const event = await getEvent(db, eventId);
  const rows = await db
    .selectFrom('event_registration as r')
    .select(['r.id', 'r.name', 'r.needs', 'r.status'])
    .select(sql<boolean>`exists (select 1 from event_checkin c where c.registration_id = r.id)`.as('arrived'))
    .where('r.event_id', '=', eventId)
    .where('r.status', '<>', 'cancelled')
    .orderBy(sql`lower(coalesce(r.name, ''))`)
    .orderBy('r.place_in_line')
    .execute();
  return {
    event: { id: event.id, slug: event.slug, title: event.title, startsAt: event.startsAt, endsAt: event.endsAt, placeName: event.placeName },
    registrations: rows.map((row) => ({ id: row.id, name: row.name, needs: row.needs, status: row.status as 'confirmed' | 'waiting', arrived: Boolean(row.arrived) })),
    groups: ATTENDEE_GROUPS,
  };
}

export type DaySyncResult = { id: string | null; status: 'stored' | 'duplicate' } | { id: string | null; status: 'rejected'; code: string; message: string };

/**
 * Stores what the tablet recorded, one transaction per item and in order (as the interviews' sync):
 * an item whose id is already stored answers `duplicate` and changes nothing, so a sync repeated
 * after a lost answer is harmless. A tick for a registration someone else already ticked (a second
 * tablet) is a duplicate too: the person arrived once.
 */
export async function syncDay(db: Kysely<Database>, eventId: string, items: readonly unknown[], locale: Locale): Promise<DaySyncResult[]> {
  const event = await getEvent(db, eventId);
  if (event.status === 'draft') throw new ApiError(409, 'event_not_published');
  const results: DaySyncResult[] = [];
  for (const raw of items) {
    const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    const parsed = daySyncItemSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results.push({ id: rawId, status: 'rejected', code: 'invalid_request', message: messageFor(locale)('errors.invalid_request', { details: `${issue?.path.join('.')}: ${issue?.message}` }) });
      continue;
    }
    const item = { ...parsed.data, id: parsed.data.id.toLowerCase() };
    try {
      results.push(await db.transaction().execute((trx) => storeDayItem(trx, eventId, item)));
    } catch (error) {
      if (error instanceof ApiError) {
        results.push({ id: item.id, status: 'rejected', code: error.code, message: messageFor(locale)(`errors.${error.code}`, error.params) });
        continue;
      }
      throw error;
    }
  }
  return results;
}

const TABLE_OF = { arrival: 'event_checkin', walk_in: 'event_checkin', card: 'event_report_card', note: 'event_report_note' } as const;

async function storeDayItem(trx: Transaction<Database>, eventId: string, item: DaySyncItem): Promise<DaySyncResult> {
  const table = TABLE_OF[item.kind];
  const existing = await trx.selectFrom(table).select('event_id').where('id', '=', item.id).executeTakeFirst();
  if (existing) {
    // An id the tablet made for another event: not this one's to answer for.
    if (existing.event_id !== eventId) throw new ApiError(409, 'day_item_conflict');
    return { id: item.id, status: 'duplicate' };
  }
  if (item.kind === 'arrival' || item.kind === 'walk_in') {
    let registrationId: string | null = null;
    if (item.kind === 'arrival') {
      const registration = await trx.selectFrom('event_registration').select(['id']).where('id', '=', item.registrationId).where('event_id', '=', eventId).where('status', '<>', 'cancelled').executeTakeFirst();
      // Cancelled (or gone) since the list was downloaded: the person came all the same; counted as a walk-in.
      registrationId = registration?.id ?? null;
      if (registrationId) {
        const ticked = await trx.selectFrom('event_checkin').select('id').where('registration_id', '=', registrationId).executeTakeFirst();
        if (ticked) return { id: item.id, status: 'duplicate' };
      }
    }
    await trx.insertInto('event_checkin').values({ id: item.id, event_id: eventId, registration_id: registrationId, attendee_group: item.group }).execute();
    return { id: item.id, status: 'stored' };
  }
  if (item.kind === 'card') {
    const position = await nextPosition(trx, 'event_report_card', eventId);
    await trx
      .insertInto('event_report_card')
      .values({ id: item.id, event_id: eventId, statement: JSON.stringify(item.statement), field_of_action: item.fieldOfAction, origin: item.origin, dots: item.dots, position })
      .execute();
  } else {
    const position = await nextPosition(trx, 'event_report_note', eventId);
    await trx.insertInto('event_report_note').values({ id: item.id, event_id: eventId, room: item.room, note: item.note, position }).execute();
  }
  return { id: item.id, status: 'stored' };
}

/**
 * A photo of a pin board from the tablet, under the tablet's id: re-encoded by the media pipeline
 * (metadata and GPS stripped), stored once. The same id again answers `duplicate` without looking
 * at the bytes; a file that is not an image is refused (`not_an_image`) and nothing is stored.
 */
export async function storeReportPhoto(deps: MediaDeps, eventId: string, photoId: string, upload: Buffer): Promise<{ status: 'stored' | 'duplicate'; contentHash: string }> {
  const event = await getEvent(deps.db, eventId);
  if (event.status === 'draft') throw new ApiError(409, 'event_not_published');
  const id = photoId.toLowerCase();
  const existing = await deps.db.selectFrom('event_report_photo').select(['event_id', 'content_hash']).where('id', '=', id).executeTakeFirst();
  if (existing) {
    if (existing.event_id !== eventId) throw new ApiError(409, 'day_item_conflict');
    return { status: 'duplicate', contentHash: existing.content_hash };
  }
  const stored = await storeImage(deps, upload);
  const inserted = await deps.db.transaction().execute(async (trx) =>
    trx
      .insertInto('event_report_photo')
      .values({ id, event_id: eventId, content_hash: stored.contentHash, position: await nextPosition(trx, 'event_report_photo', eventId) })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst(),
  );
  return { status: inserted ? 'stored' : 'duplicate', contentHash: stored.contentHash };
}

