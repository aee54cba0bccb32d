import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { createApp } from '../app.ts';
import { demoAccounts } from '../demo/demo-accounts.ts';
import { HashQueue } from './hash-queue.ts';

const analyst = demoAccounts.find((account) => account.role === 'analyst')!;

/** A promise and its resolve function, to hold work in a slot until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('HashQueue: bounded password hashing', () => {
  it('runs at most `concurrency` at once and admits at most `concurrency + maxWaiting`', async () => {
    const queue = new HashQueue({ concurrency: 2, maxWaiting: 3 });
    let running = 0;
    let most = 0;
    const gates = Array.from({ length: 5 }, gate);
    const tickets = gates.map(() => queue.tryAdmit());
    expect(tickets.every((ticket) => ticket !== null)).toBe(true);
    expect(queue.tryAdmit()).toBeNull();
    const done = tickets.map((ticket, i) =>
      ticket!.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await gates[i]!.opened;
        running -= 1;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(2);
    for (const g of gates) g.open();
    await Promise.all(done);
    expect(most).toBe(2);
    // Released tickets make room again; releasing twice does not make more.
    tickets[0]!.release();
    tickets[0]!.release();
    expect(queue.size).toBe(4);
    expect(queue.tryAdmit()).not.toBeNull();
    expect(queue.tryAdmit()).toBeNull();
  });

  it('never turns away hashing outside logins (`run`), which waits for a slot instead', async () => {
    const queue = new HashQueue({ concurrency: 1, maxWaiting: 0 });
    const held = queue.tryAdmit()!;
    const g = gate();
    const first = held.run(() => g.opened);
    const order: string[] = [];
    const second = queue.run(async () => void order.push('admin password'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    g.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['admin password']);
  });
});

describe('login with a full hash queue', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
  });
  afterAll(() => platform?.close());

  it('answers 503 login_busy with Retry-After, localised, without counting an attempt; logs in again once there is room', async () => {
    const hashQueue = new HashQueue({ concurrency: 1, maxWaiting: 1 });
    const app = createApp({
      db: platform.database.db,
      dbKind: platform.database.kind,
      dataDir: platform.dataDir,
      log: () => {},
      trustProxy: false,
      interviewerRefKey: Buffer.alloc(32, 7),
      hashQueue,
    });
    const login = (password: string, locale = 'en') =>
      app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': locale },
        body: JSON.stringify({ email: analyst.email, password }),
      });
    // Two logins of a flood hold the queue's places.
    const flood = [hashQueue.tryAdmit()!, hashQueue.tryAdmit()!];
    const failuresBefore = (await platform.database.db.selectFrom('login_failure').select('id').execute()).length;

    const busy = await login(analyst.password);
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await busy.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('login_busy');
    expect(body.error.message).toMatch(/try again in \d+ seconds/);
    const german = (await (await login(analyst.password, 'de')).json()) as { error: { message: string } };
    expect(german.error.message).toMatch(/Sekunden/);
    expect((await platform.database.db.selectFrom('login_failure').select('id').execute()).length).toBe(failuresBefore);

    for (const ticket of flood) ticket.release();
    expect((await login(analyst.password)).status).toBe(200);
    expect(hashQueue.size).toBe(0);
  });

  it('gives the place back after a wrong password and after a rate-limit refusal', async () => {
    const hashQueue = new HashQueue({ concurrency: 1, maxWaiting: 0 });
    const app = createApp({
      db: platform.database.db,
      dbKind: platform.database.kind,
      dataDir: platform.dataDir,
      log: () => {},
      trustProxy: false,
      interviewerRefKey: Buffer.alloc(32, 7),
      hashQueue,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.org', password: `wrong-${i}` }),
      });
      statuses.push(res.status);
    }
    // 5 wrong passwords, then the account limit (429): never 503, the one place is free each time.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(hashQueue.size).toBe(0);
  });
});
