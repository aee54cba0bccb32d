import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { registerInstruments } from './catalogue.ts';
import { questionChanges } from './version-changes.ts';
import type { VersionDiff } from '../shared/surveys-admin.ts';

type Json = Record<string, any>;

/** mini.json as version 2: new wording in English, a choice added, a question removed, one added. */
async function miniVersion2(): Promise<Json> {
  const file = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8')) as Json;
  const elements = file.definition.pages[0].elements as Json[];
  const satisfaction = elements.find((element) => element.name === 'satisfaction')!;
  satisfaction.title.en = 'How content are you?';
  satisfaction.choices.splice(1, 0, { value: 'mid', text: { default: 'Mittel', en: 'Medium', ar: 'متوسط' } });
  file.definition.pages[0].elements = [
    ...elements.filter((element) => element.name !== 'age'),
    { type: 'boolean', name: 'children', title: { default: 'Haben Sie Kinder?', en: 'Do you have children?', ar: 'هل لديك أطفال؟' } },
  ];
  return file;
}

describe('new instrument versions from the browser', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let version1: { definition: unknown; content_hash: string };

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    admin = await loginAsDemo(platform.app, 'admin');
    version1 = await platform.database.db.selectFrom('survey_version').select(['definition', 'content_hash']).where('survey_slug', '=', 'mini').where('version', '=', 1).executeTakeFirstOrThrow();
  });
  afterAll(() => platform?.close());

  const upload = (route: 'versions' | 'versions/preview', body: string, locale = 'en', slug = 'mini') =>
    platform.app.request(`/api/admin/surveys/${slug}/${route}?fileName=mini-v2.json`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json', 'accept-language': locale }),
      body,
    });
  const versionCount = async () =>
    Number((await platform.database.db.selectFrom('survey_version').select((eb) => eb.fn.countAll().as('n')).where('survey_slug', '=', 'mini').executeTakeFirstOrThrow()).n);

  it('previews the checks and the diff without storing anything', async () => {
    const next = await miniVersion2();
    const res = await upload('versions/preview', JSON.stringify(next));
    expect(res.status).toBe(200);
    const check = (await res.json()) as { publishable: boolean; nextVersion: number; currentVersion: number; diff: VersionDiff };
    expect(check).toMatchObject({ publishable: true, currentVersion: 1, nextVersion: 2 });
    expect(check.diff.added.map((question) => question.name)).toEqual(['children']);
    expect(check.diff.removed.map((question) => question.name)).toEqual(['age']);
    expect(check.diff.changed).toHaveLength(1);
    const satisfaction = check.diff.changed[0]!;
    expect(satisfaction.name).toBe('satisfaction');
    expect(satisfaction.wording).toEqual([{ property: 'title', locales: ['en'] }]);
    expect(satisfaction.choicesAdded).toEqual([{ list: 'choices', value: 'mid' }]);
    expect(satisfaction.choicesRemoved).toEqual([]);
    // The preview calls changed exactly what the codebook will list under changed_in.
    const codebook = questionChanges([{ version: 1, definition: version1.definition }, { version: 2, definition: next.definition }]);
    expect(check.diff.changed.map((question) => question.name)).toEqual([...codebook.keys()]);
    expect(await versionCount()).toBe(1);
  });

  it('refuses a broken file with a localised message and the problems, changing nothing', async () => {
    const notJson = await upload('versions', '{"kind": "resident", ', 'de');
    expect(notJson.status).toBe(422);
    const refused = (await notJson.json()) as { error: { code: string; message: string }; problems: { where: string; message: string }[] };
    expect(refused.error.code).toBe('instrument_invalid');
    expect(refused.error.message).toMatch(/^Die Datei wurde nicht veröffentlicht/);
    expect(refused.problems[0]).toMatchObject({ where: 'file' });
    expect(refused.problems[0]!.message).toMatch(/not valid JSON/);

    const noGerman = await miniVersion2();
    delete noGerman.definition.pages[0].elements[1].title.default;
    const missing = await upload('versions', JSON.stringify(noGerman));
    expect(missing.status).toBe(422);
    const problems = ((await missing.json()) as { problems: { where: string; message: string }[] }).problems;
    expect(problems).toContainEqual(expect.objectContaining({ where: 'question satisfaction', message: expect.stringMatching(/no German text/) }));

    const otherKind = { ...(await miniVersion2()), kind: 'interview' };
    const kind = await upload('versions', JSON.stringify(otherKind));
    expect(kind.status).toBe(422);
    expect(JSON.stringify(await kind.json())).toMatch(/kind is \\"interview\\"/);

    const preview = (await (await upload('versions/preview', JSON.stringify(noGerman))).json()) as { publishable: boolean };
    expect(preview.publishable).toBe(false);
    expect(await versionCount()).toBe(1);
    expect(((await (await platform.app.request('/api/surveys/mini')).json()) as { version: number }).version).toBe(1);
  });

  it('publishes version 2 as current; version 1 and its responses stay as they were', async () => {
    const id = randomUUID();
    const answered = await platform.app.request('/api/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, version: 1, locale: 'de', answers: { satisfaction: 'high', age: 40 } }),
    });
    expect(answered.status).toBe(201);
    const before = await platform.database.db.selectFrom('response').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    const res = await upload('versions', JSON.stringify(await miniVersion2()));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: 'mini', version: 2, isNewVersion: true });
    const served = (await (await platform.app.request('/api/surveys/mini')).json()) as { version: number; definition: Json };
    expect(served.version).toBe(2);
    expect(JSON.stringify(served.definition)).toContain('children');

    const stored = await platform.database.db.selectFrom('survey_version').select(['version', 'definition', 'content_hash', 'source_file']).where('survey_slug', '=', 'mini').orderBy('version').execute();
    expect(stored.map((row) => row.version)).toEqual([1, 2]);
    expect(stored[0]!.definition).toEqual(version1.definition);
    expect(stored[0]!.content_hash).toBe(version1.content_hash);
    expect(stored[1]!.source_file).toBe('upload:mini-v2.json');
    expect(await platform.database.db.selectFrom('response').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toEqual(before);

    const audit = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'action', 'target', 'details']).where('action', '=', 'survey.version_publish').execute();
    expect(audit).toEqual([{ actor_id: admin.user.id, action: 'survey.version_publish', target: 'mini', details: { version: 2, isNewVersion: true, added: 1, removed: 1, changed: 1 } }]);
  });

  it('answers the same file again with 409 and keeps the upload current across a restart', async () => {
    const again = await upload('versions', JSON.stringify(await miniVersion2()), 'de');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/Version 2/);
    // A restart registers surveys/ again: the unchanged mini.json must not undo the upload.
    await registerInstruments(platform.database.db, FIXTURE_SURVEYS_DIR);
    expect(((await (await platform.app.request('/api/surveys/mini')).json()) as { version: number }).version).toBe(2);
    expect(await versionCount()).toBe(2);
  });

  it('says which survey does not exist', async () => {
    const res = await upload('versions/preview', JSON.stringify(await miniVersion2()), 'en', 'nope');
    expect(res.status).toBe(404);
  });
});
