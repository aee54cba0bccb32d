import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../auth/accounts.ts';
import { login, loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { registerInstruments } from './catalogue.ts';

type Json = Record<string, any>;
interface Marked { at: string; by: { email: string; displayName: string | null } | null }
interface Report { version: number; locales: { locale: string; status: string; marked: Marked | null }[] }

describe('who marked a locale draft or reviewed, and when', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let reviewer: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
    // A second admin, so that "who" is not simply the only account there is.
    await createAccount(platform.database.db, { email: 'uebersetzung@musterstadt.de', password: 'a-long-enough-password', role: 'admin', displayName: 'Aylin Reviewer' });
    reviewer = await login(platform.app, 'uebersetzung@musterstadt.de', 'a-long-enough-password');
  });
  afterAll(() => platform?.close());

  const report = async (slug = 'mini') => (await (await platform.app.request(`/api/admin/surveys/${slug}/translations`, { headers: admin.headers() })).json()) as Report;
  const miniFile = async () => JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8')) as Json;
  const upload = (session: StaffSession, file: Json) =>
    platform.app.request('/api/admin/surveys/mini/versions', { method: 'POST', headers: session.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify(file) });

  it('records a status that came from the file in surveys/ without a person, at the time it was registered', async () => {
    const started = await report();
    expect(started.locales.map((entry) => [entry.locale, entry.status, entry.marked?.by])).toEqual([['en', 'draft', null], ['ar', 'draft', null]]);
    for (const entry of started.locales) expect(Date.now() - Date.parse(entry.marked!.at)).toBeLessThan(5 * 60_000);
  });

  it('records who published a version that marks a locale reviewed, and keeps the others as they were', async () => {
    const before = await report();
    const file = await miniFile();
    file.translationStatus.ar = 'reviewed';
    expect((await upload(reviewer, file)).status).toBe(201);
    const after = await report();
    expect(after.version).toBe(2);
    const arabic = after.locales.find((entry) => entry.locale === 'ar')!;
    expect(arabic).toMatchObject({ status: 'reviewed', marked: { by: { email: 'uebersetzung@musterstadt.de', displayName: 'Aylin Reviewer' } } });
    expect(Date.parse(arabic.marked!.at)).toBeGreaterThanOrEqual(Date.parse(before.locales[1]!.marked!.at));
    // English did not change status: its record (from the file) stays.
    expect(after.locales.find((entry) => entry.locale === 'en')).toEqual(before.locales.find((entry) => entry.locale === 'en'));
    // Stored in its own table, not only in the audit entry.
    const row = await platform.database.db.selectFrom('translation_review').selectAll().where('survey_slug', '=', 'mini').where('locale', '=', 'ar').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'reviewed', version: 2, marked_by: reviewer.user.id });
  });

  it('a restart with the unchanged file in surveys/ keeps the upload and who marked it', async () => {
    await registerInstruments(platform.database.db, FIXTURE_SURVEYS_DIR);
    const after = await report();
    expect(after.version).toBe(2);
    expect(after.locales.find((entry) => entry.locale === 'ar')!.marked!.by!.email).toBe('uebersetzung@musterstadt.de');
  });

  it('records the admin who sets a locale back to draft; an earlier record of another status is not shown as the current one', async () => {
    const file = await miniFile();
    file.translationStatus.ar = 'draft';
    file.definition.title.ar = 'استبيان قصير';
    expect((await upload(admin, file)).status).toBe(201);
    const arabic = (await report()).locales.find((entry) => entry.locale === 'ar')!;
    expect(arabic).toMatchObject({ status: 'draft', marked: { by: { email: admin.user.email } } });
    // A version restored from before (version 2: reviewed by the reviewer) is marked by who restored it.
    const restored = await miniFile();
    restored.translationStatus.ar = 'reviewed';
    expect((await upload(admin, restored)).status).toBe(200);
    const again = (await report()).locales.find((entry) => entry.locale === 'ar')!;
    expect(again).toMatchObject({ status: 'reviewed', marked: { by: { email: admin.user.email } } });
  });

  it('shows no person for a status set by a changed file in surveys/', async () => {
    const dir = await fs.mkdtemp(path.join(platform.dataDir, 'surveys-'));
    const file = await miniFile();
    file.translationStatus.en = 'reviewed';
    await fs.writeFile(path.join(dir, 'mini.json'), JSON.stringify(file));
    await registerInstruments(platform.database.db, dir);
    const english = (await report()).locales.find((entry) => entry.locale === 'en')!;
    expect(english).toMatchObject({ status: 'reviewed', marked: { by: null } });
  });
});
