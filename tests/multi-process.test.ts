import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../api/src/demo/demo-accounts.ts';
import { startAppProcess, type AppProcess } from './support/app-process.ts';
import { startNginx, type Nginx } from './support/nginx.ts';
import { sessionCookieFrom } from './support/staff-session.ts';
import { createScratchDatabaseUrl } from './support/test-database.ts';
import { FIXTURE_SURVEYS_DIR } from './support/test-platform.ts';

// Two app processes on one PostgreSQL database behind Debian's nginx (round robin), as a Land that
// hosts Vielstimmig or a town that updates without downtime runs them. The embedded database
// (PGlite) is one process by design: there is nothing to share, so the test does not apply there.
const onPostgres = Boolean(process.env.DATABASE_URL);
if (!onPostgres) {
  console.log('tests/multi-process.test.ts skipped: two app processes need PostgreSQL (set DATABASE_URL); the embedded database is one process by design');
}

describe.runIf(onPostgres)('two app processes behind nginx behave as one', () => {
  let dataDir: string;
  let scratch: NonNullable<Awaited<ReturnType<typeof createScratchDatabaseUrl>>>;
  const apps: AppProcess[] = [];
  let nginx: Nginx | undefined;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-multi-'));
    const surveysDir = path.join(dataDir, 'surveys');
    await fs.mkdir(surveysDir);
    await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), path.join(surveysDir, 'mini.json'));
    scratch = (await createScratchDatabaseUrl())!;
    // One DATA_DIR for both, as the compose profile shares a volume: it holds only the keys
    // (DATA_DIR/secrets), which every process must share; everything else is in the database.
    const env = { DATA_DIR: dataDir, SURVEYS_DIR: surveysDir, DATABASE_URL: scratch.url, SEED_DEMO: 'true', TRUST_PROXY: 'true' };
    // At the same moment, as compose starts replicas: their start-up steps (migrations, demo seed,
    // instruments) take turns under an advisory lock (platform.ts).
    apps.push(...(await Promise.all([startAppProcess(env), startAppProcess(env)])));
    nginx = await startNginx(apps.map((app) => new URL(app.baseUrl).host));
  }, 150_000);

  afterAll(async () => {
    await nginx?.stop();
    for (const app of apps) await app.stop('SIGTERM');
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  const upstreams = () => new Set(apps.map((app) => new URL(app.baseUrl).host));
  /** A request through nginx, with the app process that answered it. */
  async function send(pathname: string, init: RequestInit = {}) {
    const response = await fetch(`${nginx!.baseUrl}${pathname}`, { ...init, signal: AbortSignal.timeout(20_000) });
    const upstream = response.headers.get('x-upstream') ?? '';
    expect(upstreams()).toContain(upstream);
    return { response, upstream };
  }
  /** Sends until the request lands on a process other than `not` (round robin: the next one does), at most 4 times. */
  async function sendElsewhere(not: string, pathname: string, init: () => RequestInit = () => ({})) {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const result = await send(pathname, init());
      if (result.upstream !== not) return result;
    }
    throw new Error(`nginx sent every request to ${not}`);
  }
  const loginBody = (email: string, password: string) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

  it('counts login failures across both processes', async () => {
    const email = 'admin@demo.vielstimmig.de';
    const seen = new Set<string>();
    // Five wrong passwords (the per-account limit for a network that never signed in), alternating:
    // each process sees only two or three of them.
    for (let i = 0; i < 5; i += 1) {
      const { response, upstream } = await send('/api/auth/login', loginBody(email, `wrong-${i}`));
      expect(response.status).toBe(401);
      seen.add(upstream);
    }
    expect(seen).toEqual(upstreams());
    // Now both processes refuse, even the right password, from this unknown network.
    const refusedBy = new Set<string>();
    for (let i = 0; i < 2; i += 1) {
      const { response, upstream } = await send('/api/auth/login', loginBody(email, demoAccounts.find((a) => a.email === email)!.password));
      expect(response.status).toBe(429);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('too_many_login_attempts');
      refusedBy.add(upstream);
    }
    expect(refusedBy).toEqual(upstreams());
  }, 60_000);

  it('keeps a session made on one process valid on the other, and serves a photo uploaded through one from the other', async () => {
    const account = demoAccounts.find((a) => a.role === 'interviewer')!;
    const { response: loggedIn, upstream: loginProcess } = await send('/api/auth/login', loginBody(account.email, account.password));
    expect(loggedIn.status).toBe(200);
    const cookie = sessionCookieFrom(loggedIn);
    const { csrfToken } = (await loggedIn.json()) as { csrfToken: string };

    const me = await sendElsewhere(loginProcess, '/api/auth/me', () => ({ headers: { cookie } }));
    expect(me.response.status).toBe(200);
    expect(((await me.response.json()) as { user: { email: string } }).user.email).toBe(account.email);

    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } }).png().toBuffer();
    const uploaded = await send('/api/media', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    expect(uploaded.response.status).toBe(201);
    const { contentHash } = (await uploaded.response.json()) as { contentHash: string };
    const served = await sendElsewhere(uploaded.upstream, `/api/media/${contentHash}`, () => ({ headers: { cookie } }));
    expect(served.response.status).toBe(200);
    expect(served.response.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await served.response.arrayBuffer())).metadata()).width).toBe(64);
    // Nothing of it on either process's disk: the photo is in the database only.
    expect(await fs.readdir(dataDir)).not.toContain('media');
  }, 60_000);
});
