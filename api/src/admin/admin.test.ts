import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';

describe('admin basics: accounts and survey status', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(() => platform?.close());

  const setStatus = (slug: string, body: unknown) =>
    platform.app.request(`/api/admin/surveys/${slug}/status`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });

  it('lists the staff accounts without password hashes, with interviewer references for interviewers', async () => {
    const res = await platform.app.request('/api/admin/users', { headers: admin.headers() });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const text = await res.text();
    expect(text).not.toMatch(/argon2|password/i);
    const { users } = JSON.parse(text) as { users: { email: string; role: string; disabled: boolean; interviewerRef: string | null }[] };
    expect(users.map((user) => [user.email, user.role])).toEqual([
      ['admin@demo.vielstimmig.de', 'admin'],
      ['analyst@demo.vielstimmig.de', 'analyst'],
      ['interviewer@demo.vielstimmig.de', 'interviewer'],
    ]);
    expect(users.find((user) => user.role === 'interviewer')!.interviewerRef).toMatch(/^iv-[0-9a-f]{16}$/);
    expect(users.find((user) => user.role === 'admin')!.interviewerRef).toBeNull();
  });

  it('closes and reopens a survey, writing who did it to the audit log', async () => {
    const closed = await setStatus('mini', { status: 'closed' });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ slug: 'mini', status: 'closed' });
    const list = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
    expect(list.surveys.map((survey) => survey.slug)).not.toContain('mini');

    expect((await setStatus('mini', { status: 'open' })).status).toBe(200);
    const reopened = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
    expect(reopened.surveys.map((survey) => survey.slug)).toContain('mini');

    const audit = await platform.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'target'])
      .where('target', '=', 'mini')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor_id: admin.user.id, action: 'survey.close', target: 'mini' },
      { actor_id: admin.user.id, action: 'survey.open', target: 'mini' },
    ]);
  });

  it('answers 404 for an unknown survey and 400 for an unknown status', async () => {
    const unknown = await setStatus('no-such-survey', { status: 'closed' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('survey_not_found');
    expect((await setStatus('mini', { status: 'archived' })).status).toBe(400);
  });

  it('opens a survey for a schedule the server enforces: after closesAt a response is 409 in the respondent\'s language', async () => {
    const schedule = (body: unknown) =>
      platform.app.request('/api/admin/surveys/mini/schedule', {
        method: 'POST',
        headers: admin.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'en' }),
        body: JSON.stringify(body),
      });
    const submit = (locale: string) =>
      platform.app.request('/api/surveys/mini/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: crypto.randomUUID(), version: 1, locale, answers: { satisfaction: 'high' } }),
      });
    const hour = 60 * 60 * 1000;
    const listed = async () => ((await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] }).surveys.map((s) => s.slug);

    expect((await schedule({ opensAt: new Date(Date.now() - hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString() })).status).toBe(200);
    expect((await submit('de')).status).toBe(201);

    expect((await schedule({ closesAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(200);
    const late = await submit('en');
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'survey_closed',
      message: 'The survey “mini” has ended. No more answers are accepted.',
    });
    expect(await listed()).not.toContain('mini');
    expect(((await (await platform.app.request('/api/surveys/mini')).json()) as { status: string }).status).toBe('closed');

    const opensAt = new Date(Date.now() + 24 * hour);
    expect((await schedule({ opensAt: opensAt.toISOString() })).status).toBe(200);
    const early = await submit('de');
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('survey_not_yet_open');

    // The admin's list shows the window and that the survey does not take answers yet.
    const adminList = (await (await platform.app.request('/api/admin/surveys', { headers: admin.headers() })).json()) as {
      surveys: { slug: string; status: string; opensAt: string | null; closesAt: string | null; accepting: boolean; kind: string }[];
    };
    expect(adminList.surveys.find((survey) => survey.slug === 'mini')).toMatchObject({ status: 'open', opensAt: opensAt.toISOString(), closesAt: null, accepting: false });

    const backwards = await schedule({ opensAt: opensAt.toISOString(), closesAt: new Date(Date.now()).toISOString() });
    expect(backwards.status).toBe(422);
    // "Open now" drops the schedule.
    expect((await setStatus('mini', { status: 'open' })).status).toBe(200);
    expect(await listed()).toContain('mini');
    const reopened = (await (await platform.app.request('/api/admin/surveys', { headers: admin.headers() })).json()) as { surveys: { slug: string; accepting: boolean; opensAt: string | null }[] };
    expect(reopened.surveys.find((survey) => survey.slug === 'mini')).toMatchObject({ accepting: true, opensAt: null });
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('action', '=', 'survey.schedule').execute();
    expect(audit).toHaveLength(3);
  });
});
