/**
 * `npm run bench:login-flood` — how long a public survey GET takes while 200 failed logins arrive
 * at once, with the bounded password-hash queue (auth/hash-queue.ts) and with the queue as it was
 * before (4 hashes at once, every other login waiting, none refused). Each configuration runs in a
 * server process of its own on 127.0.0.1 (PGlite in a temporary folder, or a scratch database on the
 * server in DATABASE_URL); this process is only the client. The 200 logins come from 200 made-up
 * client networks (X-Forwarded-For, TRUST_PROXY=true) for 200 unknown emails, so that neither the
 * per-network nor the per-account limit stops them before hashing: the worst case for the queue.
 * Prints the GET median and 90th percentile idle and under the flood, and the logins' statuses.
 * Bounded: 200 logins and 40 GETs per configuration. Not part of `npm test`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const LOGINS = 200;
const GETS = 40;
const SURVEY_PATH = '/api/surveys/resident-baseline';
const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** Server side: the real start-up, then the app with the given hash queue, on an ephemeral port. */
async function serve(queue: { concurrency: number; maxWaiting: number }) {
  const { openPlatform } = await import('../api/src/platform.ts');
  const { createApp } = await import('../api/src/app.ts');
  const { HashQueue } = await import('../api/src/auth/hash-queue.ts');
  const { listen } = await import('../api/src/http/listen.ts');
  const { DEFAULT_HTTP_SERVER_LIMITS } = await import('../api/src/config.ts');
  const { loadDataDirKey } = await import('../api/src/secrets/data-dir-key.ts');
  const dataDir = process.env.BENCH_DATA_DIR!;
  const platform = await openPlatform({
    port: 0,
    databaseUrl: process.env.BENCH_DATABASE_URL || null,
    dataDir,
    surveysDir: path.join(REPO_ROOT, 'surveys'),
    seedDemo: true,
    trustProxy: true,
  });
  const app = createApp({
    db: platform.database.db,
    dbKind: platform.database.kind,
    dataDir,
    log: () => {},
    trustProxy: true,
    interviewerRefKey: await loadDataDirKey(dataDir, 'interviewer-ref'),
    addressKey: await loadDataDirKey(dataDir, 'client-address'),
    hashQueue: new HashQueue(queue),
  });
  const { port } = await listen(app.fetch, { port: 0, host: '127.0.0.1', limits: DEFAULT_HTTP_SERVER_LIMITS });
  process.send!({ port });
}

function startServer(queue: { concurrency: number; maxWaiting: number }, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['serve', JSON.stringify(queue)], {
    env: { ...process.env, ...env },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, port: (message as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function timedGet(base: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${base}${SURVEY_PATH}`, { headers: { 'accept-encoding': 'gzip' } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET ${SURVEY_PATH}: ${res.status}`);
  return performance.now() - started;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

async function measure(label: string, queue: { concurrency: number; maxWaiting: number }) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-login-'));
  const { createScratchDatabaseUrl } = await import('../tests/support/test-database.ts');
  const scratch = await createScratchDatabaseUrl();
  const { child, port } = await startServer(queue, { BENCH_DATA_DIR: dataDir, BENCH_DATABASE_URL: scratch?.url ?? '' });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 5; i += 1) await timedGet(base); // warm-up
    const idle: number[] = [];
    for (let i = 0; i < GETS; i += 1) idle.push(await timedGet(base));

    const statuses = new Map<number, number>();
    const flood = Array.from({ length: LOGINS }, async (_, i) => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.7` },
        body: JSON.stringify({ email: `nobody-${i}@example.org`, password: `guess-${i}-guess` }),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    // The GETs start once the logins are on their way and run one after the other, as a resident's would.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busy: number[] = [];
    for (let i = 0; i < GETS; i += 1) busy.push(await timedGet(base));
    const floodStarted = performance.now();
    await Promise.all(flood);
    const floodTail = performance.now() - floodStarted;
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(
      `${label.padEnd(44)} idle median ${ms(percentile(idle, 0.5))}, p90 ${ms(percentile(idle, 0.9))} | ` +
        `under ${LOGINS} failed logins median ${ms(percentile(busy, 0.5))}, p90 ${ms(percentile(busy, 0.9))} | ` +
        `logins ${[...statuses].sort().map(([status, n]) => `${n}×${status}`).join(', ')} (last answered ${ms(floodTail)} after the GETs)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const { DEFAULT_HASH_QUEUE_OPTIONS } = await import('../api/src/auth/hash-queue.ts');
  console.log(`${os.availableParallelism()} cores; ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; GET ${SURVEY_PATH}`);
  await measure('before: 4 at once, unbounded waiting', { concurrency: 4, maxWaiting: 1_000_000 });
  await measure(
    `now: ${DEFAULT_HASH_QUEUE_OPTIONS.concurrency} at once, ${DEFAULT_HASH_QUEUE_OPTIONS.maxWaiting} waiting, then 503`,
    DEFAULT_HASH_QUEUE_OPTIONS,
  );
}

// Last, so that every constant above exists when the top-level await starts.
if (process.argv[2] === 'serve') {
  await serve(JSON.parse(process.argv[3]!) as { concurrency: number; maxWaiting: number });
} else {
  await main();
}
