import { afterAll, describe, expect, it } from 'vitest';
import { startAppUnderTest, fetchBaselineInfo, type AppUnderTest } from './support/app-under-test.ts';
import { compareStoredResponses } from './support/stored-responses.ts';
import { planBaselineResponses, runSubmissionLoad } from './support/submission-load.ts';

// Thirty residents submit the baseline questionnaire at once while the server is killed with
// SIGKILL twice and restarted; every client retries with its response's id until it is
// acknowledged. On PostgreSQL in the PostgreSQL round, on the embedded PGlite in the other: an
// acknowledged response must survive a kill on both.

const CLIENTS = 30;
const RESPONSES = 240;
/** Kill the server when this many responses have been acknowledged. */
const KILL_AT = [50, 140];

const onPostgres = Boolean(process.env.DATABASE_URL);

describe(onPostgres ? 'crash under load (PostgreSQL)' : 'crash under load (embedded database, PGlite)', () => {
  let app: AppUnderTest | undefined;
  afterAll(() => app?.dispose());

  it('keeps every acknowledged response exactly once across SIGKILLs and restarts', { timeout: 180_000 }, async () => {
    app = await startAppUnderTest();
    const info = await fetchBaselineInfo(app.current.baseUrl);
    const planned = planBaselineResponses(RESPONSES, { ...info, seed: 7 });

    const killTimes: number[] = [];
    const restartMs: number[] = [];
    let restarting: Promise<unknown> = Promise.resolve();
    let killsDone = 0;
    const started = Date.now();
    const { figures, acknowledgedIds } = await runSubmissionLoad({
      clients: CLIENTS,
      responses: planned,
      baseUrl: () => app!.current.baseUrl,
      deadlineMs: 150_000,
      onAcknowledged: (acknowledged) => {
        if (killsDone >= KILL_AT.length || acknowledged < KILL_AT[killsDone]!) return;
        killsDone += 1;
        killTimes.push(Date.now() - started);
        const victim = app!.current;
        restarting = (async () => {
          await victim.stop('SIGKILL');
          const restartedAt = Date.now();
          await app!.restart();
          restartMs.push(Date.now() - restartedAt);
        })();
      },
    });
    await restarting;
    expect(await app.current.stop('SIGTERM')).toBe(0);

    const database = await app.openDatabase();
    const stored = await compareStoredResponses(database.db, planned, acknowledgedIds).finally(() => database.close());
    console.log(
      JSON.stringify({
        scenario: `crash-under-load/${app.kind}`,
        clients: CLIENTS,
        kills: killsDone,
        killedAtMs: killTimes,
        restartMs,
        sent: figures.sent,
        acknowledged: figures.acknowledged,
        stored: stored.acknowledgedStored,
        duplicated: stored.duplicated,
        attempts: figures.attempts,
        retried: figures.retried,
        acknowledgedAsAlreadyStored: figures.acknowledgedAsAlreadyStored,
        connectionFailures: figures.connectionFailures,
        byStatus: figures.byStatus,
        durationMs: Date.now() - started,
      }),
    );

    // The kills really happened mid-stream: requests were cut off and had to be retried.
    expect(killsDone).toBe(KILL_AT.length);
    expect(figures.connectionFailures).toBeGreaterThan(0);
    // Every response was eventually acknowledged, with no refusal of a valid response.
    expect(figures.wrongRefusals).toEqual([]);
    expect(figures.malformedErrors).toEqual([]);
    expect(figures.sent).toBe(RESPONSES);
    expect(figures.acknowledged).toBe(RESPONSES);
    // Every acknowledged response is stored, once, with the answers sent; nothing else is.
    expect(stored).toEqual({
      rows: RESPONSES,
      acknowledgedStored: RESPONSES,
      acknowledgedMissing: 0,
      duplicated: 0,
      unknown: 0,
      answersDiffer: 0,
    });
  });
});
