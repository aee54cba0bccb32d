import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { RakeResult } from '../../weighting/rake.ts';
import { cellsOfResponses } from '../../weighting/repository.ts';
import { csvText, type CsvDialect } from './csv-writer.ts';
import type { ResponseColumn } from './response-columns.ts';
import { numberedResponseLines, type ResponsePaging } from './responses-csv.ts';

export const WEIGHTS_COLUMNS = ['respondent', 'district', 'age_band', 'gender', 'weight'] as const;

const column = (name: string, source: ResponseColumn['source']): ResponseColumn => ({
  name,
  question: null,
  type: 'metadata',
  label: { default: name },
  choices: [],
  versions: null,
  source,
});

/** responses.csv's columns that weights.csv repeats: the row number and the answers weighted by. */
const WEIGHTS_SOURCE_COLUMNS: ResponseColumn[] = [
  column('row', { kind: 'row_number' }),
  column('district', { kind: 'meta', field: 'district' }),
  column('age_band', { kind: 'coded', key: 'age_band', choices: [] }),
  column('gender', { kind: 'coded', key: 'gender', choices: [] }),
];

/**
 * weights.csv, a line per response: `respondent` is the row number of responses.csv (numbered by the
 * same function, so a download of both at the same moment joins on it), district, age band and gender
 * as answered (codes, formula-safe, built by responses.csv's own SQL), and the response's weight.
 */
export async function* weightsLines(
  db: Kysely<Database>,
  slug: string,
  weighting: RakeResult,
  options: { dialect: CsvDialect; paging?: ResponsePaging },
): AsyncGenerator<string> {
  const delimiter = options.dialect === 'excel-de' ? ';' : ',';
  const weightOf = new Map(weighting.cells.map((cell) => [`${cell.district}\u0000${cell.age_band}\u0000${cell.gender}`, cell.weight]));
  for await (const lines of numberedResponseLines(db, slug, WEIGHTS_SOURCE_COLUMNS, { labels: null, dialect: options.dialect, paging: options.paging })) {
    const cells = await cellsOfResponses(db, lines.map((line) => line.id));
    let text = '';
    for (const { row, id, line } of lines) {
      const cell = cells.get(id)!;
      const weight = weightOf.get(`${cell.district}\u0000${cell.age_band}\u0000${cell.gender}`);
      // A response that arrived after the weights were computed has no cell yet: its weight stays empty.
      text += `${row}${delimiter}${line}${csvText([[weight ?? null]], options.dialect).replace(/^/, delimiter)}`;
    }
    if (text) yield text;
  }
}
