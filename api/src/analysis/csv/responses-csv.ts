import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../../shared/locales.ts';
import type { CsvDialect } from './csv-writer.ts';
import type { CellDialect } from './response-lines.ts';
import type { ResponseColumn } from './response-columns.ts';
import { responseLinePage, type ResponseLine } from './response-lines.ts';

/**
 * On PostgreSQL the id space is read in two halves at once: PostgreSQL runs one query on one core,
 * and building the lines is the database's work. Ids are random, so alternating pages of the two
 * halves is an order as meaningless as id order (the row number is given on the way out).
 */
const ID_HALVES: [string | null, string | null][] = [
  [null, '80000000-0000-0000-0000-000000000000'],
  ['80000000-0000-0000-0000-000000000000', null],
];
const WHOLE_ID_SPACE: [string | null, string | null][] = [[null, null]];

/**
 * How the per-response exports page. PGlite runs one statement at a time for everyone: there the
 * export reads one small page at a time, so a resident's submission or a tablet's sync waits for
 * at most one page (~70 ms for the baseline) per statement instead of queueing behind the export.
 * responses.csv and weights.csv must page alike: the row number that joins them depends on it.
 */
export interface ResponsePaging {
  rows: number;
  parallelHalves: boolean;
}
export const RESPONSE_PAGING: Record<DatabaseKind, ResponsePaging> = {
  postgres: { rows: 1000, parallelHalves: true },
  pglite: { rows: 200, parallelHalves: false },
};

/**
 * Text is handed on in pieces of about this many characters, not a page (~0.5 MB) at a time: a
 * string that large lands in V8's large-object space, which only a full collection frees, and the
 * process's memory grew by hundreds of megabytes before one ran. Pieces this small die young.
 */
const PIECE_CHARS = 16 * 1024;

/** One response's line of responses.csv with its row number (and its id, which never leaves the server). */
export interface NumberedResponseLine {
  row: number;
  id: string;
  line: string;
  /** With dialect `cells`: each cell's plain text. */
  cells?: string[];
}

/**
 * The responses of a survey in the order of responses.csv, numbered as there: the row number is
 * the pseudonymous key of a response in every per-response export (weights.csv uses it too), so it
 * is given here, once. Yields a page at a time (flat memory on both databases: at most one page per
 * range in flight).
 */
export async function* numberedResponseLines(
  db: Kysely<Database>,
  slug: string,
  columns: readonly ResponseColumn[],
  options: { labels: Locale | null; dialect: CellDialect; paging?: ResponsePaging },
): AsyncGenerator<NumberedResponseLine[]> {
  const paging = options.paging ?? RESPONSE_PAGING.postgres;
  const pageSize = paging.rows;
  if (columns[0]?.source.kind !== 'row_number') throw new Error('responses.csv starts with the row number');
  const streams = (paging.parallelHalves ? ID_HALVES : WHOLE_ID_SPACE).map(([fromId, toId]) => {
    const read = (afterId: string | null) => {
      const page = responseLinePage(db, slug, columns, { ...options, afterId, fromId, toId, limit: pageSize });
      // Awaited later, maybe after the other range's page; a failure meanwhile must not count as
      // unhandled (that would end the process) — the await below still throws it.
      page.catch(() => {});
      return page;
    };
    return { read, next: read(null) as Promise<ResponseLine[]> | null };
  });
  let rowNumber = 0;
  for (;;) {
    const active = streams.filter((stream) => stream.next !== null);
    if (active.length === 0) return;
    for (const stream of active) {
      const lines: ResponseLine[] = await stream.next!;
      stream.next = lines.length === pageSize ? stream.read(lines.at(-1)!.id) : null;
      yield lines.map(({ id, line, cells }) => ({ row: (rowNumber += 1), id, line, ...(cells ? { cells } : {}) }));
    }
  }
}

/** The rows of responses.csv as text; the row number, the only value the database does not know, goes in front. */
export async function* responseLines(
  db: Kysely<Database>,
  slug: string,
  columns: readonly ResponseColumn[],
  options: { labels: Locale | null; dialect: CsvDialect; paging?: ResponsePaging },
): AsyncGenerator<string> {
  const delimiter = options.dialect === 'excel-de' ? ';' : ',';
  for await (const lines of numberedResponseLines(db, slug, columns, options)) {
    let text = '';
    for (const { row, line } of lines) {
      text += columns.length > 1 ? `${row}${delimiter}${line}\r\n` : `${row}\r\n`;
      if (text.length >= PIECE_CHARS) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
}
