import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../../i18n/locales.ts';
import { rawResponsePage, type RawResponseRow } from '../repository.ts';
import type { CsvValue } from './csv-writer.ts';
import type { ResponseColumn } from './response-columns.ts';

/**
 * Rows of responses.csv, a page at a time from the database (flat memory on both databases). The
 * next page is already being fetched while this one is formatted and sent.
 */
export async function* responseRecords(
  db: Kysely<Database>,
  slug: string,
  columns: readonly ResponseColumn[],
  labels: Locale | null,
  pageSize = 500,
): AsyncGenerator<CsvValue[][]> {
  let rowNumber = 0;
  const rowColumn = columns.findIndex((column) => column.name === 'row');
  let next: Promise<RawResponseRow[]> | null = rawResponsePage(db, slug, null, pageSize);
  while (next) {
    const page: RawResponseRow[] = await next;
    next = page.length === pageSize ? rawResponsePage(db, slug, page.at(-1)!.id, pageSize) : null;
    const records = new Array<CsvValue[]>(page.length);
    for (let r = 0; r < page.length; r += 1) {
      const row = page[r]!;
      const record = new Array<CsvValue>(columns.length);
      for (let c = 0; c < columns.length; c += 1) record[c] = columns[c]!.value(row, labels);
      rowNumber += 1;
      if (rowColumn >= 0) record[rowColumn] = rowNumber;
      records[r] = record;
    }
    yield records;
  }
}
