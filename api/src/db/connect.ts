import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { PreparingClient } from './prepared-statements.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// pg returns int8 (count(*), bigserial) and numeric as strings; PGlite returns numbers. Aligning
// them here keeps every query's result the same on both databases.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value));

export interface ConnectOptions {
  /** PostgreSQL URL; null opens PGlite instead. */
  databaseUrl: string | null;
  /** Folder for the embedded database; null keeps it in memory (tests). */
  pgliteDir: string | null;
  poolSize?: number;
}

/** Opens the one database handle of a process: a pg pool, or the embedded PGlite. */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      // Statements marked PREPARE_ON_POSTGRES are prepared once per connection (prepared-statements.ts).
      Client: PreparingClient,
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // Without a bound, a request waits for the operating system's TCP timeout (minutes) when the
      // database host does not answer at all; with it, the client hears 503 and retries.
      connectionTimeoutMillis: 10_000,
    });
    // An idle client whose server went away emits 'error'; without a listener that kills the process.
    pool.on('error', () => {});
    // So does a client that is checked out but between queries (inside a transaction, or between
    // Kysely acquiring it and sending the query) when its backend is terminated: the pool only
    // listens while a client is idle. Swallowed here; the next query on that client fails with
    // "not queryable" (answered 503), and the pool discards the client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.pgliteDir) await fs.mkdir(path.dirname(options.pgliteDir), { recursive: true });
  // Loaded only here: the embedded database's WebAssembly costs tens of megabytes of memory that a
  // process on the PostgreSQL server (every production install) should not pay for.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(options.pgliteDir ?? undefined, {
    parsers: { [INT8_OID]: (value: string) => Number(value), [NUMERIC_OID]: (value: string) => Number(value) },
  });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
