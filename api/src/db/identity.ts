import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * What tells one database from another for caches kept in memory: its Kysely adapter, which a
 * handle shares with every transaction opened on it. Tests run several databases in one process,
 * and the interviewers' sync stores each interview in a transaction of its own.
 */
export type DatabaseIdentity = object;

export function databaseIdentity(db: Kysely<Database>): DatabaseIdentity {
  return db.getExecutor().adapter;
}
