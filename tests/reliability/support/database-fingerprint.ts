import { sql, type Kysely } from 'kysely';

/**
 * Row count and checksum of every table in the public schema: two equal fingerprints mean no row
 * was added, removed or changed in between. Tables are found in the catalogue, so a table a later
 * migration adds is covered without touching this file.
 */
export type DatabaseFingerprint = Record<string, { rows: number; checksum: string | null }>;

/**
 * The request counters of the rate limits: every request to a limited route, refused or not, adds
 * to them (keyed hashes and counts, no content), so "unchanged" is asked of every other table.
 */
export const REQUEST_COUNTER_TABLES = ['rate_limit_window', 'login_failure', 'login_known_network'];

export async function databaseFingerprint(db: Kysely<any>, except: readonly string[] = REQUEST_COUNTER_TABLES): Promise<DatabaseFingerprint> {
  const all = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const tables = { rows: all.rows.filter(({ name }) => !except.includes(name)) };
  const fingerprint: DatabaseFingerprint = {};
  for (const { name } of tables.rows) {
    // Ordering by the row's own text makes the checksum independent of physical order.
    const result = await sql<{ rows: number; checksum: string | null }>`
      select count(*)::int as rows, md5(string_agg(t::text, ',' order by t::text)) as checksum
      from ${sql.table(name)} as t`.execute(db);
    fingerprint[name] = result.rows[0]!;
  }
  return fingerprint;
}
