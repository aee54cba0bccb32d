import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform } from '../platform.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { storeInstrumentVersion } from './catalogue.ts';
import type { InstrumentFile } from './instrument-file.ts';
import type { UploadCheck } from '../shared/surveys-admin.ts';

type Json = Record<string, any>;

/** A new instrument: mini.json under another title, with a question of its own. */
async function youthSurvey(): Promise<Json> {
  const file = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8')) as Json;
  file.definition.title = { default: 'Jugendbefragung', en: 'Youth survey', ar: 'استطلاع الشباب' };
  file.definition.pages[0].elements.push({ type: 'comment', name: 'wish', title: { default: 'Was wünschen Sie sich?', en: 'What do you wish for?', ar: 'ماذا تتمنى؟' } });
  return file;
}

describe('a new instrument (a new slug) from the browser', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let surveysDir: string;

  beforeAll(async () => {
    // The fixtures plus a file the start-up refuses: its name is taken in surveys/ though no survey has it.
    surveysDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-surveys-'));
    await fs.cp(FIXTURE_SURVEYS_DIR, surveysDir, { recursive: true });
    await fs.writeFile(path.join(surveysDir, 'waiting.json'), '{"kind": "resident"}');
    platform = await openTestPlatform({ surveysDir });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(async () => {
    await platform?.close();
    await fs.rm(surveysDir, { recursive: true, force: true });
  });

  const send = (route: '' | '/preview', slug: string | null, body: string, contentType = 'application/json', locale = 'en') =>
    platform.app.request(`/api/admin/surveys${route}${slug === null ? '' : `?slug=${encodeURIComponent(slug)}&fileName=jugend.json`}`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': contentType, 'accept-language': locale }),
      body,
    });
  const preview = async (slug: string | null, body: string) => (await (await send('/preview', slug, body)).json()) as UploadCheck;
  const surveyRows = () => platform.database.db.selectFrom('survey').select('slug').orderBy('slug').execute();
  const versionRows = () => platform.database.db.selectFrom('survey_version').select(['survey_slug', 'version']).orderBy('survey_slug').orderBy('version').execute();

  it('checks the file as npm run check-surveys does and shows every question as added; nothing is stored', async () => {
    const before = { surveys: await surveyRows(), versions: await versionRows() };
    const check = await preview('jugend-2027', JSON.stringify(await youthSurvey()));
    expect(check).toMatchObject({ slug: 'jugend-2027', isNewInstrument: true, currentVersion: 0, nextVersion: 1, sameAsVersion: null, publishable: true });
    expect(check.diff!.added.map((question) => question.name)).toEqual(['district', 'satisfaction', 'age', 'wish']);
    expect(check.completeness.map((entry) => entry.locale)).toEqual(['de', 'en', 'ar']);
    expect({ surveys: await surveyRows(), versions: await versionRows() }).toEqual(before);
  });

  it('names each problem with where it is: a clashing or bad slug, a file that is not an instrument, a failing check; nothing changes', async () => {
    const before = { surveys: await surveyRows(), versions: await versionRows() };
    const good = JSON.stringify(await youthSurvey());
    const slugProblem = async (slug: string | null) => (await preview(slug, good)).problems.filter((problem) => problem.where === 'slug').map((problem) => problem.message);
    expect(await slugProblem('mini')).toEqual([expect.stringMatching(/a survey "mini" exists already/)]);
    expect(await slugProblem('waiting')).toEqual([expect.stringMatching(/surveys\/waiting\.json exists on the server/)]);
    for (const bad of ['Jugend', '../mini', '-x', 'a b', 'x'.repeat(61), '']) expect(await slugProblem(bad), bad).toEqual([expect.stringMatching(/not a usable name/)]);
    expect(await slugProblem(null)).toEqual([expect.stringMatching(/not a usable name/)]);

    const notAnInstrument = await preview('jugend-2027', JSON.stringify({ hello: 'world' }));
    expect(notAnInstrument.publishable).toBe(false);
    expect(notAnInstrument.problems[0]).toMatchObject({ severity: 'error', where: 'file' });
    const notJson = await preview('jugend-2027', 'PNG\u0000\u0001');
    expect(notJson.problems).toEqual([expect.objectContaining({ where: 'file', message: expect.stringMatching(/not valid JSON/) })]);
    const noGerman = await youthSurvey();
    delete noGerman.definition.pages[0].elements[3].title.default;
    expect((await preview('jugend-2027', JSON.stringify(noGerman))).problems).toContainEqual(expect.objectContaining({ where: 'question wish', message: expect.stringMatching(/no German text/) }));

    // Publishing any of them is refused with the same problems.
    const clash = await send('', 'mini', good, 'application/json', 'de');
    expect(clash.status).toBe(422);
    const refused = (await clash.json()) as { error: { code: string; message: string }; problems: { where: string }[] };
    expect(refused.error.code).toBe('instrument_invalid');
    expect(refused.error.message).toMatch(/^Die Datei wurde nicht veröffentlicht/);
    expect(refused.problems.map((problem) => problem.where)).toEqual(['slug']);
    expect((await send('', '../x', good)).status).toBe(422);
    expect((await send('', 'waiting', good)).status).toBe(422);
    expect((await send('', 'jugend-2027', JSON.stringify(noGerman))).status).toBe(422);
    expect((await send('', 'jugend-2027', good, 'text/plain')).status).toBe(415);
    expect({ surveys: await surveyRows(), versions: await versionRows() }).toEqual(before);
    expect(await platform.database.db.selectFrom('audit_log').select('id').where('action', '=', 'survey.create').execute()).toEqual([]);
  });

  it('publishes it as version 1, closed, with who marked its locales; the same slug again is refused', async () => {
    const res = await send('', 'jugend-2027', JSON.stringify(await youthSurvey()));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: 'jugend-2027', version: 1, isNewVersion: true });
    const survey = await platform.database.db.selectFrom('survey').select(['status', 'kind', 'current_version']).where('slug', '=', 'jugend-2027').executeTakeFirstOrThrow();
    expect(survey).toEqual({ status: 'closed', kind: 'resident', current_version: 1 });
    const version = await platform.database.db.selectFrom('survey_version').select('source_file').where('survey_slug', '=', 'jugend-2027').executeTakeFirstOrThrow();
    expect(version.source_file).toBe('upload:jugend.json');
    const listed = (await (await platform.app.request('/api/admin/surveys', { headers: admin.headers() })).json()) as { surveys: { slug: string; status: string; version: number }[] };
    expect(listed.surveys.find((entry) => entry.slug === 'jugend-2027')).toMatchObject({ status: 'closed', version: 1 });
    // Closed until an admin opens it: not offered to the public.
    const open = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
    expect(open.surveys.map((entry) => entry.slug)).not.toContain('jugend-2027');
    const translations = (await (await platform.app.request('/api/admin/surveys/jugend-2027/translations', { headers: admin.headers() })).json()) as { locales: { locale: string; marked: { by: { email: string } } }[] };
    expect(translations.locales.map((entry) => [entry.locale, entry.marked.by.email])).toEqual([['en', admin.user.email], ['ar', admin.user.email]]);
    const audit = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'target', 'details']).where('action', '=', 'survey.create').execute();
    expect(audit).toEqual([{ actor_id: admin.user.id, target: 'jugend-2027', details: { version: 1, questions: 4 } }]);

    const again = await send('', 'jugend-2027', JSON.stringify(await youthSurvey()));
    expect(again.status).toBe(422);
    expect(JSON.stringify(await again.json())).toMatch(/exists already/);
    // Two admins publishing the same new slug at once: the second is refused under the survey's lock.
    const other = await youthSurvey();
    other.definition.title.en = 'Another youth survey';
    const file = other as InstrumentFile;
    await expect(storeInstrumentVersion(platform.database.db, 'jugend-2027', file, 'upload:other.json', { mustBeNew: true })).rejects.toMatchObject({ status: 409, code: 'survey_exists' });
    expect((await versionRows()).filter((row) => row.survey_slug === 'jugend-2027')).toEqual([{ survey_slug: 'jugend-2027', version: 1 }]);
  });

  it('can be opened and answered, and survives a restart of the platform', async () => {
    const opened = await platform.app.request('/api/admin/surveys/jugend-2027/status', { method: 'POST', headers: admin.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify({ status: 'open' }) });
    expect(opened.status).toBe(200);
    // A second start-up on the same database (migrations, seed, surveys/ registered again); its
    // handle's close is a no-op, so that closing it stops its timers but not the shared database.
    const restarted = await openPlatform(
      { port: 0, databaseUrl: null, dataDir: platform.dataDir, surveysDir, seedDemo: true },
      { database: { ...platform.database, close: async () => {} } },
    );
    try {
      expect(restarted.catalogue.registered.map((entry) => entry.slug)).not.toContain('jugend-2027');
      const served = await restarted.app.request('/api/surveys/jugend-2027');
      expect(served.status).toBe(200);
      const body = (await served.json()) as { version: number; status?: string; definition: Json };
      expect(body.version).toBe(1);
      expect(body.definition.title.default).toBe('Jugendbefragung');
      const answered = await restarted.app.request('/api/surveys/jugend-2027/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: crypto.randomUUID(), version: 1, locale: 'de', answers: { satisfaction: 'high', wish: 'Ein Jugendzentrum' } }),
      });
      expect(answered.status).toBe(201);
    } finally {
      await restarted.close();
    }
  });
});
