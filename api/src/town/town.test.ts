import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTownSettings } from '../demo/demo-town.ts';
import { login, loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { createAccount } from '../auth/index.ts';

const realTown = {
  name: { default: 'Musterstadt', en: 'Sample Town' },
  dataProtection: { name: 'Erika Muster', email: 'datenschutz@musterstadt.example', phone: '+49 6000 123-4', address: 'Rathausplatz 1, 60000 Musterstadt' },
  imprintUrl: 'https://musterstadt.example/impressum',
  answersDeletedBy: '2099-06-30',
  contactsDeletedBy: '2099-12-31',
};

describe('town settings: kept on the server, served to every page', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(() => platform?.close());

  const put = (body: unknown, headers: Record<string, string> = {}) =>
    platform.app.request('/api/admin/town', {
      method: 'PUT',
      headers: admin.writeHeaders({ 'content-type': 'application/json', ...headers }),
      body: JSON.stringify(body),
    });

  it('serves the demo town the seed wrote, publicly, with k', async () => {
    const res = await platform.app.request('/api/town');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ configured: true, suppressionK: 5, ...demoTownSettings });
  });

  it('saves a whole new set of settings, serves it at once and audits what changed', async () => {
    const res = await put({ ...realTown, suppressionK: 7 });
    expect(res.status).toBe(200);
    expect(await (await platform.app.request('/api/town')).json()).toEqual({ configured: true, suppressionK: 7, ...realTown });
    // k is the same setting the analysis route reads and writes.
    const analysis = await platform.app.request('/api/analysis/settings', { headers: admin.headers() });
    expect(((await analysis.json()) as { suppressionK: number }).suppressionK).toBe(7);
    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('action', '=', 'town.update').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.user.id);
    expect(audit[0]!.details).toMatchObject({
      answersDeletedBy: { previous: '2028-12-31', now: '2099-06-30' },
      suppressionK: { previous: 5, now: 7 },
    });
  });

  it('answers every bad field with a localised message next to it, and saves nothing', async () => {
    const before = await (await platform.app.request('/api/town')).json();
    const res = await put(
      {
        name: { default: '' },
        dataProtection: { name: 'X', email: 'not-an-address', phone: 'call me' },
        imprintUrl: 'javascript:alert(1)',
        answersDeletedBy: '2099-02-30',
      },
      { 'accept-language': 'en' },
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string }; errors: { field: string; code: string; message: string }[] };
    expect(body.error.code).toBe('invalid_fields');
    expect(Object.fromEntries(body.errors.map((e) => [e.field, e.code]))).toEqual({
      'name.default': 'field_required',
      'dataProtection.email': 'field_invalid_email',
      'dataProtection.phone': 'field_invalid_phone',
      imprintUrl: 'field_invalid_url',
      answersDeletedBy: 'field_invalid_date',
      contactsDeletedBy: 'field_required',
    });
    expect(body.errors.find((e) => e.field === 'dataProtection.email')!.message).toBe('Please enter a valid e-mail address.');
    const german = (await (await put({ ...realTown, name: { default: '' } }, { 'accept-language': 'de' })).json()) as typeof body;
    expect(german.errors[0]!.message).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(await (await platform.app.request('/api/town')).json()).toEqual(before);
  });

  it('refuses a deletion date moved to today or earlier (the data would be deleted at once)', async () => {
    const res = await put({ ...realTown, answersDeletedBy: '2020-01-01' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; code: string }[] };
    expect(body.errors).toEqual([expect.objectContaining({ field: 'answersDeletedBy', code: 'field_date_not_future' })]);
  });

  it('needs an admin with the CSRF token', async () => {
    const analyst = await loginAsDemo(platform.app, 'analyst');
    const asAnalyst = await platform.app.request('/api/admin/town', {
      method: 'PUT',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(realTown),
    });
    expect(asAnalyst.status).toBe(403);
    const noCsrf = await platform.app.request('/api/admin/town', {
      method: 'PUT',
      headers: admin.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify(realTown),
    });
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
  });
});

describe('a town without settings (SEED_DEMO=false)', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { seedDemo: false } });
    await createAccount(platform.database.db, { email: 'first-admin@town.example', password: 'a long first password', role: 'admin' });
    admin = await login(platform.app, 'first-admin@town.example', 'a long first password');
  });
  afterAll(() => platform?.close());

  const open = (slug: string) =>
    platform.app.request(`/api/admin/surveys/${slug}/status`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'en' }),
      body: JSON.stringify({ status: 'open' }),
    });

  it('says so on GET /api/town, and offers no survey to the public', async () => {
    expect(await (await platform.app.request('/api/town')).json()).toEqual({ configured: false, suppressionK: 5 });
    const list = (await (await platform.app.request('/api/surveys')).json()) as { surveys: unknown[] };
    expect(list.surveys).toEqual([]);
  });

  it('cannot open a survey while the data-protection contact and deletion dates are missing', async () => {
    const res = await open('mini');
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('town_not_set_up');
    expect(body.error.message).toMatch(/data-protection contact/);
    const { status } = await platform.database.db.selectFrom('survey').select('status').where('slug', '=', 'mini').executeTakeFirstOrThrow();
    expect(status).toBe('closed');
  });

  it('opens it once the town has saved its settings', async () => {
    const saved = await platform.app.request('/api/admin/town', {
      method: 'PUT',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(realTown),
    });
    expect(saved.status).toBe(200);
    expect((await open('mini')).status).toBe(200);
    const list = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
    expect(list.surveys.map((survey) => survey.slug)).toContain('mini');
  });
});
