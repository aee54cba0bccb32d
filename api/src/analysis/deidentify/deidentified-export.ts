import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Locale } from '../../shared/locales.ts';
import type { Choice } from '../questions.ts';
import { TOWN_TIME_ZONE } from '../repository.ts';
import { messageInAllLocales, type AnalysisContext } from '../service.ts';
import type { CsvDialect } from '../csv/csv-writer.ts';
import { responseColumns, type ResponseColumn } from '../csv/response-columns.ts';
import { responseLinePage, type CellDialect, type ReleasedValues } from '../csv/response-lines.ts';
import type { NumberedResponseLine, ResponsePaging } from '../csv/responses-csv.ts';
import { withholdUntilKAnonymous, WITHHELD, type QuasiIdentifierValues } from './k-anonymity.ts';
import { answerValue, bandChoices, BANDED_NUMBERS, WITHHOLDING_ORDER } from './quasi-identifiers.ts';

/** Column types that hold free text (typed by the respondent, or JSON that may contain some). */
const FREE_TEXT_TYPES = new Set(['text', 'other_text', 'json']);

const withheldChoice = (): Choice => ({ code: WITHHELD, label: messageInAllLocales('analysis.withheld_deidentification') });

interface QuasiIdentifierRow {
  id: string;
  district: string | null;
  locale: string | null;
  mode: string | null;
  channel: string | null;
  submitted_month: string | null;
  target_groups: string[] | null;
  answers: Record<string, unknown> | null;
}

/** One quasi-identifier of a survey: its key in the released values and how to read it from a response. */
interface QuasiIdentifier {
  name: string;
  read: (row: QuasiIdentifierRow) => string | null;
}

/** What the de-identified file is made of: its columns and the quasi-identifiers they release. */
export interface DeidentifiedPlan {
  columns: ResponseColumn[];
  quasiIdentifiers: QuasiIdentifier[];
  /** Answer keys the quasi-identifiers read. */
  answerKeys: string[];
}

/**
 * The columns of the de-identified responses.csv: those of the full file, with every
 * quasi-identifier read from its released value (numbers as bands, the day as its month, withheld
 * as `_withheld`), and free text only when asked for (`includeText`).
 */
export function deidentifiedPlan(context: AnalysisContext, targetGroupCodes: string[], options: { includeText: boolean }): DeidentifiedPlan {
  const asked = new Set(context.questions.map((question) => question.name));
  const quasiIdentifiers: QuasiIdentifier[] = targetGroupCodes.map((code) => ({
    name: `target_group__${code}`,
    read: (row) => ((row.target_groups ?? []).includes(code) ? '1' : '0'),
  }));
  const answerKeys: string[] = [];
  for (const { name, from } of WITHHOLDING_ORDER) {
    if (from === 'meta') {
      const field = name as 'district' | 'locale' | 'mode' | 'channel' | 'submitted_month';
      quasiIdentifiers.push({ name, read: (row) => row[field] ?? null });
    } else if (asked.has(name) && name !== 'district') {
      answerKeys.push(name);
      quasiIdentifiers.push({ name: `answer:${name}`, read: (row) => answerValue(row.answers?.[name], BANDED_NUMBERS[name]) });
    }
  }
  const releasedName = new Map(quasiIdentifiers.map((qi) => [qi.name, qi.name]));
  const columns: ResponseColumn[] = [];
  for (const column of responseColumns(context, targetGroupCodes)) {
    const { source } = column;
    if (FREE_TEXT_TYPES.has(column.type) && !options.includeText) continue;
    if (source.kind === 'meta') {
      if (source.field === 'version') {
        columns.push(column);
        continue;
      }
      const name = source.field === 'day' ? 'submitted_month' : source.field;
      const withChoices = column.choices.length > 0 ? [...column.choices, withheldChoice()] : [withheldChoice()];
      columns.push({
        ...column,
        ...(source.field === 'day' ? { name: 'submitted_month', label: messageInAllLocales('analysis.meta.submitted_month') } : {}),
        choices: withChoices,
        source: { kind: 'released', name, choices: source.choices ? [...source.choices, withheldChoice()] : undefined },
      });
      continue;
    }
    if (source.kind === 'target_group') {
      columns.push({ ...column, choices: [...column.choices, withheldChoice()], source: { kind: 'released', name: `target_group__${source.code}` } });
      continue;
    }
    const name = column.question !== null ? releasedName.get(`answer:${column.question}`) : undefined;
    if (name === undefined || column.type === 'other_text') {
      columns.push(column);
      continue;
    }
    if (source.kind === 'ticked') {
      columns.push({ ...column, choices: [...column.choices, withheldChoice()], source: { kind: 'released_ticked', name, key: source.key, code: source.code } });
    } else if (source.kind === 'number' && BANDED_NUMBERS[column.question!]) {
      const choices = [...bandChoices(BANDED_NUMBERS[column.question!]!), withheldChoice()];
      columns.push({ ...column, type: 'banded', choices, source: { kind: 'released', name, choices } });
    } else if (source.kind === 'coded') {
      const choices = [...source.choices, withheldChoice()];
      columns.push({ ...column, choices, source: { kind: 'released', name, choices } });
    } else {
      // A quasi-identifier of a type that cannot be released coarsened (free text, JSON): left out.
      continue;
    }
  }
  return { columns, quasiIdentifiers, answerKeys };
}

