import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';

export const DEFAULT_REMINDER_HOURS = 24;

/**
 * Queues the reminder for every confirmed registration with an address whose published event
 * starts within `leadHours` from now. The flag and the queued message are written in one
 * transaction, and the flag is taken with `update … where reminder_queued = false returning`, so a
 * reminder is queued exactly once even if two processes ran this at the same moment (which
 * runExclusively already prevents). Returns how many were queued.
 */
export async function queueEventReminders(db: Kysely<Database>, options: { now: Date; leadHours: number }): Promise<number> {
  const until = new Date(options.now.getTime() + options.leadHours * 3600 * 1000);
  const outcome = await runExclusively(db, 'event-reminders', async (trx) => {
    const taken = await trx
      .updateTable('event_registration')
      .set({ reminder_queued: true })
      .where('reminder_queued', '=', false)
      .where('status', '=', 'confirmed')
      .where('email', 'is not', null)
      .where('event_id', 'in', (eb) =>
        eb
          .selectFrom('event')
          .select('id')
          .where('status', '=', 'published')
          .where('starts_at', '>', options.now)
          .where('starts_at', '<=', until),
      )
      .returning('id')
      .execute();
    if (taken.length > 0) await trx.insertInto('mail_outbox').values(taken.map((row) => ({ id: randomUUID(), registration_id: row.id, kind: 'event_reminder' as const }))).execute();
    return taken.length;
  });
  return outcome.ran ? outcome.result : 0;
}

/** Looks for due reminders every `intervalMs` (default 10 minutes) and once at start; `leadHours` 0 turns reminders off. */
export function scheduleEventReminders(db: Kysely<Database>, options: { leadHours: number; intervalMs?: number; now?: () => Date; log?: (line: string) => void }): { stop(): void } {
  if (options.leadHours <= 0) return { stop: () => {} };
  const run = () =>
    queueEventReminders(db, { now: options.now?.() ?? new Date(), leadHours: options.leadHours })
      .then((queued) => queued > 0 && options.log?.(`queued ${queued} event reminder(s)`))
      .catch((error: Error) => options.log?.(`event reminders: ${error.name} (will try again)`));
  const timer = setInterval(run, options.intervalMs ?? 10 * 60 * 1000);
  timer.unref();
  void run();
  return { stop: () => clearInterval(timer) };
}
