import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula, type CsvDialect } from '../analysis/csv/csv-writer.ts';
import type { Locale } from '../shared/locales.ts';
import type { InstrumentFile } from './instrument-file.ts';
import { applyImportedTable, translatedLocaleOf, translationStrings, type ImportedTable, type TranslationImportPlan } from './translations.ts';

/** The sheet name a CSV file's problems carry (it has no sheets; the admin page shows "CSV 12"). */
export const CSV_SHEET = 'CSV';
const STATUS_COLUMN = 'status';

/**
 * A cell as it goes out: text a spreadsheet would run as a formula gets a leading apostrophe (the
 * exports' `neutraliseFormula`), and so does text that already starts with one, so that reading
 * back strips exactly one apostrophe and every text survives the round trip unchanged.
 */
export const csvCellOut = (text: string): string => (text.startsWith("'") ? `'${text}` : neutraliseFormula(text));
/** The inverse of `csvCellOut`: one apostrophe off exactly when writing the rest would have added it. */
const csvCellIn = (text: string): string => (text.startsWith("'") && csvCellOut(text.slice(1)) === text ? text.slice(1) : text);

/**
 * One locale of one instrument for a native speaker: `key, de, <locale>, status`, one row per text,
 * the locale's status on every row. `excel-de` is semicolon-separated with a byte-order mark (what
 * Excel opens by double-click with every script intact), `rfc4180` comma-separated without.
 */
export function translationCsv(file: Pick<InstrumentFile, 'translationStatus' | 'definition'>, locale: Locale, dialect: CsvDialect): string {
  const status = file.translationStatus[locale] ?? 'draft';
  const records = [
    ['key', 'de', locale, STATUS_COLUMN],
    ...translationStrings(file.definition).map((text) => [text.key, text.byLocale.de ?? '', text.byLocale[locale] ?? '', status].map(csvCellOut)),
  ];
  return stringify(records, { delimiter: dialect === 'excel-de' ? ';' : ',', record_delimiter: 'windows', bom: dialect === 'excel-de' });
}

/** `;` or `,`, whichever the header uses more (a spreadsheet saves with its own list separator). */
function delimiterOf(text: string): ';' | ',' {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/**
 * Reads a CSV file as exported above (UTF-8, with or without BOM, `;` or `,`) into the rows the
 * workbook import checks, so both formats pass exactly the same rules. The locale's status is
 * `reviewed` when every row says so, `draft` when any row says otherwise; a status column left
 * empty throughout leaves the status as it is.
 */
export function readTranslationCsv(current: InstrumentFile, bytes: Uint8Array): ImportedTable {
  const table: ImportedTable = { sheet: CSV_SHEET, rows: [], statuses: [], problems: [] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    table.problems.push({ sheet: CSV_SHEET, row: 0, code: 'csv_unreadable', params: { details: 'not UTF-8 (save it as "CSV UTF-8")' } });
    return table;
  }
  let records: string[][];
  try {
    records = parse(text, { delimiter: delimiterOf(text), bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    table.problems.push({ sheet: CSV_SHEET, row: 0, code: 'csv_unreadable', params: { details: (error as Error).message.slice(0, 200) } });
    return table;
  }
  const header = (records[0] ?? []).map((cell) => cell.trim());
  const locale = translatedLocaleOf(current, header[2] ?? '');
  if (header[0] !== 'key' || header[1] !== 'de' || !locale || (header[3] !== undefined && header[3] !== STATUS_COLUMN) || header.length > 4) {
    table.problems.push({ sheet: CSV_SHEET, row: 1, code: 'translation_column_unknown', params: { column: header.join(', ') } });
    return table;
  }
  const statuses: { row: number; value: string }[] = [];
  records.slice(1).forEach((record, index) => {
    const row = index + 2;
    const key = csvCellIn(record[0] ?? '').trim();
    if (key === '') return;
    table.rows.push({ row, key, german: csvCellIn(record[1] ?? ''), texts: [[locale, csvCellIn(record[2] ?? '')]] });
    statuses.push({ row, value: csvCellIn(record[3] ?? '').trim() });
  });
  const written = statuses.filter((status) => status.value !== '');
  const invalid = written.filter((status) => status.value !== 'draft' && status.value !== 'reviewed');
  if (invalid.length > 0) {
    table.statuses.push(...invalid.map((status) => ({ sheet: CSV_SHEET, row: status.row, locale, value: status.value })));
  } else if (written.length > 0) {
    const reviewed = statuses.every((status) => status.value === 'reviewed');
    table.statuses.push({ sheet: CSV_SHEET, row: written[0]!.row, locale, value: reviewed ? 'reviewed' : 'draft' });
  }
  return table;
}

/** The CSV counterpart of `planTranslationImport`: the same checks, the same all-or-nothing plan. */
export function planTranslationCsvImport(current: InstrumentFile, bytes: Uint8Array): TranslationImportPlan {
  return applyImportedTable(current, readTranslationCsv(current, bytes));
}

/** An XLSX workbook is a ZIP archive; anything else is read as CSV (browsers label .csv files variously). */
export const isWorkbook = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
