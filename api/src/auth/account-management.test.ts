import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';

describe('account management by admins', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(() => platform?.close());

  const post = (url: string, body: unknown, session = admin) =>
    platform.app.request(url, {
      method: 'POST',
      headers: session.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'en' }),
      body: JSON.stringify(body),
    });
  const setPassword = (link: string, password: string) =>
    platform.app.request('/api/auth/set-password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ token: link.split('#token=')[1], password }),
    });
  const me = (session: StaffSession) => platform.app.request('/api/auth/me', { headers: session.headers() });
  const actions = async (target: string) =>
    (await platform.database.db.selectFrom('audit_log').select('action').where('target', '=', target).orderBy('id').execute()).map((a) => a.action);

  it('creates an account whose one-time link sets its password (once)', async () => {
    const res = await post('/api/admin/users', { email: 'analyst2@town.example', role: 'analyst', displayName: 'A. Nalyst' });
    expect(res.status).toBe(201);
    const { id, setPasswordPath } = (await res.json()) as { id: string; setPasswordPath: string };
    expect(setPasswordPath).toMatch(/^\/admin\/set-password#token=[\w-]{43}$/);
    // No password exists yet that anyone could know.
    await expect(login(platform.app, 'analyst2@town.example', '')).rejects.toThrow();
    expect((await setPassword(setPasswordPath, 'short')).status).toBe(422);
    expect((await setPassword(setPasswordPath, 'a long enough password')).status).toBe(204);
    const again = await setPassword(setPasswordPath, 'another long password');
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('set_password_link_invalid');
    const analyst = await login(platform.app, 'analyst2@town.example', 'a long enough password');
    expect(analyst.user.role).toBe('analyst');
    expect(await actions(id)).toEqual(['user.create', 'user.password_set']);
    const taken = await post('/api/admin/users', { email: 'ANALYST2@town.example', role: 'analyst' });
    expect(taken.status).toBe(409);
    const bad = (await (await post('/api/admin/users', { email: 'nope', role: 'king' })).json()) as { errors: { field: string }[] };
    expect(bad.errors.map((e) => e.field)).toEqual(['email', 'role']);
  });

  it('disabling ends the sessions, and re-enabling does not bring them back', async () => {
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    expect((await me(interviewer)).status).toBe(200);
    const id = interviewer.user.id;
    expect((await post(`/api/admin/users/${id}/disabled`, { disabled: true })).status).toBe(200);
    expect((await me(interviewer)).status).toBe(401);
    await expect(loginAsDemo(platform.app, 'interviewer')).rejects.toThrow();
    expect((await post(`/api/admin/users/${id}/disabled`, { disabled: false })).status).toBe(200);
    // The old cookie stays dead; signing in again works.
    expect((await me(interviewer)).status).toBe(401);
    expect((await me(await loginAsDemo(platform.app, 'interviewer'))).status).toBe(200);
    expect(await actions(id)).toEqual(['user.disable', 'user.enable']);
  });

  it('signs an account out everywhere and resets its password (the old one stops working)', async () => {
    const first = await loginAsDemo(platform.app, 'analyst');
    const second = await loginAsDemo(platform.app, 'analyst');
    const res = await post(`/api/admin/users/${first.user.id}/sign-out`, {});
    expect(await res.json()).toEqual({ sessionsEnded: 2 });
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(401);

    const session = await loginAsDemo(platform.app, 'analyst');
    const reset = (await (await post(`/api/admin/users/${first.user.id}/password-reset`, {})).json()) as { setPasswordPath: string };
    expect((await me(session)).status).toBe(401);
    await expect(loginAsDemo(platform.app, 'analyst')).rejects.toThrow();
    expect((await setPassword(reset.setPasswordPath, 'the analyst’s new password')).status).toBe(204);
    expect((await login(platform.app, first.user.email, 'the analyst’s new password')).user.id).toBe(first.user.id);
  });

  it('answers 404 for an unknown account', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const res = await post(`/api/admin/users/${id}/disabled`, { disabled: true });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('user_not_found');
    }
  });

  it('never disables or demotes the last active admin; changes a role otherwise', async () => {
    const self = admin.user.id;
    const disable = await post(`/api/admin/users/${self}/disabled`, { disabled: true });
    expect(disable.status).toBe(409);
    expect(((await disable.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'last_active_admin', message: expect.stringContaining('last active admin') });
    expect((await post(`/api/admin/users/${self}/role`, { role: 'analyst' })).status).toBe(409);
    expect((await me(admin)).status).toBe(200);

    // With a second admin, the first may step down.
    const created = (await (await post('/api/admin/users', { email: 'admin2@town.example', role: 'interviewer' })).json()) as { id: string };
    expect((await post(`/api/admin/users/${created.id}/role`, { role: 'admin' })).status).toBe(200);
    expect((await post(`/api/admin/users/${self}/role`, { role: 'analyst' })).status).toBe(200);
    // A role change takes effect on the next request of a live session.
    expect((await platform.app.request('/api/admin/users', { headers: admin.headers() })).status).toBe(403);
    expect(await actions(created.id)).toEqual(['user.create', 'user.role']);
  });
});
