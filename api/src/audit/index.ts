import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface AuditEntry {
  /** The staff account that acted; null for the system itself (start-up, scheduled clean-up). */
  actorId: string | null;
  /** What happened, as a stable dotted name: `export.aggregate_csv`, `user.create`, `survey.close`. */
  action: string;
  target?: string | null;
  /** Parameters of the action; never answers, contact details or passwords. */
  details?: Record<string, unknown>;
}

/** Writes who did what, when, to the audit log. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target: entry.target ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  /** Exact action (`survey.close`) or a prefix ending in a dot (`export.`). */
  action: string | null;
  /** An account's id, or `system` for what the platform did itself. */
  actor: string | null;
  from: Date | null;
  /** Exclusive. */
  to: Date | null;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  action: string;
  target: string | null;
  details: unknown;
}

/** One page of the audit log, newest first, with the number of entries the filter matches. */
export async function listAuditEntries(db: Kysely<Database>, filter: AuditFilter, page: { offset: number; limit: number }): Promise<{ entries: AuditRow[]; total: number }> {
  let query = db.selectFrom('audit_log');
  if (filter.action) query = filter.action.endsWith('.') ? query.where('action', 'like', `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : query.where('action', '=', filter.action);
  if (filter.actor === 'system') query = query.where('actor_id', 'is', null);
  else if (filter.actor) query = query.where('actor_id', '=', filter.actor);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  const [entries, count] = await Promise.all([
    query
      .select(['id', 'at', 'actor_id as actorId', 'action', 'target', 'details'])
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { entries, total: Number(count.n) };
}

/** The actions that occur in the log, for the viewer's filter. */
export async function listAuditActions(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((row) => row.action);
}
