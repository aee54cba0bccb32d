import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Locks the event's row for the rest of the transaction. Every change to who holds a seat
 * (registration, cancellation, more capacity) takes this lock first, so seat counts read after it
 * are final until commit: the last seat cannot be given twice.
 */
export async function lockEvent(trx: Transaction<Database>, eventId: string) {
  return trx.selectFrom('event').selectAll().where('id', '=', eventId).forUpdate().executeTakeFirst();
}

/** The next number in line for this event (under the event's lock). */
export async function nextPlaceInLine(trx: Transaction<Database>, eventId: string): Promise<number> {
  const row = await trx.selectFrom('event_registration').select(sql<number>`coalesce(max(place_in_line), 0)::int + 1`.as('next')).where('event_id', '=', eventId).executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function activeRegistrationByEmail(db: Kysely<Database> | Transaction<Database>, eventId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('event_registration')
    .select('id')
    .where('event_id', '=', eventId)
    .where('status', '<>', 'cancelled')
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Fills free seats from the waiting list in order (under the event's lock) and queues a "you moved
 * up" message for each person with an address. Returns how many moved up.
 */
export async function promoteFromWaitingList(trx: Transaction<Database>, eventId: string, capacity: number | null): Promise<number> {
  const confirmed = await trx.selectFrom('event_registration').select((eb) => eb.fn.countAll<string>().as('n')).where('event_id', '=', eventId).where('status', '=', 'confirmed').executeTakeFirstOrThrow();
  const free = capacity === null ? Number.MAX_SAFE_INTEGER : capacity - Number(confirmed.n);
  if (free <= 0) return 0;
  const next = await trx
    .selectFrom('event_registration')
    .select(['id', 'email'])
    .where('event_id', '=', eventId)
    .where('status', '=', 'waiting')
    .orderBy('place_in_line')
    .limit(Math.min(free, 100_000))
    .execute();
  if (next.length === 0) return 0;
  const ids = next.map((row) => row.id);
  await trx.updateTable('event_registration').set({ status: 'confirmed' }).where('id', 'in', ids).execute();
  // An unsent "you are on the waiting list" would now be false: the moved-up message replaces it.
  await trx.deleteFrom('mail_outbox').where('registration_id', 'in', ids).where('kind', '=', 'event_registration').where('sent_at', 'is', null).execute();
  const withEmail = next.filter((row) => row.email);
  if (withEmail.length > 0) {
    await trx.insertInto('mail_outbox').values(withEmail.map((row) => ({ id: randomUUID(), registration_id: row.id, kind: 'event_moved_up' as const }))).execute();
  }
  return next.length;
}
