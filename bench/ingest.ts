/**
 * `npm run bench:ingest` — residents' submissions under load. Starts the app on 127.0.0.1 (random
 * free port) and posts valid resident-baseline responses from 50 concurrent connections for 20 s,
 * and does the same against a ceiling measured in the same run: a bare Hono route that makes the
 * same insert without any validation (no survey lookup, no survey-core, no target groups, no
 * middleware). The 20 s of each are run as alternating slices (ceiling, app, ceiling, app…), so that
 * a change in the machine's load during the run affects both alike. Reports responses/s and
 * latency percentiles for both, and the ratio. Uses PGlite in memory, or the PostgreSQL server in
 * DATABASE_URL (a scratch database is created and dropped afterwards). Not part of `npm test`.
 * Knobs: BENCH_SECONDS (per target, default 20), BENCH_SLICES (default 4), BENCH_CONNECTIONS (50),
 * BENCH_DISTINCT_RESPONSES (60: the bodies cycled through; more make remembered verdicts rarer),
 * BENCH_ONE_CLIENT=1 (every connection from 127.0.0.1, as before 2026-12-03; by default connection
 * i sends from 127.0.1.(i + 1), so the app counts 50 clients as it would 50 residents),
 * BENCH_BURSTS (40: after the slices, this many bursts of one request per connection sent at the
 * same instant, for the ceiling and the app: latency when 50 residents press "send" together,
 * rather than 50 connections sending without pause). Besides the server process's CPU time per
 * stored response it reports PostgreSQL's (its processes on this machine), which shares the cores.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import { PREPARE_ON_POSTGRES } from '../api/src/db/prepared-statements.ts';
import type { Database } from '../api/src/db/schema.ts';
import { openPlatform } from '../api/src/platform.ts';
import { AnswerValidator } from '../api/src/responses/validate-answers.ts';
import { canonicalJson, sha256Hex } from '../api/src/surveys/canonical-json.ts';
import { findSurveyVersion } from '../api/src/surveys/repository.ts';
import { generateAnswers, seededRandom } from '../tests/support/answer-generator.ts';
import { createScratchDatabaseUrl } from '../tests/support/test-database.ts';
import type { LoadPlan, LoadResult } from './support/load-generator.ts';
import { postgresCpuMs } from './support/postgres-cpu.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SLICES = Number(process.env.BENCH_SLICES ?? 4);
const WARMUP_SECONDS = 2;
const DISTINCT_RESPONSES = Number(process.env.BENCH_DISTINCT_RESPONSES ?? 60);
const DISTINCT_CLIENTS = process.env.BENCH_ONE_CLIENT !== '1';
const BURSTS = Number(process.env.BENCH_BURSTS ?? 40);
const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const LOCALES = ['de', 'de', 'de', 'tr', 'ar', 'de-x-easy', 'en', 'ru', 'uk', 'pl', 'fa'];

/** The real baseline when it exists, else the small fixture (so the bench runs on a bare checkout). */
function chooseInstrument(): { surveysDir: string; slug: string } {
  const real = path.join(REPO_ROOT, 'surveys');
  if (fs.existsSync(path.join(real, 'resident-baseline.json'))) return { surveysDir: real, slug: 'resident-baseline' };
  return { surveysDir: path.join(REPO_ROOT, 'tests/fixtures/surveys'), slug: 'mini' };
}

/**
 * The ceiling: one insert per request, the same row, nothing checked. The district is taken from
 * the answers, as the app stores it: its foreign key is part of the cost of the row.
 */
function bareInsertApp(db: Kysely<Database>, slug: string) {
  return new Hono().post('/responses', async (c) => {
    const body = (await c.req.json()) as { id: string; version: number; locale: string; channel: string; answers: Record<string, unknown> };
    const district = typeof body.answers.district === 'string' ? body.answers.district : null;
    const payloadHash = sha256Hex(canonicalJson({ version: body.version, locale: body.locale, district, channel: body.channel, answers: body.answers }));
    // Prepared once per connection like the app's insert, so that the ceiling is not held back by
    // planning that the app no longer pays for (api/src/db/prepared-statements.ts).
    const inserted = await sql<{ id: string }>`${PREPARE_ON_POSTGRES}
      insert into response (id, survey_slug, survey_version, mode, locale, district, channel, answers, target_groups, payload_hash, interviewer_ref)
      values (${body.id}::uuid, ${slug}, ${body.version}::integer, 'online', ${body.locale}, ${district}, ${body.channel},
        ${JSON.stringify(body.answers)}::jsonb, '[]'::jsonb, ${payloadHash}, null)
      on conflict (id) do nothing
      returning id`.execute(db);
    return c.json({ id: body.id, status: 'stored' }, inserted.rows.length > 0 ? 201 : 200);
  });
}

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, base: `http://127.0.0.1:${address.port}` };
}

