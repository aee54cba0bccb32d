import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { login, loginAsDemo, sessionCookieFrom } from '../../../tests/support/staff-session.ts';
import { demoAccounts } from '../demo/demo-accounts.ts';

const interviewer = demoAccounts.find((account) => account.role === 'interviewer')!;

describe('staff login, sessions and CSRF', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
  });
  afterAll(() => platform?.close());

  const postLogin = (body: unknown, headers: Record<string, string> = {}, env?: object) =>
    platform.app.request(
      '/api/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
      env,
    );
  /** A request as if from a socket at `address` (what @hono/node-server's getConnInfo reads). */
  const fromAddress = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

  it('logs in with email and password: user, CSRF token, and an HttpOnly SameSite=Strict cookie', async () => {
    const res = await postLogin({ email: interviewer.email, password: interviewer.password });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: string; email: string; role: string }; csrfToken: string };
    expect(body.user).toEqual({ id: expect.any(String), email: interviewer.email, role: 'interviewer' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);

    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^vs_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/; Secure/);
  });

  it('marks the cookie Secure when the request came over TLS (more in http/transport-security.test.ts)', async () => {
    const res = await platform.app.request('https://localhost/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: interviewer.email, password: interviewer.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('matches the email case-insensitively', async () => {
    const res = await postLogin({ email: interviewer.email.toUpperCase(), password: interviewer.password });
    expect(res.status).toBe(200);
  });

  it('stores only the SHA-256 of the session token, never the token itself', async () => {
    const session = await loginAsDemo(platform.app, 'analyst');
    const token = session.cookie.split('=')[1]!;
    const hash = createHash('sha256').update(token).digest('hex');
    const rows = await platform.database.db.selectFrom('session').select(['id_hash']).execute();
    expect(rows.map((row) => row.id_hash)).toContain(hash);
    expect(rows.map((row) => row.id_hash)).not.toContain(token);
  });

  it('GET /me answers the user and CSRF token with a session, 401 without', async () => {
    const session = await loginAsDemo(platform.app, 'admin');
    const me = await platform.app.request('/api/auth/me', { headers: session.headers() });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'admin@demo.vielstimmig.de', role: 'admin' }, csrfToken: session.csrfToken });
    expect(me.headers.get('cache-control')).toBe('no-store');

    const anonymous = await platform.app.request('/api/auth/me', { headers: { 'accept-language': 'en' } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'unauthenticated', message: 'Please sign in.' } });

    const forged = await platform.app.request('/api/auth/me', { headers: { cookie: 'vs_session=forged-token' } });
    expect(forged.status).toBe(401);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrong = await postLogin({ email: 'admin@demo.vielstimmig.de', password: 'not-the-password' }, {}, fromAddress('198.51.100.1'));
    const unknown = await postLogin({ email: 'nobody@demo.vielstimmig.de', password: 'not-the-password' }, {}, fromAddress('198.51.100.1'));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('logout deletes the session (needs the CSRF token) and clears the cookie', async () => {
    const session = await loginAsDemo(platform.app, 'interviewer');
    const withoutCsrf = await platform.app.request('/api/auth/logout', { method: 'POST', headers: session.headers() });
    expect(withoutCsrf.status).toBe(403);
    expect(((await withoutCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
    expect((await platform.app.request('/api/auth/me', { headers: session.headers() })).status).toBe(200);

    const logout = await platform.app.request('/api/auth/logout', { method: 'POST', headers: session.writeHeaders() });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/vs_session=;.*Max-Age=0/);
    expect((await platform.app.request('/api/auth/me', { headers: session.headers() })).status).toBe(401);
  });

  it('rotates the session at login: the token the browser had before is worthless afterwards', async () => {
    const first = await loginAsDemo(platform.app, 'interviewer');
    const again = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: first.cookie },
      body: JSON.stringify({ email: interviewer.email, password: interviewer.password }),
    });
    expect(again.status).toBe(200);
    const second = sessionCookieFrom(again);
    expect(second).not.toBe(first.cookie);
    expect((await platform.app.request('/api/auth/me', { headers: { cookie: first.cookie } })).status).toBe(401);
    expect((await platform.app.request('/api/auth/me', { headers: { cookie: second } })).status).toBe(200);
  });

  it('rejects an expired session and purges it', async () => {
    const session = await loginAsDemo(platform.app, 'analyst');
    const idHash = createHash('sha256').update(session.cookie.split('=')[1]!).digest('hex');
    await platform.database.db
      .updateTable('session')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('id_hash', '=', idHash)
      .execute();
    const me = await platform.app.request('/api/auth/me', { headers: session.headers() });
    expect(me.status).toBe(401);
    const left = await platform.database.db.selectFrom('session').select('id_hash').where('id_hash', '=', idHash).execute();
    expect(left).toEqual([]);
  });

  it('rejects the sessions of a disabled account, and its login', async () => {
    const email = 'disabled.interviewer@example.org';
    const password = 'a-long-enough-password';
    const { createAccount } = await import('./accounts.ts');
    await createAccount(platform.database.db, { email, password, role: 'interviewer' });
    const session = await login(platform.app, email, password);
    await platform.database.db.updateTable('app_user').set({ disabled_at: new Date() }).where('email', '=', email).execute();
    expect((await platform.app.request('/api/auth/me', { headers: session.headers() })).status).toBe(401);
    expect((await postLogin({ email, password })).status).toBe(401);
  });

  it('rate-limits wrong passwords per account for unknown networks: 429 with Retry-After, even for the right password from a new one', async () => {
    const analyst = demoAccounts.find((account) => account.role === 'analyst')!;
    // Each attempt from its own address, so that only the per-account limit can apply.
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const res = await postLogin({ email: analyst.email, password: `wrong-${attempt}` }, {}, fromAddress(`192.0.2.${attempt}`));
      expect(res.status).toBe(401);
    }
    const blocked = await postLogin({ email: analyst.email, password: analyst.password }, { 'accept-language': 'en' }, fromAddress('192.0.2.99'));
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await blocked.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_login_attempts');
    expect(body.error.message).toMatch(/try again in 15 minutes/);
    // Other accounts are not affected.
    expect((await postLogin({ email: interviewer.email, password: interviewer.password }, {}, fromAddress('192.0.2.99'))).status).toBe(200);
  });

  it('rate-limits failures per address across accounts, without touching other addresses', async () => {
    const address = fromAddress('203.0.113.7');
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const res = await postLogin({ email: `guess-${attempt}@example.org`, password: 'guessing-password' }, {}, address);
      expect(res.status).toBe(401);
    }
    const blocked = await postLogin({ email: interviewer.email, password: interviewer.password }, {}, address);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const elsewhere = await postLogin({ email: interviewer.email, password: interviewer.password }, {}, fromAddress('203.0.113.8'));
    expect(elsewhere.status).toBe(200);
  });

  it('hands out no lock-out: guesses from unknown addresses do not keep the owner out from a network they signed in from', async () => {
    const { createAccount } = await import('./accounts.ts');
    const email = 'owner.of.account@example.org';
    const password = 'the-owners-long-password';
    await createAccount(platform.database.db, { email, password, role: 'analyst' });
    // The owner signs in once from the office (an IPv6 /64): that network is now known to the account.
    expect((await postLogin({ email, password }, {}, fromAddress('2001:db8:5:6::10'))).status).toBe(200);

    // An attacker guesses from 40 addresses of 40 networks; the account limit lets 5 guesses be checked.
    const statuses: number[] = [];
    for (let i = 1; i <= 40; i += 1) {
      statuses.push((await postLogin({ email, password: `guess-${i}` }, {}, fromAddress(`198.51.${100 + i}.7`))).status);
    }
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    // Bounded for strangers even when they guess right: brute force from many addresses gets nowhere.
    expect((await postLogin({ email, password }, {}, fromAddress('203.0.113.200'))).status).toBe(429);

    // The owner, from another address of the known /64, signs in and keeps signing in.
    expect((await postLogin({ email, password }, {}, fromAddress('2001:db8:5:6::99'))).status).toBe(200);
    expect((await postLogin({ email, password }, {}, fromAddress('2001:db8:5:6::10'))).status).toBe(200);
    // What the database remembers of that network is a keyed hash, not the address.
    const known = JSON.stringify(await platform.database.db.selectFrom('login_known_network').selectAll().execute());
    expect(known).not.toMatch(/2001|db8|owner/);
  });

  it('refuses a login body that is not JSON, or without the fields', async () => {
    const form = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a&password=b',
    });
    expect(form.status).toBe(415);
    expect((await postLogin({ email: interviewer.email })).status).toBe(400);
  });
});
