import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';

type Json = Record<string, any>;

/** A CSV file as a reviewer's spreadsheet saves it: records joined by `delimiter`, CRLF, optional BOM. */
function csvFile(records: string[][], { delimiter = ';', bom = true } = {}): Uint8Array<ArrayBuffer> {
  const quote = (cell: string) => (/[";,\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const text = records.map((record) => record.map(quote).join(delimiter)).join('\r\n') + '\r\n';
  return new TextEncoder().encode((bom ? '\uFEFF' : '') + text) as Uint8Array<ArrayBuffer>;
}

describe('translation review by CSV: one locale out, and back in after the workbook checks', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  /** The Arabic CSV as exported (excel-de), parsed into records. */
  let arabic: string[][];

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
    // Version 2 of mini: no Arabic title for "age", and an English title a spreadsheet would run.
    const file = JSON.parse(await fs.readFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), 'utf8')) as Json;
    delete file.definition.pages[0].elements[2].title.ar;
    file.definition.pages[0].elements[0].title.en = '=HYPERLINK("http://example.org","District")';
    // Texts that start like a formula or with the apostrophe the neutralisation adds.
    file.definition.pages[0].elements[1].title.en = "'How satisfied' are you?";
    file.definition.pages[0].elements[2].title.en = '-5 or more years?';
    const res = await platform.app.request('/api/admin/surveys/mini/versions', { method: 'POST', headers: admin.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify(file) });
    expect(res.status).toBe(201);
  });
  afterAll(() => platform?.close());

  const exportCsv = (query: string) => platform.app.request(`/api/admin/surveys/mini/translations.csv?${query}`, { headers: admin.headers() });
  const importCsv = (route: 'translations' | 'translations/preview', body: Uint8Array<ArrayBuffer>, locale = 'en') =>
    platform.app.request(`/api/admin/surveys/mini/${route}?fileName=mini-ar.csv`, {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'text/csv', 'accept-language': locale }),
      body,
    });
  const currentVersion = async () => ((await (await platform.app.request('/api/surveys/mini')).json()) as { version: number }).version;
  const versionCount = async () =>
    Number((await platform.database.db.selectFrom('survey_version').select((eb) => eb.fn.countAll().as('n')).where('survey_slug', '=', 'mini').executeTakeFirstOrThrow()).n);

  it('exports key, German, the translation and the status, one row per text, formulas neutralised; the export is audited', async () => {
    const res = await exportCsv('locale=ar&dialect=excel-de');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('mini-v2-ar-translations.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // Excel needs the byte-order mark to read Arabic as UTF-8 (Response.text() would drop it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    arabic = parse(new TextDecoder().decode(bytes), { delimiter: ';', bom: true }) as string[][];
    expect(arabic[0]).toEqual(['key', 'de', 'ar', 'status']);
    expect(arabic).toHaveLength(7);
    expect(arabic.find((row) => row[0] === 'question satisfaction/choices[high].text')).toEqual(['question satisfaction/choices[high].text', 'Sehr', 'جدا', 'draft']);
    expect(arabic.find((row) => row[0] === 'question age/title')).toEqual(['question age/title', 'Alter', '', 'draft']);

    const english = parse(await (await exportCsv('locale=en')).text(), { delimiter: ',' }) as string[][];
    expect(english[0]).toEqual(['key', 'de', 'en', 'status']);
    expect(english.find((row) => row[0] === 'question district/title')![2]).toBe(`'=HYPERLINK("http://example.org","District")`);
    expect(english.find((row) => row[0] === 'question satisfaction/title')![2]).toBe("''How satisfied' are you?");
    expect(english.find((row) => row[0] === 'question age/title')![2]).toBe("'-5 or more years?");

    for (const bad of ['', 'locale=de', 'locale=tr', 'locale=xx']) expect((await exportCsv(bad)).status, bad).toBe(400);
    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'target', 'details']).where('action', '=', 'export.translations_csv').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'export.translations_csv', target: 'mini', details: { version: 2, locale: 'ar', dialect: 'excel-de' } },
      { action: 'export.translations_csv', target: 'mini', details: { version: 2, locale: 'en', dialect: 'rfc4180' } },
    ]);
  });

  it('reads its own export back unchanged: neutralised cells return as they were', async () => {
    const english = new Uint8Array(await (await exportCsv('locale=en')).arrayBuffer()) as Uint8Array<ArrayBuffer>;
    const preview = (await (await importCsv('translations/preview', english)).json()) as { problems: unknown[]; changedTexts: number; check: { sameAsVersion: number; currentVersion: number } };
    expect(preview.problems).toEqual([]);
    expect(preview.changedTexts).toBe(0);
    expect(preview.check.sameAsVersion).toBe(preview.check.currentVersion);
  });

  it('refuses unknown keys, broken placeholders, a stale German text and an unknown status by line; nothing changes', async () => {
    const broken = arabic.map((row) => [...row]);
    broken.push(['question nope/title', 'Nein', 'لا', 'draft']);
    broken.find((row) => row[0] === 'question age/title')![2] = '{age} العمر';
    broken.find((row) => row[0] === 'question district/title')![1] = 'Stadtteil';
    broken.find((row) => row[0] === 'survey/title')![3] = 'fertig';
    const body = csvFile(broken);
    const preview = (await (await importCsv('translations/preview', body)).json()) as { problems: { sheet: string; row: number; code: string }[] };
    expect(preview.problems.map((problem) => problem.code).sort()).toEqual(['translation_key_unknown', 'translation_placeholders', 'translation_source_changed', 'translation_status_invalid']);
    const res = await importCsv('translations', body, 'de');
    expect(res.status).toBe(422);
    const refused = (await res.json()) as { error: { code: string; message: string }; problems: { sheet: string; row: number; code: string; message: string }[] };
    expect(refused.error.code).toBe('translation_import_invalid');
    expect(refused.problems.find((problem) => problem.code === 'translation_key_unknown')).toMatchObject({ sheet: 'CSV', row: 8, message: 'Den Schlüssel „question nope/title“ gibt es in der aktuellen Version nicht.' });
    const ageRow = broken.findIndex((row) => row[0] === 'question age/title') + 1;
    expect(refused.problems.find((problem) => problem.code === 'translation_placeholders')).toMatchObject({ row: ageRow });
    expect(await currentVersion()).toBe(2);
    expect(await versionCount()).toBe(2);
  });

  it('refuses a file that is not UTF-8 and a header naming another locale; nothing changes', async () => {
    const latin1 = Uint8Array.from([...'key;de;ar;status\r\nsurvey/title;Kurzbefragung;x;draft\r\nx;Gr'].map((c) => c.charCodeAt(0)).concat([0xfc, 0xdf, 0x65])) as Uint8Array<ArrayBuffer>;
    const notUtf8 = (await (await importCsv('translations', latin1)).json()) as { problems: { code: string; row: number }[] };
    expect(notUtf8.problems).toEqual([expect.objectContaining({ code: 'csv_unreadable', row: 0 })]);
    const otherLocale = csvFile([['key', 'de', 'tr', 'status'], ['survey/title', 'Kurzbefragung', 'Kısa anket', 'draft']]);
    const wrongHeader = await importCsv('translations', otherLocale);
    expect(wrongHeader.status).toBe(422);
    expect(((await wrongHeader.json()) as { problems: { code: string; row: number }[] }).problems).toEqual([expect.objectContaining({ code: 'translation_column_unknown', row: 1 })]);
    expect(await versionCount()).toBe(2);
  });

  it('imports the filled-in file (comma, no BOM) as a new version: the missing text and "reviewed" on every row arrive', async () => {
    const filled = arabic.map((row, index) => (index === 0 ? row : [row[0]!, row[1]!, row[0] === 'question age/title' ? 'العمر' : row[2]!, 'reviewed']));
    const body = csvFile(filled, { delimiter: ',', bom: false });
    const preview = (await (await importCsv('translations/preview', body)).json()) as { changedTexts: number; check: { publishable: boolean; nextVersion: number } };
    expect(preview).toMatchObject({ changedTexts: 1, check: { publishable: true, nextVersion: 3 } });
    expect(await currentVersion()).toBe(2);

    const res = await importCsv('translations', body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: 3, changedTexts: 1 });
    const served = (await (await platform.app.request('/api/surveys/mini')).json()) as { definition: Json };
    expect(served.definition.pages[0].elements[2].title.ar).toBe('العمر');
    const status = (await (await platform.app.request('/api/admin/surveys/mini/translations', { headers: admin.headers() })).json()) as { locales: { locale: string; status: string; missing: string[] }[] };
    expect(status.locales.find((entry) => entry.locale === 'ar')).toMatchObject({ status: 'reviewed', missing: [] });
    const version = await platform.database.db.selectFrom('survey_version').select('source_file').where('survey_slug', '=', 'mini').where('version', '=', 3).executeTakeFirstOrThrow();
    expect(version.source_file).toBe('upload:mini-ar.csv');
  });

  it('sets draft again when any row says draft (a review is of the whole locale)', async () => {
    const rows = parse(new TextDecoder().decode(await (await exportCsv('locale=ar&dialect=excel-de')).arrayBuffer()), { delimiter: ';', bom: true }) as string[][];
    expect(rows.slice(1).every((row) => row[3] === 'reviewed')).toBe(true);
    rows[2]![3] = 'draft';
    const res = await importCsv('translations', csvFile(rows));
    expect(res.status).toBe(201);
    const status = (await (await platform.app.request('/api/admin/surveys/mini/translations', { headers: admin.headers() })).json()) as { locales: { locale: string; status: string }[] };
    expect(status.locales.find((entry) => entry.locale === 'ar')!.status).toBe('draft');
  });
});
