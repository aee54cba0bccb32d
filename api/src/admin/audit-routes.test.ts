import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/index.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import type { AuditPage } from '../shared/admin.ts';

describe('GET /api/admin/audit', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
    const db = platform.database.db;
    await db.deleteFrom('audit_log').execute();
    // 120 exports by the admin, then two survey actions and one by the platform itself, at known times.
    for (let i = 0; i < 120; i++) await recordAudit(db, { actorId: admin.user.id, action: i % 2 ? 'export.aggregate_csv' : 'export.codebook_csv', target: 'mini' });
    await db.updateTable('audit_log').set({ at: new Date('2026-11-01T10:00:00Z') }).execute();
    await recordAudit(db, { actorId: admin.user.id, action: 'survey.close', target: 'mini', details: { draftsDeleted: 0 } });
    await recordAudit(db, { actorId: null, action: 'retention.answers_deleted', target: 'mini', details: { responses: 3 } });
    await db.updateTable('audit_log').set({ at: new Date('2026-11-20T10:00:00Z') }).where('action', 'not like', 'export.%').execute();
  });
  afterAll(() => platform?.close());

  const get = async (query: string, locale = 'en') => {
    const res = await platform.app.request(`/api/admin/audit${query}`, { headers: admin.headers({ 'accept-language': locale }) });
    return { status: res.status, body: (await res.json()) as AuditPage & { errors?: { field: string; message: string }[] } };
  };

  it('pages the log newest first, with the acting account by email and the filter choices', async () => {
    const first = await get('');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(122);
    expect(first.body.entries).toHaveLength(first.body.pageSize);
    expect(first.body.entries.slice(0, 2).map((entry) => [entry.action, entry.actorEmail])).toEqual([
      ['retention.answers_deleted', null],
      ['survey.close', 'admin@demo.vielstimmig.de'],
    ]);
    expect(first.body.actions).toEqual(['export.aggregate_csv', 'export.codebook_csv', 'retention.answers_deleted', 'survey.close']);
    const pages = await Promise.all([1, 2, 3].map((page) => get(`?page=${page}`)));
    const ids = pages.flatMap((page) => page.body.entries.map((entry) => entry.id));
    expect(ids).toHaveLength(122);
    expect(new Set(ids).size).toBe(122);
  });

  it('filters by action, by action prefix, by actor and by period', async () => {
    expect((await get('?action=survey.close')).body.total).toBe(1);
    expect((await get('?action=export.')).body.total).toBe(120);
    expect((await get('?action=export.codebook_csv')).body.total).toBe(60);
    expect((await get('?actor=system')).body.entries.map((entry) => entry.action)).toEqual(['retention.answers_deleted']);
    expect((await get(`?actor=${admin.user.id}`)).body.total).toBe(121);
    const november20 = await get(`?from=${encodeURIComponent('2026-11-20T00:00:00+01:00')}&to=${encodeURIComponent('2026-11-21T00:00:00+01:00')}`);
    expect(november20.body.total).toBe(2);
    expect((await get(`?to=${encodeURIComponent('2026-11-02T00:00:00Z')}`)).body.total).toBe(120);
  });

  it('answers a bad filter with a localised message at the field', async () => {
    const bad = await get('?from=yesterday&page=0', 'de');
    expect(bad.status).toBe(422);
    expect(bad.body.errors!.map((error) => error.field).sort()).toEqual(['from', 'page']);
    expect(bad.body.errors!.find((error) => error.field === 'from')!.message).toMatch(/Datum/);
  });
});
