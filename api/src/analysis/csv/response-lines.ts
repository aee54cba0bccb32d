import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../../shared/locales.ts';
import { textIn, type Choice } from '../questions.ts';
import { TOWN_TIME_ZONE } from '../repository.ts';
import { csvText, type CsvDialect } from './csv-writer.ts';
import type { CellSource, ResponseColumn } from './response-columns.ts';
import { WITHHELD } from '../deidentify/k-anonymity.ts';

/**
 * responses.csv, each line built inside the database. Parsing a million JSON answer objects in
 * Node and formatting 200 cells each cost ~70 µs per row, a fifth of COPY's speed; here the database
 * unpacks each response's answers once (jsonb_to_record), formats every cell in C and sends one
 * text per row. The rules are the writer's (csv-writer.ts), written as SQL: text that a spreadsheet
 * would run as a formula gets a leading apostrophe, a field holding the delimiter, a quote, CR or LF
 * is quoted with doubled quotes, numbers stay numbers (decimal comma for excel-de). Constant texts
 * (labels) are formatted by csv-writer itself and passed in as parameters.
 */

/** A CSV dialect, or `cells`: each cell's plain text with nothing escaped, for writers that type cells themselves (XLSX). */
export type CellDialect = CsvDialect | 'cells';

// The characters csv-writer.ts neutralises (OWASP) and the ones that force quoting, as regexes.
const FORMULA_START = '^[=+\\-@\\t\\r\\n\uFF1D\uFF0B\uFF0D\uFF20]';
const NEEDS_QUOTES: Record<CsvDialect, string> = { rfc4180: '[",\\r\\n]', 'excel-de': '[";\\r\\n]', stats: '[",\\r\\n]' };

/**
 * A text cell: neutralised, then quoted if it must be. NULL gives an empty field. Most cells (codes,
 * plain words) need neither, and one regex says so before any other work is done.
 */
function textCell(expression: RawBuilder<unknown>, dialect: CellDialect): RawBuilder<string> {
  // Parenthesised: `||` and `#>>` bind equally, so `'''' || x #>> '{}'` would concatenate JSON.
  const value = sql`(${expression})`;
  if (dialect === 'cells') return sql<string>`coalesce(${value}, '')`;
  // The statistics dialect neutralises nothing (csv-writer.ts): only quoting.
  if (dialect === 'stats') {
    return sql<string>`coalesce(case when ${value} ~ ${sql.lit(NEEDS_QUOTES.stats)} then '"' || replace(${value}, '"', '""') || '"' else ${value} end, '')`;
  }
  const neutral = sql`(case when ${value} ~ ${sql.lit(FORMULA_START)} then '''' || ${value} else ${value} end)`;
  return sql<string>`coalesce(case
    when ${value} !~ ${sql.lit(`${FORMULA_START}|${NEEDS_QUOTES[dialect]}`)} then ${value}
    when ${value} ~ ${sql.lit(NEEDS_QUOTES[dialect])} then '"' || replace(${neutral}, '"', '""') || '"'
    else ${neutral} end, '')`;
}

/** A number as stored; German Excel wants a decimal comma. */
function numberText(value: RawBuilder<unknown>, dialect: CellDialect): RawBuilder<string> {
  return dialect === 'excel-de' ? sql<string>`replace(${value}, '.', ',')` : sql<string>`(${value})`;
}

/** A constant text (a label), formatted exactly as csv-writer.ts formats it. */
function constantCell(text: string, dialect: CellDialect): string {
  if (dialect === 'cells') return text;
  return csvText([[text]], dialect).slice(0, -2);
}

/** A JSON answer holding a code: the code (numbers as numbers), or its label in `labels`. */
function codedCell(json: RawBuilder<unknown>, choices: Choice[] | undefined, labels: Locale | null, dialect: CellDialect): RawBuilder<string> {
  const asCode = sql<string>`(case jsonb_typeof(${json})
      when 'number' then ${numberText(sql`${json} #>> '{}'`, dialect)}
      when 'string' then ${textCell(sql`${json} #>> '{}'`, dialect)}
      when 'boolean' then ${json} #>> '{}'
      else '' end)`;
  if (!labels || !choices || choices.length === 0) return asCode;
  const cases = choices.map((choice) => sql`when ${choice.code} then ${constantCell(textIn(choice.label, labels), dialect)}`);
  return sql<string>`(case ${json} #>> '{}' ${sql.join(cases, sql` `)} else ${asCode} end)`;
}

const META = {
  version: sql`r.survey_version::text`,
  mode: sql`r.mode`,
  locale: sql`r.locale`,
  district: sql`r.district`,
  channel: sql`r.channel`,
  day: sql`to_char((r.submitted_at at time zone ${sql.lit(TOWN_TIME_ZONE)})::date, 'YYYY-MM-DD')`,
};

