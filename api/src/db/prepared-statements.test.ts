import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeResponse } from '../responses/service.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { PREPARE_ON_POSTGRES, preparedStatementName } from './prepared-statements.ts';
import type { Database } from './schema.ts';

/** The statements prepared in this session (PostgreSQL's view: one connection's own). */
async function preparedHere(db: Kysely<any>): Promise<{ name: string; statement: string }[]> {
  return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(db)).rows;
}

describe('statements marked PREPARE_ON_POSTGRES', () => {
  let platform: TestPlatform;
  const onPostgres = () => platform.database.kind === 'postgres';

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('are named prepared statements on PostgreSQL, parsed once per connection; unmarked ones are not prepared; PGlite runs both', async () => {
    const marked = (n: number) => sql<{ doubled: number }>`${PREPARE_ON_POSTGRES} select ${n}::int * 2 as doubled`;
    await platform.database.db.connection().execute(async (connection) => {
      // Results are the same on both databases, and with different values through one statement.
      expect((await marked(2).execute(connection)).rows).toEqual([{ doubled: 4 }]);
      expect((await marked(21).execute(connection)).rows).toEqual([{ doubled: 42 }]);
      expect((await sql<{ n: number }>`select ${7}::int as n`.execute(connection)).rows).toEqual([{ n: 7 }]);
      if (!onPostgres()) return;

      const text = marked(0).compile(connection).sql;
      const prepared = await preparedHere(connection);
      // One statement for two calls, under the name its text gives; the unmarked select is absent.
      // (The demo town's start-up may have prepared others on this connection: looked past.)
      expect(prepared.filter((row) => row.statement.includes('as doubled'))).toEqual([{ name: preparedStatementName(text), statement: text }]);
      expect(prepared.filter((row) => row.statement.includes('as n'))).toEqual([]);
    });
  });

  it('include the response insert: storing responses on one connection prepares it once', async () => {
    if (!onPostgres()) return;
    await platform.database.db.connection().execute(async (connection) => {
      const store = (satisfaction: string) =>
        storeResponse(
          { db: connection as Kysely<Database> },
          { id: randomUUID(), slug: 'mini', version: 1, mode: 'online', locale: 'de', district: null, channel: null, answers: { satisfaction }, resumeCode: null },
        );
      expect(await store('high')).toEqual({ status: 'stored' });
      expect(await store('low')).toEqual({ status: 'stored' });
      const inserts = (await preparedHere(connection)).filter((row) => /insert into response\b/.test(row.statement));
      expect(inserts).toHaveLength(1);
      expect(inserts[0]!.name).toBe(preparedStatementName(inserts[0]!.statement));
    });
  });
});
