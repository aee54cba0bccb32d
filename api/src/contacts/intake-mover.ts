import { randomInt, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';

/**
 * Below this many held opt-ins the mover waits for more (up to MAX_WAITING_ROUNDS rounds): a batch
 * of one would carry its resident's moment into `contact` as plainly as a direct insert.
 */
export const MIN_BATCH_SIZE = 10;
export const MAX_WAITING_ROUNDS = 12;

/**
 * Moves every held opt-in into `contact` in one transaction, in an order drawn afresh, and deletes
 * the held rows in the same transaction: a contact is in exactly one of the two tables at every
 * moment, so a crash anywhere loses nothing. Afterwards all contacts of a batch share the mover's
 * transaction id, and their order on disk is random within the batch. Returns how many moved, or
 * null when another process is moving right now (or fewer than `minBatch` are held).
 */
export async function moveHeldContacts(db: Kysely<Database>, options: { minBatch?: number } = {}): Promise<number | null> {
  const minBatch = options.minBatch ?? MIN_BATCH_SIZE;
  const outcome = await runExclusively(db, 'contact-intake-mover', async (trx) => {
    const held = await trx.selectFrom('contact_intake').selectAll().forUpdate().execute();
    if (held.length === 0 || held.length < minBatch) return null;
    const shuffled = shuffle(held);
    const moved = await trx
      .insertInto('contact')
      .values(
        shuffled.map((row) => ({
          id: row.id,
          withdraw_code_hash: row.withdraw_code_hash,
          name: row.name,
          email: row.email,
          phone: row.phone,
          topics: JSON.stringify(row.topics),
          formats: JSON.stringify(row.formats),
          district: row.district,
          locale: row.locale,
          consent_text_version: row.consent_text_version,
          created_month: row.accepted_month,
          confirmed: false,
          // A Monday 14–20 days from now: a week, not a day, and only until the person confirms.
          confirm_by: row.email === null ? null : sql<string>`date_trunc('week', current_date + 20)::date`,
        })),
      )
      // A repeated hand-over that raced this very move into the holding table is already here:
      // the copy is dropped with the held rows, not moved (and not written to twice).
      .onConflict((oc) => oc.column('withdraw_code_hash').doNothing())
      .returning('id')
      .execute();
    const movedIds = new Set(moved.map((row) => row.id));
    // Their confirmation mails, queued in the same transaction: the queue's rows carry the batch's
    // moment, not a resident's.
    const withEmail = shuffled.filter((row) => row.email !== null && movedIds.has(row.id));
    if (withEmail.length > 0) {
      await trx
        .insertInto('mail_outbox')
        .values(withEmail.map((row) => ({ id: randomUUID(), contact_id: row.id, kind: 'contact_confirmation' as const })))
        .execute();
    }
    await trx
      .deleteFrom('contact_intake')
      .where(
        'id',
        'in',
        held.map((row) => row.id),
      )
      .execute();
    return held.length;
  });
  return outcome.ran ? outcome.result : null;
}

/**
 * Deletes email contacts nobody confirmed by their `confirm_by` day (14–20 days after they were
 * moved), with their queued mail. Phone-only contacts have no deadline: they are kept, unconfirmed.
 */
export async function deleteUnconfirmedContacts(db: Kysely<Database>): Promise<number> {
  // Every process runs it (start-up, the mover's rounds); one at a time does the work.
  const outcome = await runExclusively(db, 'contact-unconfirmed-purge', async (trx) => {
    const result = await trx
      .deleteFrom('contact')
      .where('confirmed', '=', false)
      .where(sql<boolean>`confirm_by <= current_date`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
  return outcome.ran ? outcome.result : 0;
}

/** Fisher–Yates with the operating system's randomness: the order must not be predictable. */
function shuffle<T>(items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

export interface IntakeMoverSchedule {
  stop(): Promise<void>;
}

/**
 * Runs the mover at random moments (uniform between `minDelayMs` and `maxDelayMs`, default 30 min –
 * 3 h): regular moments would tell which responses lie in one batch's window as well as the clock.
 * After MAX_WAITING_ROUNDS rounds below the batch size it moves what is held, so a quiet week still
 * gets its confirmation mails. Every process may run it; runExclusively lets one move at a time.
 */
export function scheduleIntakeMover(
  db: Kysely<Database>,
  options: { log?: (line: string) => void; minDelayMs?: number; maxDelayMs?: number } = {},
): IntakeMoverSchedule {
  const minDelay = options.minDelayMs ?? 30 * 60_000;
  const maxDelay = options.maxDelayMs ?? 3 * 60 * 60_000;
  let waitingRounds = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const round = async () => {
    try {
      const force = waitingRounds >= MAX_WAITING_ROUNDS;
      const moved = await moveHeldContacts(db, force ? { minBatch: 1 } : {});
      await deleteUnconfirmedContacts(db);
      waitingRounds = moved === null ? waitingRounds + 1 : 0;
      if (moved) options.log?.(`moved ${moved} opt-in(s) into the contact list`);
    } catch (error) {
      options.log?.(`moving opt-ins failed (they stay held): ${(error as Error).message}`);
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = null;
        next();
      });
    }, minDelay + randomInt(Math.max(1, maxDelay - minDelay)));
    timer.unref();
  };
  next();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
