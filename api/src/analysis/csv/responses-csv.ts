import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../../i18n/locales.ts';
import { rawResponsePage } from '../repository.ts';
import type { CsvValue } from './csv-writer.ts';
import type { ResponseColumn } from './response-columns.ts';

/** Rows of responses.csv, a page at a time from the database (flat memory on both databases). */
export async function* responseRecords(
  db: Kysely<Database>,
  slug: string,
  columns: readonly ResponseColumn[],
  labels: Locale | null,
  pageSize = 2000,
): AsyncGenerator<CsvValue[][]> {
  let afterId: string | null = null;
  let rowNumber = 0;
  for (;;) {
    const page = await rawResponsePage(db, slug, afterId, pageSize);
    if (page.length === 0) return;
    yield page.map((row) => {
      rowNumber += 1;
      return columns.map((column) => (column.name === 'row' ? rowNumber : column.value(row, labels)));
    });
    if (page.length < pageSize) return;
    afterId = page.at(-1)!.id;
  }
}
