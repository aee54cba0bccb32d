/**
 * `npm run bench:sync` — 500 queued interviews synced in batches against the app on 127.0.0.1,
 * beside 500 others posted one by one (one interview per request) in the same run, and a repeat of
 * the batched run (what a tablet does after a dropped connection: all duplicates).
 * Uses PGlite in a temporary folder, or the PostgreSQL server in DATABASE_URL (a scratch database
 * is created on it and dropped afterwards). Prints seconds and interviews/s; not part of `npm test`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { demoAccounts } from '../api/src/demo/demo-accounts.ts';
import { openPlatform } from '../api/src/platform.ts';
import { todayInTown } from '../api/src/interviews/service.ts';
import { createScratchDatabaseUrl } from '../tests/support/test-database.ts';

const INTERVIEWS = 500;
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 50);
const REPO_ROOT = path.resolve(import.meta.dirname, '..');

const districts = ['buettelborn', 'klein-gerau', 'worfelden'];
const functions = ['school', 'club', 'religious_community', 'business', 'resident', 'initiative'];

/** A realistic conversation from the activating interview guide: open answers and section notes. */
function makeInterview(n: number) {
  const district = districts[n % districts.length]!;
  const text = (topic: string) =>
    `${topic}: Gespräch ${n}. Die Leute kennen sich im Ortsteil, aber neue Familien finden schwer Anschluss; ` +
    'der Verein und die Gemeinde könnten gemeinsam ein offenes Treffen anbieten, am besten am Nachmittag.';
  return {
    id: randomUUID(),
    slug: 'interview-guide',
    version: 1,
    locale: 'de',
    district,
    conductedOn: todayInTown(),
    answers: {
      function: functions[n % functions.length],
      district,
      conversation_language: 'german',
      setting: 'community_centre',
      notes_context: 'Ruhige Atmosphäre, etwa 40 Minuten.',
      works_well: text('Was gut läuft'),
      missing: text('Was fehlt'),
      already_active: text('Wer schon aktiv ist'),
      would_change: text('Was sich ändern sollte'),
      would_do_yourself: text('Was ich selbst tun würde'),
      activation_willing: 'maybe',
      activation_topics: ['encounter', 'sport_culture'],
    },
  };
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-'));
  const scratch = await createScratchDatabaseUrl();
  const platform = await openPlatform({
    port: 0,
    databaseUrl: scratch?.url ?? null,
    dataDir,
    surveysDir: path.join(REPO_ROOT, 'surveys'),
    seedDemo: true,
  });
  const server = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;

  try {
    const account = demoAccounts.find((candidate) => candidate.role === 'interviewer')!;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    async function post(interviews: unknown[]): Promise<string[]> {
      const res = await fetch(`${base}/api/interviews/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ interviews }),
      });
      if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { results: { status: string }[] }).results.map((result) => result.status);
    }

    async function timed(label: string, run: () => Promise<string[]>) {
      const started = process.hrtime.bigint();
      const statuses = await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const counts = statuses.reduce<Record<string, number>>((all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }), {});
      return { label, seconds, perSecond: statuses.length / seconds, counts };
    }

    // Warm-up: the validator for the guide is built once per version, and the pool opens its connections.
    await post(Array.from({ length: 5 }, (_, n) => makeInterview(n)));

    const batched = Array.from({ length: INTERVIEWS }, (_, n) => makeInterview(n));
    const single = Array.from({ length: INTERVIEWS }, (_, n) => makeInterview(n));
    const results = [
      await timed(`${INTERVIEWS} one by one (${INTERVIEWS} requests)`, async () => {
        const statuses: string[] = [];
        for (const interview of single) statuses.push(...(await post([interview])));
        return statuses;
      }),
      await timed(`${INTERVIEWS} in batches of ${BATCH_SIZE} (${Math.ceil(INTERVIEWS / BATCH_SIZE)} requests)`, async () => {
        const statuses: string[] = [];
        for (let start = 0; start < batched.length; start += BATCH_SIZE) statuses.push(...(await post(batched.slice(start, start + BATCH_SIZE))));
        return statuses;
      }),
      await timed(`same ${INTERVIEWS} batches again (retry: all duplicates)`, async () => {
        const statuses: string[] = [];
        for (let start = 0; start < batched.length; start += BATCH_SIZE) statuses.push(...(await post(batched.slice(start, start + BATCH_SIZE))));
        return statuses;
      }),
    ];

    const stored = await platform.database.db
      .selectFrom('response')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('mode', '=', 'interview')
      .executeTakeFirstOrThrow();
    console.log(`database: ${platform.database.kind}; Node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
    console.log('| run | seconds | interviews/s | results |');
    console.log('| --- | ---: | ---: | --- |');
    for (const result of results) {
      const counts = Object.entries(result.counts).map(([status, n]) => `${n} ${status}`).join(', ');
      console.log(`| ${result.label} | ${result.seconds.toFixed(2)} | ${result.perSecond.toFixed(0)} | ${counts} |`);
    }
    console.log(`interview rows in the database: ${Number(stored.n)} (expected ${2 * INTERVIEWS + 5})`);
    if (Number(stored.n) !== 2 * INTERVIEWS + 5) process.exitCode = 1;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await platform.close();
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
