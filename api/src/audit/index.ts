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
