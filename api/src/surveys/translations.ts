import ExcelJS from 'exceljs';
import { SUPPORTED_LOCALES, surveyTextKey, type Locale } from '../shared/locales.ts';
import type { LocaleStatus } from '../shared/surveys-admin.ts';
import { allTextMaps, allTexts } from './content-rules/texts.ts';
import type { InstrumentFile } from './instrument-file.ts';

type Json = Record<string, unknown>;

/** One translatable text of an instrument: a stable key, and its text per locale. */
export interface TranslationString {
  /** `question satisfaction/choices[high].text`: where the text sits, as content editors read it. */
  key: string;
  byLocale: Partial<Record<Locale, string>>;
}

/** A recorded marking, as `repository.listTranslationMarks` reads it. */
export interface TranslationMarkInput {
  locale: string;
  status: string;
  markedAt: Date;
  markedBy: { email: string; displayName: string | null } | null;
}

/** Every localised text of a definition in document order, keyed as `allTexts` locates it. */
export function translationStrings(definition: Json): TranslationString[] {
  return allTexts(definition).map((text) => ({ key: keyOf(text.where, text.property), byLocale: text.byLocale }));
}

const keyOf = (where: string, property: string) => `${where}/${property}`;

/** Completeness and status of each of the instrument's locales other than German (the source). */
export function translationStatusOf(file: Pick<InstrumentFile, 'locales' | 'translationStatus' | 'definition'>, marks: TranslationMarkInput[] = []): LocaleStatus[] {
  const strings = translationStrings(file.definition);
  return file.locales
    .filter((locale) => locale !== 'de')
    .map((locale) => {
      const missing = strings.filter((text) => !(text.byLocale[locale] ?? '').trim()).map((text) => text.key);
      const status = file.translationStatus[locale] ?? 'draft';
      // A record of another status belongs to an earlier marking, not to the one in force.
      const mark = marks.find((candidate) => candidate.locale === locale && candidate.status === status);
      return {
        locale,
        status,
        translated: strings.length - missing.length,
        total: strings.length,
        missing,
        marked: mark ? { at: mark.markedAt.toISOString(), by: mark.markedBy } : null,
      };
    });
}

/** `{district}`, `{panel.age}`, `{{count}}`: SurveyJS text piping and placeholders, which a translation must keep. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{[^{}]+\}/g)].map((match) => match[0]))].sort();
}

const STRINGS_SHEET = 'translations';
const STATUS_SHEET = 'status';
const FIXED_COLUMNS = ['key', 'de'] as const;

/**
 * The workbook a native speaker fills in: one row per text (key, German, one column per locale)
 * and a sheet with each locale's status, where a reviewer writes `reviewed`. Texts go in as string
 * cells, which spreadsheet programs never evaluate as formulas, so they come back unchanged.
 */
