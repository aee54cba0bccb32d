import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../shared/locales.ts';
import { codebookRecords, CODEBOOK_COLUMNS } from '../csv/codebook-csv.ts';
import type { CsvValue } from '../csv/csv-writer.ts';
import type { ResponseColumn } from '../csv/response-columns.ts';
import type { NumberedResponseLine } from '../csv/responses-csv.ts';

const NUMBER = /^-?\d+(\.\d+)?$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

type XlsxValue = string | number | Date | null;

/**
 * How one column's cells are typed, decided once per column: numbers and 0/1 indicators as
 * numbers, the day as a date, a choice code as a number only when every code of the question is a
 * number (a rating's 1–5), otherwise as text — `75+`, `0123` and `1,5` stay what they are, which no
 * CSV can promise once a spreadsheet opens it.
 */
function cellTyper(column: ResponseColumn, labels: Locale | null): (text: string) => XlsxValue {
  const numeric = (text: string): XlsxValue => (NUMBER.test(text) ? Number(text) : text);
  switch (column.type) {
    case 'number':
    case 'option':
    case 'target_group':
      return numeric;
    case 'single':
    case 'matrix_row': {
      const numericCodes = labels === null && column.choices.length > 0 && column.choices.every((choice) => NUMBER.test(choice.code));
      return numericCodes ? numeric : (text) => text;
    }
    case 'metadata':
      if (column.name === 'row' || column.name === 'version') return numeric;
      if (column.name === 'submitted_on') {
        return (text) => {
          const day = DAY.exec(text);
          return day ? new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))) : text;
        };
      }
      return (text) => text;
    default:
      return (text) => text;
  }
}

/**
 * responses.csv as an XLSX workbook with typed cells: sheet `responses` (a header of the stable
 * column names, one row per response) and sheet `codebook` (the codebook in the requester's
 * language). Streamed with exceljs's workbook writer, a page of rows at a time.
 */
export function responsesXlsx(
  columns: readonly ResponseColumn[],
  pages: AsyncIterable<NumberedResponseLine[]>,
  options: { labels: Locale | null; locale: Locale; changedIn: ReadonlyMap<string, number[]> },
): ReadableStream<Uint8Array> {
  const output = new PassThrough();
  const typers = columns.map((column) => cellTyper(column, options.labels));
  const dateColumns = columns.flatMap((column, index) => (column.name === 'submitted_on' ? [index + 1] : []));
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('responses', { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = sheet.addRow(columns.map((column) => column.name));
    header.font = { bold: true };
    header.commit();
    for await (const page of pages) {
      for (const line of page) {
        const cells = line.cells ?? [];
        // The row number comes from the paging, the other cells from the database.
        const values: XlsxValue[] = [line.row, ...cells.map((text, index) => (text === '' ? null : typers[index + 1]!(text)))];
        const row = sheet.addRow(values);
        for (const column of dateColumns) row.getCell(column).numFmt = 'yyyy-mm-dd';
        row.commit();
      }
    }
    sheet.commit();
    const codebook = workbook.addWorksheet('codebook');
    codebook.addRow([...CODEBOOK_COLUMNS]).commit();
    for (const record of codebookRecords(columns, options.locale, options.changedIn)) {
      codebook.addRow(record.map((value: CsvValue) => value ?? null)).commit();
    }
    codebook.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(output) as unknown as ReadableStream<Uint8Array>;
}

export function xlsxHeaders(fileName: string): Record<string, string> {
  return {
    'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'content-disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
}