/** Every response's quasi-identifiers, in one read (a few short fields per response). */
async function readQuasiIdentifiers(db: Kysely<Database>, slug: string, answerKeys: string[]): Promise<QuasiIdentifierRow[]> {
  const answers =
    answerKeys.length === 0 ? sql`'{}'::jsonb` : sql`jsonb_build_object(${sql.join(answerKeys.map((key) => sql`${key}::text, r.answers -> ${key}`), sql`, `)})`;
  const result = await sql<QuasiIdentifierRow>`
    select r.id, r.district, r.locale, r.mode, r.channel, r.target_groups,
      to_char((r.submitted_at at time zone ${sql.lit(TOWN_TIME_ZONE)}), 'YYYY-MM') as submitted_month,
      ${answers} as answers
    from response r
    where r.survey_slug = ${slug}`.execute(db);
  return result.rows;
}

/** A random order (Fisher–Yates with a cryptographic source): the rows must not line up with any other file. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface Deidentification {
  /** The responses in the file's (random) order with their released values. */
  releases: ReleasedValues[];
  withheld: Record<string, number>;
  omitted: number;
  k: number;
}

/**
 * Decides what each response releases: reads every response's quasi-identifiers, withholds until
 * every combination has at least k respondents, and puts the responses in a random order (so that
 * no row number matches responses.csv in full or weights.csv).
 */
export async function deidentify(db: Kysely<Database>, context: AnalysisContext, plan: DeidentifiedPlan): Promise<Deidentification> {
  const rows = await readQuasiIdentifiers(db, context.slug, plan.answerKeys);
  const values: QuasiIdentifierValues[] = rows.map((row) => plan.quasiIdentifiers.map((qi) => qi.read(row)));
  const order = plan.quasiIdentifiers.map((_, index) => index);
  const result = withholdUntilKAnonymous(values, order, context.k);
  const releases: ReleasedValues[] = [];
  result.released.forEach((released, index) => {
    if (!released) return;
    releases.push({ id: rows[index]!.id, released: Object.fromEntries(plan.quasiIdentifiers.map((qi, q) => [qi.name, released[q] ?? null])) });
  });
  const withheld = Object.fromEntries(plan.quasiIdentifiers.map((qi, q) => [qi.name, result.withheldPerDimension[q] ?? 0]).filter(([, count]) => count !== 0));
  return { releases: shuffle(releases), withheld, omitted: result.omitted, k: context.k };
}

/** The de-identified file's rows, a page at a time, numbered in their random order (CSV lines or, with `cells`, plain cells). */
export async function* deidentifiedPages(
  db: Kysely<Database>,
  slug: string,
  plan: DeidentifiedPlan,
  deidentification: Deidentification,
  options: { labels: Locale | null; dialect: CellDialect; paging: ResponsePaging },
): AsyncGenerator<NumberedResponseLine[]> {
  let row = 0;
  for (let start = 0; start < deidentification.releases.length; start += options.paging.rows) {
    const released = deidentification.releases.slice(start, start + options.paging.rows);
    const lines = await responseLinePage(db, slug, plan.columns, { ...options, afterId: null, limit: released.length, released });
    yield lines.map((line) => ({ ...line, row: (row += 1) }));
  }
}

/** The de-identified file's rows as CSV text. */
export async function* deidentifiedLines(
  db: Kysely<Database>,
  slug: string,
  plan: DeidentifiedPlan,
  deidentification: Deidentification,
  options: { labels: Locale | null; dialect: CsvDialect; paging: ResponsePaging },
): AsyncGenerator<string> {
  const delimiter = options.dialect === 'excel-de' ? ';' : ',';
  for await (const lines of deidentifiedPages(db, slug, plan, deidentification, options)) {
    // Handed on in small pieces, as responses-csv.ts explains (large strings outlive their use in V8).
    let text = '';
    for (const { row, line } of lines) {
      text += `${row}${delimiter}${line}\r\n`;
      if (text.length >= 16 * 1024) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
}
