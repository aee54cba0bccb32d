import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../api/src/surveys/canonical-json.ts';
import { BASELINE_SLUG } from './support/baseline-answers.ts';
import { fetchBaselineInfo, startAppUnderTest, type AppUnderTest, type BaselineInfo } from './support/app-under-test.ts';
import { planBaselineResponses } from './support/submission-load.ts';

// The same response id arrives on fifty connections at the same moment (a phone that resent on
// every tap, a proxy that retried): exactly one row, and every answer consistent with it.

const CONNECTIONS = 50;
const onPostgres = Boolean(process.env.DATABASE_URL);

/** One POST on a connection of its own (no keep-alive pool), so the fifty really are fifty. */
function postOnOwnConnection(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.setTimeout(60_000, () => request.destroy(new Error('timeout')));
    request.end(body);
  });
}

/** Every answer sent is stored as sent (the server may add computed values beside them). */
function holdsAnswers(stored: Record<string, unknown>, sent: Record<string, unknown>): boolean {
  return Object.entries(sent).every(([question, value]) => canonicalJson(stored[question] ?? null) === canonicalJson(value));
}

describe(onPostgres ? 'duplicate storm (PostgreSQL)' : 'duplicate storm (embedded database, PGlite)', () => {
  let app: AppUnderTest;
  let info: BaselineInfo;
  beforeAll(async () => {
    app = await startAppUnderTest();
    info = await fetchBaselineInfo(app.current.baseUrl);
  });
  afterAll(() => app?.dispose());

  it(`stores one row for one id sent on ${CONNECTIONS} connections at once, and tells every sender the same`, { timeout: 120_000 }, async () => {
    const [same] = planBaselineResponses(1, { ...info, seed: 21 });
    const [first, second] = planBaselineResponses(2, { ...info, seed: 22 });
    // A conflicting storm: one id, two different answer sets (a bug or an attack, not a retry).
    const conflictingBody = JSON.stringify({ ...JSON.parse(second!.body), id: first!.id });
    const url = `${app.current.baseUrl}/api/surveys/${BASELINE_SLUG}/responses`;

    const started = Date.now();
    const sameResults = await Promise.all(Array.from({ length: CONNECTIONS }, () => postOnOwnConnection(url, same!.body)));
    const conflictResults = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) => postOnOwnConnection(url, i % 2 === 0 ? first!.body : conflictingBody)),
    );
    const durationMs = Date.now() - started;

    expect(await app.current.stop('SIGTERM')).toBe(0);
    const database = await app.openDatabase();
    const rows = await sql<{ id: string; answers: unknown; n: number }>`
      select id, answers, count(*) over (partition by id)::int as n from response`
      .execute(database.db)
      .finally(() => database.close());

    const tally = (results: { status: number }[]) =>
      results.reduce<Record<number, number>>((acc, { status }) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }), {});
    const sameTally = tally(sameResults);
    const conflictTally = tally(conflictResults);
    console.log(
      JSON.stringify({
        scenario: `duplicate-storm/${app.kind}`,
        connections: CONNECTIONS,
        sameId: { sent: CONNECTIONS, byStatus: sameTally, stored: rows.rows.filter((row) => row.id === same!.id).length },
        conflictingId: { sent: CONNECTIONS, byStatus: conflictTally, stored: rows.rows.filter((row) => row.id === first!.id).length },
        duplicated: rows.rows.filter((row) => row.n > 1).length,
        durationMs,
      }),
    );

    // The identical storm: one 201, all others 200, one row with exactly the answers sent.
    expect(sameTally).toEqual({ 201: 1, 200: CONNECTIONS - 1 });
    for (const result of sameResults) expect(JSON.parse(result.body)).toEqual({ id: same!.id, status: 'stored' });
    // The conflicting storm: whichever set arrived first is stored; its copies get 2xx, the other
    // set gets 409 every time, and nothing about the stored row changes.
    const storedConflict = rows.rows.find((row) => row.id === first!.id)!;
    const storedAnswers = typeof storedConflict.answers === 'string' ? JSON.parse(storedConflict.answers) : storedConflict.answers;
    const winner = holdsAnswers(storedAnswers, first!.answers) ? first!.body : conflictingBody;
    conflictResults.forEach((result, i) => {
      const body = i % 2 === 0 ? first!.body : conflictingBody;
      if (body === winner) expect([200, 201]).toContain(result.status);
      else expect(result.status).toBe(409);
    });
    expect(conflictTally[201]).toBe(1);
    expect(conflictTally[409]).toBe(CONNECTIONS / 2);

    expect(rows.rows).toHaveLength(2);
    expect(rows.rows.every((row) => row.n === 1)).toBe(true);
    const storedSame = rows.rows.find((row) => row.id === same!.id)!;
    const sameAnswers = typeof storedSame.answers === 'string' ? JSON.parse(storedSame.answers) : storedSame.answers;
    expect(holdsAnswers(sameAnswers, same!.answers)).toBe(true);
  });
});
