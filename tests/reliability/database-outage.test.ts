import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app.ts';
import type { Database } from '../../api/src/db/schema.ts';
import { startAppUnderTest, fetchBaselineInfo, type AppUnderTest } from './support/app-under-test.ts';
import { closedPortUrl, startFakePostgres, type FakePostgres } from './support/fake-postgres.ts';
import { compareStoredResponses } from './support/stored-responses.ts';
import { isStandardError, planBaselineResponses, runSubmissionLoad } from './support/submission-load.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Residents submitting during the outage: 20 at once, each pausing 100 ms between responses. */
const LOAD = { clients: 20, pauseMs: 100 };

async function expectUnavailableAnswer(response: Response) {
  const text = await response.text();
  expect(response.status, text).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(isStandardError(text), text).toBe(true);
  expect(JSON.parse(text).error.code).toBe('database_unavailable');
}

// Whatever the round: an app whose PostgreSQL is unreachable, hangs up, or refuses with a FATAL
// error answers 503 with Retry-After, through the real node-postgres driver.
describe('PostgreSQL unreachable or refusing (loopback stand-ins for a server in trouble)', () => {
  const stubs: FakePostgres[] = [];
  afterAll(async () => {
    for (const stub of stubs) await stub.close();
  });

  const scenarios: [string, () => Promise<string>][] = [
    ['nothing listening (connection refused)', closedPortUrl],
    ['the server hangs up at once (connection terminated unexpectedly)', async () => {
      const stub = await startFakePostgres({ kind: 'hang-up' });
      stubs.push(stub);
      return stub.url;
    }],
    ['the server is starting up (57P03)', async () => {
      const stub = await startFakePostgres({ kind: 'fatal', sqlstate: '57P03', message: 'the database system is starting up' });
      stubs.push(stub);
      return stub.url;
    }],
    ['too many connections (53300)', async () => {
      const stub = await startFakePostgres({ kind: 'fatal', sqlstate: '53300', message: 'sorry, too many clients already' });
      stubs.push(stub);
      return stub.url;
    }],
    ['the database does not accept connections (55000, maintenance)', async () => {
      const stub = await startFakePostgres({
        kind: 'fatal',
        sqlstate: '55000',
        message: 'database "vielstimmig" is not currently accepting connections',
      });
      stubs.push(stub);
      return stub.url;
    }],
  ];

  for (const [name, urlFor] of scenarios) {
    it(`answers 503 with Retry-After when ${name}`, async () => {
      const pool = new pg.Pool({ connectionString: await urlFor(), max: 2, connectionTimeoutMillis: 5_000 });
      pool.on('error', () => {});
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      const logLines: string[] = [];
      const app = createApp({
        db,
        dbKind: 'postgres',
        dataDir: os.tmpdir(),
        log: (line) => logLines.push(line),
        trustProxy: false,
        interviewerRefKey: randomBytes(32),
      });
      try {
        await expectUnavailableAnswer(await app.request('/health'));
        await expectUnavailableAnswer(await app.request('/api/surveys'));
        await expectUnavailableAnswer(
          await app.request('/api/surveys/resident-baseline/responses', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id: randomUUID(), version: 1, locale: 'de', answers: {} }),
          }),
        );
        expect(logLines.join('\n')).not.toMatch(/internal error/);
      } finally {
        await db.destroy();
      }
    });
  }
});