function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./support/load-generator.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load generator exited with ${code}`))));
    child.send(plan);
  });
}

interface Combined {
  seconds: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

/** The slices of one target as one run: summed counts and time, percentiles over all latencies. */
function combine(slices: LoadResult[]): Combined {
  const statuses: Record<string, number> = {};
  for (const slice of slices) for (const [status, n] of Object.entries(slice.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  const sorted = Float64Array.from(slices.flatMap((slice) => slice.latenciesMs)).sort();
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
  return { seconds: slices.reduce((sum, slice) => sum + slice.seconds, 0), statuses, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? 0 };
}

async function countRows(db: Kysely<Database>, channel: string): Promise<number> {
  const row = await db
    .selectFrom('response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel', '=', channel)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function main() {
  const { surveysDir, slug } = chooseInstrument();
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-'));
  const scratch = await createScratchDatabaseUrl();
  const platform = await openPlatform({
    port: 0,
    databaseUrl: scratch?.url ?? null,
    dataDir,
    surveysDir,
    seedDemo: true,
    // Each of the 50 clients sends far more than a resident would; the per-address limit on public
    // writes would stop them. It is still counted per request, as for every resident.
    publicWriteLimitPerMinute: 1_000_000_000,
  });
  const { db } = platform.database;
  const main = await listen(platform.app.fetch);
  const bare = await listen(bareInsertApp(db, slug).fetch);

  try {
    const survey = (await findSurveyVersion(db, slug))!;
    const districtCodes = (await db.selectFrom('district').select('code').execute()).map((row) => row.code);
    const validator = new AnswerValidator(survey.definition);
    const random = seededRandom(4711);
    const bodies = (channel: string) => {
      const out: string[] = [];
      for (let n = 0; out.length < DISTINCT_RESPONSES && n < DISTINCT_RESPONSES * 3; n++) {
        const locale = LOCALES[n % LOCALES.length]! as 'de';
        const answers = generateAnswers(survey.definition, { districtCodes, random });
        // Only responses the server accepts: the bench measures storing, not refusing.
        if (!validator.validate(answers, { locale, districtCodes }).ok) continue;
        out.push(JSON.stringify({ id: '__ID__', version: survey.version, locale, channel, answers }));
      }
      return out;
    };
    const validatedBodies = bodies('bench-validated');
    const ceilingBodies = validatedBodies.map((body) => body.replace('"bench-validated"', '"bench-ceiling"'));
    const meanBytes = Math.round(validatedBodies.reduce((sum, body) => sum + body.length, 0) / validatedBodies.length);

    const plan = { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS / SLICES, distinctClients: DISTINCT_CLIENTS };
    const ceilingSlices: LoadResult[] = [];
    const validatedSlices: LoadResult[] = [];
    // The server's own CPU time (this process: HTTP, app, database client; not PostgreSQL, not the
    // load generator), warm-up included, as a second view that a busy machine distorts less.
    const serverCpuMs = { ceiling: 0, validated: 0 };
    // And PostgreSQL's (its processes on this machine), which shares the cores with the app.
    const databaseCpuMs: Record<'ceiling' | 'validated', number | null> = { ceiling: 0, validated: 0 };
    const withCpu = async (target: 'ceiling' | 'validated', run: () => Promise<LoadResult>) => {
      const before = process.cpuUsage();
      const databaseBefore = postgresCpuMs();
      const result = await run();
      const used = process.cpuUsage(before);
      const databaseAfter = postgresCpuMs();
      serverCpuMs[target] += (used.user + used.system) / 1000;
      const database = databaseCpuMs[target];
      databaseCpuMs[target] = platform.database.kind === 'postgres' && database !== null && databaseBefore !== null && databaseAfter !== null ? database + databaseAfter - databaseBefore : null;
      return result;
    };
    for (let slice = 1; slice <= SLICES; slice++) {
      console.error(`slice ${slice}/${SLICES}: ceiling (bare insert route), then POST /api/surveys/${slug}/responses, ${CONNECTIONS} connections, ${plan.seconds} s each …`);
      ceilingSlices.push(await withCpu('ceiling', () => runLoad({ ...plan, url: `${bare.base}/responses`, bodies: ceilingBodies })));
      validatedSlices.push(await withCpu('validated', () => runLoad({ ...plan, url: `${main.base}/api/surveys/${slug}/responses`, bodies: validatedBodies })));
    }
    const ceiling = combine(ceilingSlices);
    const validated = combine(validatedSlices);
    // The other reading of "50 people press send at once": bursts rather than a closed loop.
    console.error(`bursts: ${BURSTS} × ${CONNECTIONS} requests at the same instant, ceiling then app …`);
    const burstPlan = { ...plan, warmupSeconds: 1, bursts: BURSTS };
    const ceilingBursts = combine([await runLoad({ ...burstPlan, url: `${bare.base}/responses`, bodies: ceilingBodies })]);
    const validatedBursts = combine([await runLoad({ ...burstPlan, url: `${main.base}/api/surveys/${slug}/responses`, bodies: validatedBodies })]);

    const stored = { ceiling: await countRows(db, 'bench-ceiling'), validated: await countRows(db, 'bench-validated') };
    const cpuPerRow = { ceiling: serverCpuMs.ceiling / stored.ceiling, validated: serverCpuMs.validated / stored.validated };
    const rate = (result: Combined) => (result.statuses['201'] ?? 0) / result.seconds;
    const ratio = rate(validated) / rate(ceiling);
    const row = (label: string, result: Combined) =>
      `| ${label} | ${rate(result).toFixed(0)} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${result.max.toFixed(1)} | ${Object.entries(result.statuses).map(([status, n]) => `${n}× ${status}`).join(', ')} |`;

    console.log(`Ingest benchmark, ${new Date().toISOString().slice(0, 10)}: ${platform.database.kind}; Node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}); load average before: ${os.loadavg().map((n) => n.toFixed(1)).join(' ')}`);
    console.log(`instrument: ${slug} v${survey.version}; ${validatedBodies.length} distinct valid responses, mean body ${meanBytes} bytes; ${CONNECTIONS} connections, ${SECONDS} s each in ${SLICES} alternating slices (each after ${WARMUP_SECONDS} s warm-up); load generator in its own process, ${DISTINCT_CLIENTS ? 'each connection from its own loopback address' : 'every connection from 127.0.0.1'}`);
    console.log('');
    console.log('| run | responses/s | p50 ms | p99 ms | max ms | answers |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    console.log(row('ceiling: bare Hono route, same insert, no validation', ceiling));
    console.log(row('POST /api/surveys/:slug/responses (validated, stored once)', validated));
    console.log('');
    console.log(`bursts (${BURSTS} × ${CONNECTIONS} requests sent at the same instant, each burst answered in full before the next):`);
    console.log('| run | p50 ms | p99 ms | max ms | answers |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const [label, result] of [['ceiling', ceilingBursts], ['POST /api/surveys/:slug/responses', validatedBursts]] as const) {
      console.log(`| ${label} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${result.max.toFixed(1)} | ${Object.entries(result.statuses).map(([status, n]) => `${n}× ${status}`).join(', ')} |`);
    }
    console.log('');
    console.log(`ratio: ${(ratio * 100).toFixed(1)} % of the ceiling (goal ≥ 40 %); validated p99 ${validated.p99.toFixed(1)} ms (goal < 100 ms)`);
    console.log(
      `server CPU per stored response (this process, warm-up included): ${cpuPerRow.validated.toFixed(2)} ms validated, ${cpuPerRow.ceiling.toFixed(2)} ms ceiling (ratio ${((cpuPerRow.ceiling / cpuPerRow.validated) * 100).toFixed(1)} %)`,
    );
    if (databaseCpuMs.ceiling !== null && databaseCpuMs.validated !== null) {
      console.log(
        `PostgreSQL CPU per stored response (its processes on this machine, warm-up included): ${(databaseCpuMs.validated / stored.validated).toFixed(2)} ms validated, ${(databaseCpuMs.ceiling / stored.ceiling).toFixed(2)} ms ceiling`,
      );
    }
    console.log(`rows stored, warm-up included: ${stored.validated} validated (201 answers measured: ${validated.statuses['201'] ?? 0}), ${stored.ceiling} ceiling (${ceiling.statuses['201'] ?? 0})`);
    // Every 201 must be a row (the warm-up adds more rows, never fewer); anything else is a lost answer.
    if (stored.validated < (validated.statuses['201'] ?? 0)) {
      console.log('LOST RESPONSES: fewer rows than 201 answers');
      process.exitCode = 1;
    }
  } finally {
    await new Promise<void>((resolve) => main.server.close(() => resolve()));
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
    await platform.close();
    await scratch?.drop();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
