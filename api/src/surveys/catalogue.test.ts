import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { FIXTURE_SURVEYS_DIR } from '../../../tests/support/test-platform.ts';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { registerInstruments } from './catalogue.ts';

describe('survey catalogue', () => {
  let database: DatabaseHandle;
  let dir: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrateToLatest(database.db);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-surveys-'));
    await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), path.join(dir, 'mini.json'));
  });
  afterAll(async () => {
    await database?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const versionRows = () =>
    sql<Record<string, unknown>>`select survey_slug, version, definition::text as definition, locales::text as locales,
      translation_status::text as translation_status, content_hash, source_file, created_at::text as created_at
      from survey_version order by survey_slug, version`.execute(database.db).then((r) => r.rows);

  it('registers a new file as version 1, and an unchanged file again as nothing new', async () => {
    const first = await registerInstruments(database.db, dir);
    expect(first.registered).toEqual([{ slug: 'mini', version: 1, isNewVersion: true }]);
    const again = await registerInstruments(database.db, dir);
    expect(again.registered).toEqual([{ slug: 'mini', version: 1, isNewVersion: false }]);
    expect(await versionRows()).toHaveLength(1);
  });

  it('makes a changed file version 2 and leaves version 1 exactly as it was', async () => {
    const before = await versionRows();
    const file = JSON.parse(await fs.readFile(path.join(dir, 'mini.json'), 'utf8'));
    file.definition.title.default = 'Kurzbefragung 2027';
    await fs.writeFile(path.join(dir, 'mini.json'), JSON.stringify(file, null, 2));

    const report = await registerInstruments(database.db, dir);
    expect(report.registered).toEqual([{ slug: 'mini', version: 2, isNewVersion: true }]);
    const after = await versionRows();
    expect(after).toHaveLength(2);
    expect(after[0]).toEqual(before[0]);
    const survey = await database.db.selectFrom('survey').selectAll().where('slug', '=', 'mini').executeTakeFirstOrThrow();
    expect(survey.current_version).toBe(2);
  });

  it('refuses to change a stored version, even with SQL', async () => {
    await expect(
      sql`update survey_version set definition = '{}'::jsonb where survey_slug = 'mini' and version = 1`.execute(database.db),
    ).rejects.toThrow(/immutable/);
    await expect(sql`delete from survey_version where survey_slug = 'mini'`.execute(database.db)).rejects.toThrow(/immutable/);
  });

  it('refuses a broken file with a message naming it, and still registers the others', async () => {
    await fs.writeFile(path.join(dir, 'broken.json'), '{"kind": "resident", "locales": ["de"],');
    const unnamed = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8'));
    delete unnamed.definition.pages[0].elements[1].name;
    await fs.writeFile(path.join(dir, 'unnamed.json'), JSON.stringify(unnamed));
    const log: string[] = [];

    const report = await registerInstruments(database.db, dir, (line) => log.push(line));

    expect(report.registered.map((r) => r.slug)).toEqual(['mini']);
    expect(report.refused.map((r) => r.file).sort()).toEqual(['broken.json', 'unnamed.json']);
    expect(log.join('\n')).toMatch(/surveys\/broken\.json refused: file: is not valid JSON/);
    expect(log.join('\n')).toMatch(/surveys\/unnamed\.json refused: .*has no "name"/);
  });

  it('refuses a file whose German text is missing', async () => {
    const noGerman = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8'));
    delete noGerman.definition.pages[0].elements[1].title.default;
    await fs.writeFile(path.join(dir, 'no-german.json'), JSON.stringify(noGerman));
    const report = await registerInstruments(database.db, dir);
    const refused = report.refused.find((r) => r.file === 'no-german.json');
    expect(refused?.problems[0]).toMatchObject({ where: 'question satisfaction', message: 'title has no German text ("default")' });
  });
});