function cellSql(source: CellSource, labels: Locale | null, dialect: CellDialect, answer: (key: string) => RawBuilder<unknown>): RawBuilder<string> {
  switch (source.kind) {
    case 'row_number':
      throw new Error('the row number is added outside the database');
    case 'meta': {
      if (source.field === 'version' || source.field === 'day') return sql<string>`${META[source.field]}`;
      if (source.field === 'district' && labels && source.choices) {
        return codedCell(sql`to_jsonb(r.district)`, source.choices, labels, dialect);
      }
      return textCell(META[source.field], dialect);
    }
    case 'coded': {
      const json = source.row === undefined ? answer(source.key) : sql`(${answer(source.key)} -> ${source.row})`;
      return codedCell(json, source.choices, labels, dialect);
    }
    case 'number': {
      const json = answer(source.key);
      return sql<string>`(case jsonb_typeof(${json})
        when 'number' then ${numberText(sql`${json} #>> '{}'`, dialect)}
        when 'string' then case when ${json} #>> '{}' ~ '^\\s*-?[0-9]+([.][0-9]+)?\\s*$'
          then ${numberText(sql`btrim(${json} #>> '{}')`, dialect)} else ${textCell(sql`${json} #>> '{}'`, dialect)} end
        else '' end)`;
    }
    case 'text': {
      const json = answer(source.key);
      return sql<string>`(case when jsonb_typeof(${json}) in ('string', 'number', 'boolean')
        then ${textCell(sql`${json} #>> '{}'`, dialect)} else '' end)`;
    }
    case 'json': {
      const json = answer(source.key);
      return sql<string>`(case when ${json} is null then '' else ${textCell(sql`${json}::text`, dialect)} end)`;
    }
    case 'ticked': {
      const json = answer(source.key);
      // `?` finds a string element without parsing JSON; a numeric choice may be stored as a number.
      const numeric = /^-?\d+(\.\d+)?$/.test(source.code) ? sql` or ${json} @> ${`[${source.code}]`}::jsonb` : sql``;
      return sql<string>`(case when jsonb_typeof(${json}) = 'array'
        then case when ${json} ? ${source.code}${numeric} then '1' else '0' end else '' end)`;
    }
    case 'target_group':
      return sql<string>`(case when r.target_groups ? ${source.code} then '1' else '0' end)`;
    case 'released':
      return codedCell(sql`(o.released -> ${source.name})`, source.choices, labels, dialect);
    case 'released_ticked': {
      const ticked = cellSql({ kind: 'ticked', key: source.key, code: source.code }, labels, dialect, answer);
      return sql<string>`(case when o.released ->> ${source.name} = ${WITHHELD} then ${WITHHELD} else ${ticked} end)`;
    }
  }
}

/** One response of the de-identified export and its released quasi-identifier values (by name). */
export interface ReleasedValues {
  id: string;
  released: Record<string, string | null>;
}

export interface ResponseLine {
  id: string;
  /** The CSV line; with dialect `cells` empty, and the cells are in `cells`. */
  line: string;
  cells?: string[];
}

/**
 * One page of CSV lines (without the row number and without the line break), in id order: ids are
 * random, so the order says nothing about who answered when; keyset paging keeps memory flat.
 */
export function responseLinePage(
  db: Kysely<Database>,
  slug: string,
  columns: readonly ResponseColumn[],
  options: {
    labels: Locale | null;
    dialect: CellDialect;
    /** Ids after this one (exclusive); null starts at `fromId`. */
    afterId: string | null;
    /** The id range to read: from (inclusive) to (exclusive); null for open ends. */
    fromId?: string | null;
    toId?: string | null;
    limit: number;
    /**
     * The de-identified export: exactly these responses (a page of them), each with its released
     * quasi-identifier values, which the `released` columns read. Paging options are then ignored.
     */
    released?: readonly ReleasedValues[];
  },
): Promise<ResponseLine[]> {
  // jsonb_to_record unpacks a response's answers once, into one column per question key; looking up
  // `answers -> key` per column would unpack the stored JSONB again for every column. PostgreSQL
  // identifiers end at 63 bytes, so a longer key (none in the instruments) is looked up directly.
  const keys = [...new Set(columns.flatMap((column) => ('key' in column.source ? [column.source.key] : [])))];
  const unpacked = keys.filter((key) => Buffer.byteLength(key) <= 63);
  const unpackedSet = new Set(unpacked);
  const answer = (key: string) => (unpackedSet.has(key) ? sql`j.${sql.id(key)}` : sql`(r.answers -> ${key})`);
  const cells = columns
    .filter((column) => column.source.kind !== 'row_number')
    .map((column) => cellSql(column.source, options.labels, options.dialect, answer));
  const delimiter = options.dialect === 'excel-de' ? ';' : ',';
  // The cells are joined by array_to_string over one flat array, not by a chain of `||`: a chain
  // of ~250 cells is an expression ~500 operators deep, which overflows the embedded database's
  // WebAssembly stack — PGlite then failed the statement ("unnamed prepared statement does not
  // exist") and stopped answering anyone (the frozen responses.csv of issue #16). A flat array is
  // as fast on PostgreSQL and has no depth. coalesce keeps a NULL cell as an empty field
  // (array_to_string would drop it and shift every later column).
  const record =
    unpacked.length === 0
      ? sql``
      : sql`cross join lateral jsonb_to_record(r.answers) as j(${sql.join(unpacked.map((key) => sql`${sql.id(key)} jsonb`), sql`, `)})`;
  return sql<ResponseLine>`
    select r.id, ${
      options.dialect === 'cells'
        ? sql`'' as line, array[${sql.join(cells.map((cell) => sql`coalesce(${cell}, '')`), sql`, `)}]::text[] as cells`
        : sql`array_to_string(array[${sql.join(cells.map((cell) => sql`coalesce(${cell}, '')`), sql`, `)}]::text[], ${sql.lit(delimiter)}) as line`
    }
    from response r
    ${record}
    ${options.released ? sql`join jsonb_to_recordset(${JSON.stringify(options.released)}::jsonb) as o(id uuid, released jsonb) on o.id = r.id` : sql``}
    where r.survey_slug = ${slug}
      ${options.released ? sql`` : options.afterId !== null ? sql`and r.id > ${options.afterId}::uuid` : options.fromId ? sql`and r.id >= ${options.fromId}::uuid` : sql``}
      ${!options.released && options.toId ? sql`and r.id < ${options.toId}::uuid` : sql``}
    order by r.id
    ${options.released ? sql`` : sql`limit ${options.limit}`}`
    .execute(db)
    .then((result) => result.rows);
}