// The PostgreSQL round only: the real server cuts the app's connections again and again while
// residents submit, then refuses new ones for a while (the database, not the shared server, is
// closed to connections), then lets them in again. The app must answer 503 with Retry-After while
// it cannot reach the database, never 500 and never a 2xx for a response it did not store, and
// recover by itself.
// (The embedded database lives inside the app process: it has no connection to lose, and its
// failure mode, the process dying, is the crash test's.)
if (onPostgres) describe('database outage during submissions (PostgreSQL)', () => {
  let app: AppUnderTest | undefined;
  let admin: pg.Client | undefined;
  afterAll(async () => {
    if (admin && app?.databaseUrl) {
      const name = new URL(app.databaseUrl).pathname.slice(1);
      await admin.query(`alter database "${name}" allow_connections true`).catch(() => {});
    }
    await admin?.end();
    // A crashed app explains itself here.
    if (app && app.current.child.exitCode !== null && app.current.child.exitCode !== 0) console.log(`app exited ${app.current.child.exitCode}:\n${app.current.output.join('')}`);
    await app?.dispose();
  });

  it(
    'answers 503 + Retry-After while connections are cut or refused, stores every acknowledged response once, and recovers without a restart',
    { timeout: 180_000 },
    async () => {
      app = await startAppUnderTest();
      const info = await fetchBaselineInfo(app.current.baseUrl);
      // The load must outlast the outage and go on after it: at most 20 clients × 10 per second for the
      // ~30 s the scenario can take (asserted below), whatever the machine's speed.
      const planned = planBaselineResponses(LOAD.clients * (1000 / LOAD.pauseMs) * 30, { ...info, seed: 11 });

      const databaseName = new URL(app.databaseUrl!).pathname.slice(1);
      admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const terminateAppBackends = () =>
        admin!.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1', [databaseName]);

      type Phase = 'before' | 'cut' | 'refused' | 'recovered';
      let phase: Phase = 'before';
      const statusesByPhase: Record<Phase, Record<string, number>> = { before: {}, cut: {}, refused: {}, recovered: {} };
      let acknowledgedBeforeRecovery = 0;
      let acknowledgedNow = 0;
      let keepGoing = true;
      const pid = app.current.child.pid;

      const load = runSubmissionLoad({
        ...LOAD,
        responses: planned,
        baseUrl: () => app!.current.baseUrl,
        deadlineMs: 150_000,
        keepGoing: () => keepGoing,
        onAttempt: (status) => {
          const tally = statusesByPhase[phase];
          tally[status] = (tally[status] ?? 0) + 1;
        },
        onAcknowledged: (acknowledged) => (acknowledgedNow = acknowledged),
      });

      let backendsTerminated = 0;
      const healthDuringOutage: number[] = [];
      await sleep(1_500);
      phase = 'cut';
      for (const until = Date.now() + 4_000; Date.now() < until; ) {
        backendsTerminated += (await terminateAppBackends()).rows[0].n;
        await sleep(100);
      }
      phase = 'refused';
      await admin.query(`alter database "${databaseName}" allow_connections false`);
      for (const until = Date.now() + 3_000; Date.now() < until; ) {
        backendsTerminated += (await terminateAppBackends()).rows[0].n;
        const health = await fetch(`${app.current.baseUrl}/health`);
        healthDuringOutage.push(health.status);
        if (health.status !== 200) await expectUnavailableAnswer(health);
        await sleep(200);
      }
      acknowledgedBeforeRecovery = acknowledgedNow;
      await admin.query(`alter database "${databaseName}" allow_connections true`);
      phase = 'recovered';
      const recoveryStarted = Date.now();
      let recoveryMs = -1;
      for (let i = 0; i < 150; i += 1) {
        if ((await fetch(`${app.current.baseUrl}/health`)).status === 200) {
          recoveryMs = Date.now() - recoveryStarted;
          break;
        }
        await sleep(100);
      }
      await sleep(3_000);
      keepGoing = false;
      const { figures, acknowledgedIds } = await load;

      // Same process throughout: it recovered by itself.
      expect(app.current.child.pid).toBe(pid);
      expect(app.current.child.exitCode).toBeNull();
      expect(await app.current.stop('SIGTERM')).toBe(0);
      const logged = app.current.output.join('');

      const database = await app.openDatabase();
      const stored = await compareStoredResponses(database.db, planned, acknowledgedIds).finally(() => database.close());
      console.log(
        JSON.stringify({
          scenario: 'database-outage/postgres',
          sent: figures.sent,
          acknowledged: figures.acknowledged,
          stored: stored.acknowledgedStored,
          duplicated: stored.duplicated,
          attempts: figures.attempts,
          retried: figures.retried,
          acknowledgedAsAlreadyStored: figures.acknowledgedAsAlreadyStored,
          backendsTerminated,
          statusesByPhase,
          healthDuringRefusal: healthDuringOutage,
          recoveryMs,
        }),
      );

      // The outage was real: backends were killed and the app had to say 503.
      expect(backendsTerminated).toBeGreaterThan(0);
      expect((figures.byStatus[503] ?? 0)).toBeGreaterThan(0);
      expect(healthDuringOutage.filter((status) => status === 503).length).toBeGreaterThan(0);
      // Never 500, never another refusal of a valid response, every error in the standard shape.
      expect(figures.byStatus[500]).toBeUndefined();
      expect(figures.wrongRefusals).toEqual([]);
      expect(figures.malformedErrors).toEqual([]);
      expect(logged).not.toMatch(/internal error/);
      // The scenario held: the load was still taking new responses when it was stopped.
      expect(figures.sent).toBeLessThan(planned.length);
      // It came back by itself, and took new responses afterwards.
      expect(recoveryMs).toBeGreaterThanOrEqual(0);
      expect(figures.acknowledged).toBeGreaterThan(acknowledgedBeforeRecovery);
      // Every response sent was acknowledged in the end, and every acknowledged one stored once.
      expect(figures.acknowledged).toBe(figures.sent);
      expect(stored).toEqual({
        rows: figures.acknowledged,
        acknowledgedStored: figures.acknowledged,
        acknowledgedMissing: 0,
        duplicated: 0,
        unknown: 0,
        answersDiffer: 0,
      });
    },
  );
});
