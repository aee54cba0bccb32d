import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Runs `job` only if no other process (or caller in this process) runs the job of that name right
 * now, and returns whether it ran. Scheduled work — purges, deletion dates, the mail queue — calls
 * this, so that several app processes behind a load balancer do each piece of work once.
 *
 * A transaction-level advisory lock: PostgreSQL releases it when the transaction ends, also when the
 * process dies mid-job, so a crash never leaves a job locked. The job gets the transaction, but its
 * writes may also use their own (they then commit independently of the lock).
 */
export async function runExclusively<T>(
  db: Kysely<Database>,
  jobName: string,
  job: (trx: Kysely<Database>) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${'vielstimmig:' + jobName})) as locked`.execute(trx);
    if (!rows[0]?.locked) return { ran: false as const };
    return { ran: true as const, result: await job(trx) };
  });
}

/**
 * Runs `work` while holding an advisory lock, waiting for it if another process holds it: the
 * start-up steps (seeding, registering instruments, the first purges) of two processes started at
 * the same moment then run one after the other, never side by side. The lock belongs to a
 * transaction that only holds it, on a connection of its own, while `work` uses the pool: a
 * transaction-level lock, so it also holds behind PgBouncer in transaction mode and ends with the
 * process. PGlite is one process with one connection, so there it just runs `work`.
 */
export async function runOneAtATime<T>(db: Kysely<Database>, dbKind: 'postgres' | 'pglite', name: string, work: () => Promise<T>): Promise<T> {
  if (dbKind === 'pglite') return work();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${'vielstimmig:' + name}))`.execute(trx);
    return work();
  });
}