export async function translationWorkbook(file: Pick<InstrumentFile, 'locales' | 'translationStatus' | 'definition'>, only: Locale[] | null): Promise<Buffer> {
  const locales = file.locales.filter((locale) => locale !== 'de' && (!only || only.includes(locale)));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(STRINGS_SHEET);
  sheet.addRow([...FIXED_COLUMNS, ...locales]);
  for (const text of translationStrings(file.definition)) {
    sheet.addRow([text.key, text.byLocale.de ?? '', ...locales.map((locale) => text.byLocale[locale] ?? '')]);
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  sheet.columns.forEach((column, index) => {
    column.width = index === 0 ? 40 : 50;
    column.alignment = { wrapText: true, vertical: 'top' };
  });
  const status = workbook.addWorksheet(STATUS_SHEET);
  status.addRow(['locale', 'status']);
  for (const locale of locales) status.addRow([locale, file.translationStatus[locale] ?? 'draft']);
  status.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A problem with an imported workbook: its sheet and row (1-based; 0 for the whole file). */
export interface TranslationImportProblem {
  sheet: string;
  row: number;
  code:
    | 'translation_workbook_unreadable'
    | 'csv_unreadable'
    | 'translation_column_unknown'
    | 'translation_key_unknown'
    | 'translation_source_changed'
    | 'translation_placeholders'
    | 'translation_status_invalid';
  params: Record<string, string | number>;
}

export interface TranslationImportPlan {
  problems: TranslationImportProblem[];
  /** The instrument file with the imported texts and statuses; null when there are problems. */
  file: InstrumentFile | null;
  /** Texts that differ from the current version, per locale. */
  changedTexts: number;
}

const cellText = (cell: ExcelJS.Cell): string => {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  return cell.text;
};

/** One text row of an imported sheet or CSV file, before it is checked. */
export interface ImportedRow {
  /** The line or row number the reviewer sees (1 is the header). */
  row: number;
  key: string;
  german: string;
  texts: [Locale, string][];
}

/** A locale's status as a reviewer wrote it, and where. */
export interface ImportedStatus {
  sheet: string;
  row: number;
  locale: string;
  value: string;
}

/** What a workbook or a CSV file says, format aside: its rows, statuses and reading problems. */
export interface ImportedTable {
  sheet: string;
  rows: ImportedRow[];
  statuses: ImportedStatus[];
  problems: TranslationImportProblem[];
}

/**
 * Reads a filled-in workbook against the current version: every key must be one of its texts, every
 * column a locale it declares, the German column as exported (a changed German text means the sheet
 * was made for another version), and each translation must keep the German text's placeholders. An
 * empty cell leaves the text as it is. All or nothing: any problem and `file` is null.
 */
export async function planTranslationImport(current: InstrumentFile, bytes: Uint8Array): Promise<TranslationImportPlan> {
  return applyImportedTable(current, await readWorkbookTable(current, bytes));
}

/** The rows and statuses of a workbook, with the problems of its header. */
async function readWorkbookTable(current: InstrumentFile, bytes: Uint8Array): Promise<ImportedTable> {
  const table: ImportedTable = { sheet: STRINGS_SHEET, rows: [], statuses: [], problems: [] };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    table.problems.push({ sheet: '', row: 0, code: 'translation_workbook_unreadable', params: { details: (error as Error).message.slice(0, 200) } });
    return table;
  }
  const sheet = workbook.getWorksheet(STRINGS_SHEET);
  if (!sheet) {
    table.problems.push({ sheet: STRINGS_SHEET, row: 0, code: 'translation_workbook_unreadable', params: { details: `no sheet "${STRINGS_SHEET}"` } });
    return table;
  }
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map((value) => String(value ?? '').trim());
  if (header[0] !== 'key' || header[1] !== 'de') {
    table.problems.push({ sheet: STRINGS_SHEET, row: 1, code: 'translation_column_unknown', params: { column: header.slice(0, 2).join(', ') } });
  }
  const columns = new Map<number, Locale>();
  header.slice(2).forEach((name, index) => {
    if (name === '') return;
    const locale = translatedLocaleOf(current, name);
    if (!locale) table.problems.push({ sheet: STRINGS_SHEET, row: 1, code: 'translation_column_unknown', params: { column: name } });
    else columns.set(index + 3, locale);
  });
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const key = cellText(row.getCell(1)).trim();
    if (key === '') return;
    table.rows.push({ row: rowNumber, key, german: cellText(row.getCell(2)), texts: [...columns].map(([column, locale]) => [locale, cellText(row.getCell(column))]) });
  });
  workbook.getWorksheet(STATUS_SHEET)?.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const locale = cellText(row.getCell(1)).trim();
    if (locale !== '') table.statuses.push({ sheet: STATUS_SHEET, row: rowNumber, locale, value: cellText(row.getCell(2)).trim() });
  });
  return table;
}

/** `name` as one of the instrument's locales other than German (the source), or null. */
export function translatedLocaleOf(current: Pick<InstrumentFile, 'locales'>, name: string): Locale | null {
  const locale = SUPPORTED_LOCALES.find((candidate) => candidate === name);
  return locale && locale !== 'de' && current.locales.includes(locale) ? locale : null;
}

/**
 * Checks imported rows against the current version and writes them into a copy of it: the same
 * rules whatever the file's format. All or nothing: any problem and `file` is null.
 */
export function applyImportedTable(current: InstrumentFile, table: ImportedTable): TranslationImportPlan {
  const problems = [...table.problems];
  const definition = structuredClone(current.definition);
  const targets = new Map(textMapsOf(definition).map((target) => [target.key, target.map]));
  let changedTexts = 0;
  for (const { row, key, german: givenGerman, texts } of table.rows) {
    const map = targets.get(key);
    if (!map) {
      problems.push({ sheet: table.sheet, row, code: 'translation_key_unknown', params: { key } });
      continue;
    }
    const german = map[surveyTextKey('de')] ?? map.de ?? '';
    if (givenGerman !== german) {
      problems.push({ sheet: table.sheet, row, code: 'translation_source_changed', params: { key } });
      continue;
    }
    const expected = placeholdersOf(german);
    for (const [locale, text] of texts) {
      if (text.trim() === '') continue;
      const found = placeholdersOf(text);
      if (found.join(' ') !== expected.join(' ')) {
        problems.push({ sheet: table.sheet, row, code: 'translation_placeholders', params: { key, locale, expected: expected.join(' ') || '–', found: found.join(' ') || '–' } });
        continue;
      }
      const textKey = surveyTextKey(locale);
      if (map[textKey] !== text) {
        map[textKey] = text;
        changedTexts += 1;
      }
    }
  }

  const translationStatus = { ...current.translationStatus };
  for (const { sheet, row, locale, value } of table.statuses) {
    const known = translatedLocaleOf(current, locale);
    if (!known) problems.push({ sheet, row, code: 'translation_column_unknown', params: { column: locale } });
    else if (value !== 'draft' && value !== 'reviewed') problems.push({ sheet, row, code: 'translation_status_invalid', params: { value } });
    else translationStatus[known] = value;
  }
  if (problems.length > 0) return { problems, file: null, changedTexts: 0 };
  return { problems, file: { ...current, definition, translationStatus }, changedTexts };
}

/** The localised text objects of a definition, keyed as `translationStrings` keys them, so an import writes into the object it read from. */
function textMapsOf(definition: Json): { key: string; map: Record<string, string> }[] {
  return allTextMaps(definition).map((text) => ({ key: keyOf(text.where, text.property), map: text.map }));
}
