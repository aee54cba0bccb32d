import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, REAL_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { listInstrumentFiles } from './catalogue.ts';
import { allTexts } from './content-rules/texts.ts';
import { translationStrings } from './translations.ts';

type Json = Record<string, any>;

async function workbookRows(bytes: ArrayBuffer, sheetName: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const rows: string[][] = [];
  workbook.getWorksheet(sheetName)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ''))));
  return rows;
}

/** A workbook as a translator sends it back: the exported one with some cells edited. */
async function edited(bytes: ArrayBuffer, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const rowOf = (sheet: ExcelJS.Worksheet, key: string) => {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (row.getCell(1).text === key) found = row;
  });
  return found!;
};

describe('translation review: status, workbook export and import', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let exported: ArrayBuffer;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
    // Version 2 of mini lacks the Arabic title of "age": one text missing in one locale.
    const file = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8')) as Json;
    delete file.definition.pages[0].elements[2].title.ar;
    const res = await platform.app.request('/api/admin/surveys/mini/versions', { method: 'POST', headers: admin.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify(file) });
    expect(res.status).toBe(201);
  });
  afterAll(() => platform?.close());

  const importWorkbook = (route: 'translations' | 'translations/preview', body: BodyInit, locale = 'en') =>
    platform.app.request(`/api/admin/surveys/mini/${route}`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'accept-language': locale }),
      body,
    });
  const currentVersion = async () => ((await (await platform.app.request('/api/surveys/mini')).json()) as { version: number }).version;

  it('keys every text of the real instruments uniquely, the same texts the content rules read', async () => {
    for (const file of await listInstrumentFiles(REAL_SURVEYS_DIR)) {
      const definition = (JSON.parse(await fs.readFile(file, 'utf8')) as Json).definition;
      const keys = translationStrings(definition).map((text) => text.key);
      expect(new Set(keys).size, path.basename(file)).toBe(keys.length);
      expect(keys.length).toBe(allTexts(definition).length);
    }
  });

  it('shows per locale how many texts are translated, which are missing, and the status', async () => {
    const res = await platform.app.request('/api/admin/surveys/mini/translations', { headers: admin.headers() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: number; locales: { locale: string; status: string; translated: number; total: number; missing: string[] }[] };
    expect(body.version).toBe(2);
    // mini.json: the survey title, three question titles and two choices.
    expect(body.locales).toEqual([
      { locale: 'en', status: 'draft', translated: 6, total: 6, missing: [], marked: { at: expect.any(String), by: null } },
      { locale: 'ar', status: 'draft', translated: 5, total: 6, missing: ['question age/title'], marked: { at: expect.any(String), by: null } },
    ]);
  });

  it('exports one row per text with German and a column per locale, and records the export', async () => {
    const res = await platform.app.request('/api/admin/surveys/mini/translations.xlsx', { headers: admin.headers() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('mini-v2-translations.xlsx');
    exported = await res.arrayBuffer();
    const rows = await workbookRows(exported, 'translations');
    expect(rows[0]).toEqual(['key', 'de', 'en', 'ar']);
    expect(rows).toHaveLength(7);
    expect(rows.find((row) => row[0] === 'question satisfaction/choices[high].text')).toEqual(['question satisfaction/choices[high].text', 'Sehr', 'Very', 'جدا']);
    expect(rows.find((row) => row[0] === 'question age/title')).toEqual(['question age/title', 'Alter', 'Age', '']);
    expect(await workbookRows(exported, 'status')).toEqual([['locale', 'status'], ['en', 'draft'], ['ar', 'draft']]);
    const onlyArabic = await workbookRows(await (await platform.app.request('/api/admin/surveys/mini/translations.xlsx?locale=ar', { headers: admin.headers() })).arrayBuffer(), 'translations');
    expect(onlyArabic[0]).toEqual(['key', 'de', 'ar']);
    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'export.translations_xlsx').execute();
    expect(audit).toEqual([{ action: 'export.translations_xlsx', target: 'mini' }, { action: 'export.translations_xlsx', target: 'mini' }]);
  });

  it('refuses unknown keys, unknown locales, broken placeholders and a stale German text, naming the row; nothing changes', async () => {
    const broken = await edited(exported, (workbook) => {
      const sheet = workbook.getWorksheet('translations')!;
      sheet.addRow(['question nope/title', 'Nein', 'No', '']);
      rowOf(sheet, 'question age/title').getCell(4).value = '{age} العمر';
      rowOf(sheet, 'question district/title').getCell(2).value = 'Stadtteil';
      sheet.getRow(1).getCell(5).value = 'xx';
    });
    const preview = (await (await importWorkbook('translations/preview', broken)).json()) as { problems: { row: number; code: string }[] };
    expect(preview.problems.map((problem) => problem.code).sort()).toEqual(['translation_column_unknown', 'translation_key_unknown', 'translation_placeholders', 'translation_source_changed']);
    const res = await importWorkbook('translations', broken, 'de');
    expect(res.status).toBe(422);
    const refused = (await res.json()) as { error: { code: string; message: string }; problems: { row: number; code: string; message: string }[] };
    expect(refused.error.message).toMatch(/^Die Übersetzungstabelle wurde nicht übernommen \(4 Fehler\)/);
    expect(refused.problems.find((problem) => problem.code === 'translation_key_unknown')).toMatchObject({ row: 8, message: 'Den Schlüssel „question nope/title“ gibt es in der aktuellen Version nicht.' });
    expect(refused.problems.find((problem) => problem.code === 'translation_placeholders')!.message).toContain('{age}');

    // A ZIP archive that is no workbook (anything not a ZIP is read as CSV: translation-csv.test.ts).
    const notAWorkbook = await importWorkbook('translations', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]));
    expect(notAWorkbook.status).toBe(422);
    expect(((await notAWorkbook.json()) as { problems: { code: string }[] }).problems[0]!.code).toBe('translation_workbook_unreadable');
    expect(await currentVersion()).toBe(2);
  });

  it('imports the filled-in workbook as a new version: the missing text and the reviewed status arrive', async () => {
    const filled = await edited(exported, (workbook) => {
      rowOf(workbook.getWorksheet('translations')!, 'question age/title').getCell(4).value = 'العمر';
      rowOf(workbook.getWorksheet('status')!, 'ar').getCell(2).value = 'reviewed';
    });
    const preview = (await (await importWorkbook('translations/preview', filled)).json()) as { changedTexts: number; check: { publishable: boolean; nextVersion: number; diff: { changed: { name: string; wording: unknown[] }[] } } };
    expect(preview.changedTexts).toBe(1);
    expect(preview.check).toMatchObject({ publishable: true, nextVersion: 3 });
    expect(preview.check.diff.changed).toEqual([expect.objectContaining({ name: 'age', wording: [{ property: 'title', locales: ['ar'] }] })]);
    expect(await currentVersion()).toBe(2);

    const res = await importWorkbook('translations', filled);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: 3, changedTexts: 1 });
    const served = (await (await platform.app.request('/api/surveys/mini')).json()) as { version: number; definition: Json };
    expect(served.definition.pages[0].elements[2].title.ar).toBe('العمر');
    const status = (await (await platform.app.request('/api/admin/surveys/mini/translations', { headers: admin.headers() })).json()) as { locales: { locale: string; status: string; missing: string[] }[] };
    expect(status.locales.find((entry) => entry.locale === 'ar')).toMatchObject({ status: 'reviewed', missing: [] });
    const audit = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'survey.translations_import').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_id: admin.user.id, details: { version: 3, changedTexts: 1 } });
  });
});
