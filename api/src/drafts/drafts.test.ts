import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { hashHumanCode, normaliseHumanCode } from '../codes/human-code.ts';
import { openPlatform } from '../platform.ts';
import { closeSurvey } from '../surveys/close-survey.ts';
import { DRAFT_LIFETIME_DAYS, purgeExpiredDrafts } from './index.ts';

const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

describe('resume later: drafts on the server', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
  });
  afterAll(() => platform?.close());

  const json = { 'content-type': 'application/json' };
  const create = (slug: string, body: unknown) =>
    platform.app.request(`/api/surveys/${slug}/drafts`, { method: 'POST', headers: json, body: JSON.stringify(body) });
  // The code travels in a header, never in the address (proxies log addresses).
  const withCode = (code: string, headers: Record<string, string> = {}) => ({ 'x-resume-code': code, ...headers });
  const read = (code: string) => platform.app.request('/api/drafts/current', { headers: withCode(code) });
  const save = (code: string, body: unknown) =>
    platform.app.request('/api/drafts/current', { method: 'PUT', headers: withCode(code, json), body: JSON.stringify(body) });
  const discard = (code: string) => platform.app.request('/api/drafts/current', { method: 'DELETE', headers: withCode(code) });
  const newDraft = async (slug = 'mini', answers: Record<string, unknown> = { satisfaction: 'high' }) => {
    const res = await create(slug, { version: 1, locale: 'tr', answers });
    expect(res.status).toBe(201);
    return ((await res.json()) as { code: string; expiresAt: string }).code;
  };
  const draftRows = () => platform.database.db.selectFrom('response_draft').selectAll().execute();

  it('creates a draft (201) with a human-typable code and an expiry 30 days ahead', async () => {
    const before = Date.now();
    const res = await create('mini', { version: 1, locale: 'ar', answers: { satisfaction: 'low', age: 41 } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { code: string; expiresAt: string };
    expect(body.code).toMatch(CODE_PATTERN);
    const expires = Date.parse(body.expiresAt);
    expect(expires - before).toBeGreaterThan((DRAFT_LIFETIME_DAYS - 1) * DAY_MS);
    expect(expires - before).toBeLessThan((DRAFT_LIFETIME_DAYS + 1) * DAY_MS);

    const got = await read(body.code);
    expect(got.status).toBe(200);
    expect(got.headers.get('cache-control')).toBe('no-store');
    expect(await got.json()).toMatchObject({ slug: 'mini', version: 1, locale: 'ar', answers: { satisfaction: 'low', age: 41 } });
  });

  it('keeps only a hash of the code: the code itself is nowhere in the table', async () => {
    const code = await newDraft();
    const compact = code.replace(/-/g, '');
    const rows = await sql<{ row: string }>`select t::text as row from response_draft t`.execute(platform.database.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const { row } of rows.rows) {
      expect(row).not.toContain(code);
      expect(row).not.toContain(compact);
    }
  });

  it('finds a draft whatever the case and spacing the code is typed in', async () => {
    const code = await newDraft();
    expect((await read(code.toLowerCase())).status).toBe(200);
    expect((await read(code.replace(/-/g, ' '))).status).toBe(200);
    expect((await read(code.replace(/-/g, ''))).status).toBe(200);
  });

  it('saves new answers with PUT and restarts the lifetime', async () => {
    const code = await newDraft();
    await sql`update response_draft set expires_at = now() + interval '1 day'`.execute(platform.database.db);
    const res = await save(code, { version: 1, locale: 'de', answers: { satisfaction: 'low', age: 20 } });
    expect(res.status).toBe(200);
    const { expiresAt } = (await res.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan((DRAFT_LIFETIME_DAYS - 1) * DAY_MS);
    expect(await (await read(code)).json()).toMatchObject({ locale: 'de', answers: { satisfaction: 'low', age: 20 } });
  });

  it('deletes a draft (204); after that it is gone (404)', async () => {
    const code = await newDraft();
    expect((await discard(code)).status).toBe(204);
    const res = await read(code);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('draft_not_found');
    expect((await discard(code)).status).toBe(404);
    expect((await save(code, { version: 1, locale: 'de', answers: {} })).status).toBe(404);
  });

  it('carries the response id to the next device: sending from both stores one response (200 for the same answers, 409 for others)', async () => {
    const responseId = crypto.randomUUID();
    const answers = { satisfaction: 'high', age: 30 };
    const created = await create('mini', { version: 1, locale: 'de', answers: { satisfaction: 'high' }, responseId });
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };
    // The second device saves on with the code; a save that does not name the id keeps it.
    expect((await save(code, { version: 1, locale: 'de', answers })).status).toBe(200);
    const resumed = (await (await read(code)).json()) as { responseId: string | null };
    expect(resumed.responseId).toBe(responseId);

    // Both devices hold the code and send it with the response.
    const submit = (body: unknown) =>
      platform.app.request('/api/surveys/mini/responses', { method: 'POST', headers: withCode(code, json), body: JSON.stringify(body) });
    expect((await submit({ id: resumed.responseId, version: 1, locale: 'de', answers })).status).toBe(201);
    expect((await submit({ id: responseId, version: 1, locale: 'de', answers })).status).toBe(200);
    expect((await submit({ id: responseId, version: 1, locale: 'de', answers: { satisfaction: 'low' } })).status).toBe(409);
    const rows = await platform.database.db.selectFrom('response').select('id').where('id', '=', responseId).execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps no response id for a draft made without one, and refuses one that is not a UUID (400)', async () => {
    const code = await newDraft();
    expect(((await (await read(code)).json()) as { responseId: unknown }).responseId).toBeNull();
    expect((await create('mini', { version: 1, locale: 'de', answers: {}, responseId: 'r-1' })).status).toBe(400);
    expect((await save(code, { version: 1, locale: 'de', answers: {}, responseId: 42 })).status).toBe(400);
  });

  it('answers 404 for codes that do not exist or cannot be codes', async () => {
    for (const code of ['AAAA-BBBB-CCCC', 'not a code', 'ABCD-EFGH-JKMU']) {
      expect((await read(code)).status, code).toBe(404);
      expect((await discard(code)).status, code).toBe(404);
    }
  });

  it('refuses drafts for unknown surveys (404), unknown versions (409) and malformed bodies (400)', async () => {
    expect((await create('no-such-survey', { version: 1, locale: 'de', answers: {} })).status).toBe(404);
    expect((await create('mini', { version: 9, locale: 'de', answers: {} })).status).toBe(409);
    expect((await create('mini', { version: 1, locale: 'xx', answers: {} })).status).toBe(400);
    expect((await create('mini', { version: 1, locale: 'de', answers: 'x' })).status).toBe(400);
    const code = await newDraft();
    expect((await save(code, { version: 9, locale: 'de', answers: {} })).status).toBe(409);
  });

  it('refuses a draft body over the size limit (413)', async () => {
    const res = await create('mini', { version: 1, locale: 'de', answers: { note: 'x'.repeat(300 * 1024) } });
    expect(res.status).toBe(413);
  });

  it('no longer takes a code in the address: /api/drafts/CODE answers 410 with a clear message and leaves the draft alone', async () => {
    const code = await newDraft();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await platform.app.request(`/api/drafts/${code}`, {
        method,
        headers: { ...json, 'accept-language': 'en' },
        ...(method === 'PUT' ? { body: JSON.stringify({ version: 1, locale: 'en', answers: {} }) } : {}),
      });
      expect(res.status, method).toBe(410);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('resume_code_in_url');
      expect(body.error.message).toMatch(/reload/i);
    }
    const kept = (await (await read(code)).json()) as { answers: unknown };
    expect(kept.answers).toEqual({ satisfaction: 'high' });
  });

  it('keeps the page the person stopped at, so another device continues there', async () => {
    const res = await create('mini', { version: 1, locale: 'de', answers: { satisfaction: 'high' }, page: 2 });
    const { code } = (await res.json()) as { code: string };
    expect(((await (await read(code)).json()) as { page: number }).page).toBe(2);
    expect((await save(code, { version: 1, locale: 'de', answers: { satisfaction: 'low' }, page: 4 })).status).toBe(200);
    expect(((await (await read(code)).json()) as { page: number }).page).toBe(4);
    // A save that does not say keeps it.
    await save(code, { version: 1, locale: 'de', answers: { satisfaction: 'low' } });
    expect(((await (await read(code)).json()) as { page: number }).page).toBe(4);
    expect((await save(code, { version: 1, locale: 'de', answers: {}, page: -1 })).status).toBe(400);
  });

  it('lets only the holder of the code submit under the response id its draft carries', async () => {
    const responseId = randomUUID();
    const created = await create('mini', { version: 1, locale: 'de', answers: { satisfaction: 'high' }, responseId });
    const { code } = (await created.json()) as { code: string };
    const submit = (headers: Record<string, string>) =>
      platform.app.request('/api/surveys/mini/responses', {
        method: 'POST',
        headers: { ...json, ...headers },
        body: JSON.stringify({ id: responseId, version: 1, locale: 'de', answers: { satisfaction: 'low' } }),
      });
    const other = await newDraft();
    const attempts: Record<string, string>[] = [{}, { 'x-resume-code': other }, { 'x-resume-code': 'AAAA-BBBB-CCCC' }];
    for (const headers of attempts) {
      const refused = await submit(headers);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('resume_code_required');
    }
    const stored = () => platform.database.db.selectFrom('response').select('id').where('id', '=', responseId).execute();
    expect(await stored()).toHaveLength(0);
    // Typed as a person would: lower case, without hyphens.
    expect((await submit({ 'x-resume-code': code.toLowerCase().replaceAll('-', '') })).status).toBe(201);
    expect(await stored()).toHaveLength(1);
    // Ids no draft carries are free as before.
    const free = await platform.app.request('/api/surveys/mini/responses', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: randomUUID(), version: 1, locale: 'de', answers: { satisfaction: 'low' } }),
    });
    expect(free.status).toBe(201);
  });

  it('keeps no finer time than the day on a draft: saved and expiry at midnight in the town', async () => {
    await newDraft();
    const rows = await sql<{ saved: string; expires: string }>`
      select to_char(updated_at at time zone 'Europe/Berlin', 'HH24:MI:SS.US') as saved,
             to_char(expires_at at time zone 'Europe/Berlin', 'HH24:MI:SS.US') as expires
      from response_draft`.execute(platform.database.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(row).toEqual({ saved: '00:00:00.000000', expires: '00:00:00.000000' });
  });

  it('neither returns nor updates an expired draft, and purgeExpiredDrafts deletes only expired ones', async () => {
    const expired = await newDraft();
    const live = await newDraft();
    const { db } = platform.database;
    const before = (await draftRows()).length;
    // The test knows how codes are hashed; the table has nothing else to find a draft by.
    const hashOf = (code: string) => hashHumanCode('draft', normaliseHumanCode(code)!);
    // Expiry is kept to the day (midnight in the town), so "expired" means a day ago.
    await db.updateTable('response_draft').set({ expires_at: sql<string>`now() - interval '1 day'` }).where('code_hash', '=', hashOf(expired)).execute();

    expect((await read(expired)).status).toBe(404);
    expect((await save(expired, { version: 1, locale: 'de', answers: {} })).status).toBe(404);
    expect((await read(live)).status).toBe(200);
    expect(await purgeExpiredDrafts(db)).toBe(1);
    expect((await draftRows()).length).toBe(before - 1);
    expect((await draftRows()).map((row) => row.code_hash)).toContain(hashOf(live));
    expect(await purgeExpiredDrafts(db)).toBe(0);
  });

  it('deletes expired drafts when the platform starts', async () => {
    const code = await newDraft();
    const { db } = platform.database;
    await sql`update response_draft set expires_at = now() - interval '1 day'`.execute(db);
    expect((await draftRows()).length).toBeGreaterThan(0);
    // A second start-up on the same database (as after a restart); its close() is not called
    // because it would close the shared database handle.
    const lines: string[] = [];
    await openPlatform(
      { port: 0, databaseUrl: null, dataDir: platform.dataDir, surveysDir: FIXTURE_SURVEYS_DIR, seedDemo: true },
      { database: platform.database, log: (line) => lines.push(line) },
    );
    expect(await draftRows()).toEqual([]);
    expect(lines.some((line) => /deleted \d+ expired draft/.test(line))).toBe(true);
    expect((await read(code)).status).toBe(404);
  });

  it('closeSurvey closes the survey and deletes its drafts, and only its drafts', async () => {
    const ofClosing = await newDraft('guide-mini', { what_works: 'Das Fest' });
    const ofOther = await newDraft('mini');
    const result = await closeSurvey(platform.database.db, 'guide-mini');
    expect(result).toEqual({ closed: true, draftsDeleted: 1 });

    const survey = await platform.database.db.selectFrom('survey').select('status').where('slug', '=', 'guide-mini').executeTakeFirstOrThrow();
    expect(survey.status).toBe('closed');
    const slugs = (await draftRows()).map((row) => row.survey_slug);
    expect(slugs).not.toContain('guide-mini');
    expect(slugs).toContain('mini');
    expect((await read(ofClosing)).status).toBe(404);
    expect((await read(ofOther)).status).toBe(200);

    const late = await create('guide-mini', { version: 1, locale: 'de', answers: {} });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('survey_closed');
    expect(await closeSurvey(platform.database.db, 'no-such-survey')).toEqual({ closed: false, draftsDeleted: 0 });
  });
});
