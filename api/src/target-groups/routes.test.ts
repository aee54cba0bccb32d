import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');

let platform: TestPlatform;
let admin: StaffSession;
let analyst: StaffSession;

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  admin = await loginAsDemo(platform.app, 'admin');
  analyst = await loginAsDemo(platform.app, 'analyst');
});
afterAll(async () => {
  await platform?.close();
});

const json = (body: unknown) => JSON.stringify(body);
const membership = async (id: string) =>
  (await platform.database.db.selectFrom('response').select('target_groups').where('id', '=', id).executeTakeFirstOrThrow()).target_groups;

describe('target groups over HTTP', () => {
  it('membership is stored when a response arrives, and re-tagged when an admin changes the rule', async () => {
    const id = randomUUID();
    const submitted = await platform.app.request('/api/surveys/baseline-lite/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ id, version: 1, locale: 'de', district: 'worfelden', answers: { district: 'worfelden', age_band: '21-29', years_in_town: 5 } }),
    });
    expect(submitted.status).toBe(201);
    expect(await membership(id)).toEqual([]);

    // New residents are now those with fewer than 6 years in town.
    const changed = await platform.app.request('/api/target-groups/new_residents', {
      method: 'PATCH',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ expression: '{years_in_town} < 6' }),
    });
    expect(changed.status).toBe(200);
    expect((await changed.json()).recompute.examined).toBeGreaterThanOrEqual(1);
    expect(await membership(id)).toEqual(['new_residents']);

    const audit = await platform.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target'])
      .where('action', '=', 'target_group.update')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_id: admin.user.id, target: 'new_residents' });
  });

  it('analysts read the rules; only admins change them; broken expressions are refused with a message', async () => {
    const list = await platform.app.request('/api/target-groups', { headers: analyst.headers() });
    expect(list.status).toBe(200);
    expect((await list.json()).targetGroups.length).toBeGreaterThan(5);

    const byAnalyst = await platform.app.request('/api/target-groups', {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ code: 'x', label: { de: 'X' }, expression: '{a} = 1' }),
    });
    expect(byAnalyst.status).toBe(403);

    const broken = await platform.app.request('/api/target-groups', {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'en' }),
      body: json({ code: 'broken', label: { de: 'Kaputt', en: 'Broken' }, expression: "{age_band} anyof ['16-20'" }),
    });
    expect(broken.status).toBe(422);
    const refused = (await broken.json()) as { error: { code: string; message: string }; issue: unknown };
    expect(refused.error).toMatchObject({ code: 'invalid_target_group_expression', message: expect.stringContaining('stops before it is complete (at character 26)') });
    expect(refused.issue).toEqual({ problem: 'syntax', position: 26, atEnd: true });

    const created = await platform.app.request('/api/target-groups', {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ code: 'volunteers', label: { de: 'Ehrenamtliche', en: 'Volunteers' }, expression: '{volunteers} = true', sortOrder: 80 }),
    });
    expect(created.status).toBe(201);
    const deleted = await platform.app.request('/api/target-groups/volunteers', { method: 'DELETE', headers: admin.writeHeaders() });
    expect(deleted.status).toBe(200);
  });
});

describe('the suppression threshold k', () => {
  it('defaults to 5, can be set by an admin, and is never below 3 (API and database)', async () => {
    const read = await platform.app.request('/api/analysis/settings', { headers: analyst.headers() });
    expect(await read.json()).toMatchObject({ suppressionK: 5, minimum: 3 });

    const tooLow = await platform.app.request('/api/analysis/settings', {
      method: 'PUT',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ suppressionK: 2 }),
    });
    expect(tooLow.status).toBe(400);
    const byAnalyst = await platform.app.request('/api/analysis/settings', {
      method: 'PUT',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ suppressionK: 7 }),
    });
    expect(byAnalyst.status).toBe(403);
    // Even a direct write that skips the code is refused by the database.
    await expect(
      platform.database.db.insertInto('setting').values({ key: 'suppression_k', value: '2' }).execute(),
    ).rejects.toThrow(/setting_suppression_k_minimum/);

    const set = await platform.app.request('/api/analysis/settings', {
      method: 'PUT',
      headers: admin.writeHeaders({ 'content-type': 'application/json' }),
      body: json({ suppressionK: 3 }),
    });
    expect(set.status).toBe(200);
    const after = await platform.app.request('/api/analysis/settings', { headers: analyst.headers() });
    expect((await after.json()).suppressionK).toBe(3);
  });
});
