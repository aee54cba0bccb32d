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
});
