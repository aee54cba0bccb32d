import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { isAttendeeGroup } from '../shared/attendee-groups.ts';
import type { Attendance, ReportCard, ReportMaterial } from '../shared/events.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The closing report's material from the day: photos, result cards, hosts' notes (staff only). */

export async function nextPosition(db: Db, table: 'event_report_card' | 'event_report_note' | 'event_report_photo', eventId: string): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number>`coalesce(max(position), 0)::int + 1`.as('next')).where('event_id', '=', eventId).executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function attendanceOf(db: Db, eventId: string): Promise<Attendance> {
  const rows = await db
    .selectFrom('event_checkin')
    .select(['attendee_group', sql<boolean>`registration_id is not null`.as('registered'), sql<number>`count(*)::int`.as('n')])
    .where('event_id', '=', eventId)
    .groupBy(['attendee_group', sql`registration_id is not null`])
    .execute();
  const attendance: Attendance = { total: 0, registered: 0, walkIns: 0, byGroup: {} };
  for (const row of rows) {
    const n = Number(row.n);
    attendance.total += n;
    if (row.registered) attendance.registered += n;
    else attendance.walkIns += n;
    if (isAttendeeGroup(row.attendee_group)) attendance.byGroup[row.attendee_group] = (attendance.byGroup[row.attendee_group] ?? 0) + n;
  }
  return attendance;
}


export async function reportMaterial(db: Db, eventId: string, audience: 'staff' | 'public'): Promise<ReportMaterial> {
  const [attendance, photos, cards] = await Promise.all([
    attendanceOf(db, eventId),
    db
      .selectFrom('event_report_photo as p')
      .innerJoin('media as m', 'm.content_hash', 'p.content_hash')
      .select(['p.id', 'm.width', 'm.height'])
      .where('p.event_id', '=', eventId)
      .orderBy('p.position')
      .execute(),
    db
      .selectFrom('event_report_card')
      .select(['id', 'statement', 'field_of_action', 'origin', 'dots'])
      .where('event_id', '=', eventId)
      .orderBy('dots', 'desc')
      .orderBy('position')
      .execute(),
  ]);
  const material: ReportMaterial = {
    attendance,
    photos: photos.map((row) => ({ id: row.id, width: row.width, height: row.height })),
    cards: cards.map((row) => ({ id: row.id, statement: row.statement, fieldOfAction: row.field_of_action, origin: row.origin, dots: row.dots })),
  };
  if (audience === 'staff') {
    material.notes = await db.selectFrom('event_report_note').select(['id', 'room', 'note']).where('event_id', '=', eventId).orderBy('position').execute();
  }
  return material;
}

/** Whether anything was recorded on the day (a report exists for staff even before it was written). */
export const hasMaterial = (material: ReportMaterial) => material.attendance.total > 0 || material.photos.length > 0 || material.cards.length > 0 || (material.notes?.length ?? 0) > 0;

/** The photo's content hash, if it belongs to this event (and, for the public, to a published report). */
export async function reportPhotoHash(db: Db, eventId: string, photoId: string, onlyPublished: boolean): Promise<string | undefined> {
  let query = db.selectFrom('event_report_photo as p').select('p.content_hash').where('p.id', '=', photoId.toLowerCase()).where('p.event_id', '=', eventId);
  if (onlyPublished) query = query.where(({ exists, selectFrom }) => exists(selectFrom('event_report as r').select('r.event_id').whereRef('r.event_id', '=', 'p.event_id').where('r.published', '=', true)));
  return (await query.executeTakeFirst())?.content_hash;
}

export async function updateCard(db: Db, eventId: string, cardId: string, card: Omit<ReportCard, 'id'>): Promise<ReportCard> {
  const row = await db
    .updateTable('event_report_card')
    .set({ statement: JSON.stringify(card.statement), field_of_action: card.fieldOfAction, origin: card.origin, dots: card.dots })
    .where('id', '=', cardId.toLowerCase())
    .where('event_id', '=', eventId)
    .returning(['id', 'statement', 'field_of_action', 'origin', 'dots'])
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'report_item_not_found');
  return { id: row.id, statement: row.statement, fieldOfAction: row.field_of_action, origin: row.origin, dots: row.dots };
}

/** Removes a card, note or photo from the report (a photo's bytes go with the media purge once nothing links them). */
export async function deleteReportItem(db: Db, eventId: string, table: 'event_report_card' | 'event_report_note' | 'event_report_photo', id: string): Promise<void> {
  const deleted = await db.deleteFrom(table).where('id', '=', id.toLowerCase()).where('event_id', '=', eventId).returning('id').executeTakeFirst();
  if (!deleted) throw new ApiError(404, 'report_item_not_found');
}
