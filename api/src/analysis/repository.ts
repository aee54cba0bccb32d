import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, LocalisedText } from '../db/schema.ts';
import { ALL, NO_DISTRICT, isPartition, type Dimension } from './breakdown.ts';
import type { AnalysisType, VersionDefinition } from './questions.ts';
import { TOWN_TIME_ZONE } from '../shared/town-day.ts';

/** Joins a matrix row and the chosen column in one text (ASCII unit separator: in no code). */
const MATRIX_SEPARATOR = '\u001f';

/**
 * Runs an aggregation with planner settings that suit it. PostgreSQL cannot estimate how many rows
 * jsonb_each and unnest produce (it assumes 100 per call) and, left alone, plans sorts of hundreds
 * of millions of rows on disk plus seconds of JIT compilation; with hashing in memory the same query
 * took a third of the time at 200,000 responses. `set local` ends with the transaction.
 */
async function withAnalysisSettings<T>(db: Kysely<Database>, run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    await sql`set local work_mem = '128MB'`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    await sql`set local enable_incremental_sort = off`.execute(trx);
    await sql`set local enable_memoize = off`.execute(trx);
    return run(trx);
  });
}

/** Days are counted in the towns' time zone, not in UTC. */
export { TOWN_TIME_ZONE };

export interface SurveyInfo {
  slug: string;
  kind: string;
  versions: VersionDefinition[];
}

export async function findSurveyWithVersions(db: Kysely<Database>, slug: string): Promise<SurveyInfo | undefined> {
  const survey = await db.selectFrom('survey').select(['slug', 'kind']).where('slug', '=', slug).executeTakeFirst();
  if (!survey) return undefined;
  const versions = await db
    .selectFrom('survey_version')
    .select(['version', 'definition'])
    .where('survey_slug', '=', slug)
    .orderBy('version')
    .execute();
  return { slug: survey.slug, kind: survey.kind, versions };
}

export interface DistrictRow {
  code: string;
  name: LocalisedText;
  population: number | null;
}

export async function listDistrictsForAnalysis(db: Kysely<Database>): Promise<DistrictRow[]> {
  return db.selectFrom('district').select(['code', 'name', 'population']).orderBy('sort_order').orderBy('code').execute();
}

/**
 * The SQL for one dimension's value per response (target groups are unnested separately). Constants are
 * literals, not parameters: GROUP BY matches expressions by their text, and `$1` in the select list
 * is not the same text as `$7` in the GROUP BY.
 */
function dimensionValue(dim: Exclude<Dimension, 'target_group'>): RawBuilder<string> {
  switch (dim) {
    case 'district':
      return sql<string>`coalesce(r.district, ${sql.lit(NO_DISTRICT)})`;
    case 'mode':
      return sql<string>`r.mode`;
    case 'locale':
      return sql<string>`r.locale`;
  }
}

/**
 * Two stages, because target groups overlap. Stage one counts fine cells in one scan: question ×
 * option × every partitioning dimension asked for × the response's whole set of target groups (a
 * JSONB array; a town has a few dozen distinct sets, not one per response). Stage two repeats each
 * of those few rows once per target group in its set plus once as ALL, and rolls the partitioning
 * dimensions up with GROUPING SETS over all their subsets, so one query gives every cell and every
 * margin. Unnesting target groups per response instead multiplied the rows the database has to
 * group by three to four.
 */
function breakdownStages(dims: readonly Dimension[]) {
  const partitions = dims.filter(isPartition) as Exclude<Dimension, 'target_group'>[];
  const withTargetGroups = dims.includes('target_group');
  const fineSelects = partitions.map((dim) => sql`${dimensionValue(dim)} as ${sql.ref(dim)}`);
  if (withTargetGroups) fineSelects.push(sql`r.target_groups as target_groups`);
  const fineGroupBy = [...partitions.map(dimensionValue), ...(withTargetGroups ? [sql`r.target_groups`] : [])];
  const rollupSelects = partitions.map(
    (dim) => sql`case when grouping(f.${sql.ref(dim)}) = 1 then ${ALL} else f.${sql.ref(dim)} end as ${sql.ref(dim)}`,
  );
  if (withTargetGroups) rollupSelects.push(sql`tg.code as target_group`);
  const subsets: RawBuilder<unknown>[] = [];
  for (let mask = (1 << partitions.length) - 1; mask >= 0; mask -= 1) {
    const members = partitions.filter((_, index) => mask & (1 << index)).map((dim) => sql`f.${sql.ref(dim)}`);
    subsets.push(sql`(${sql.join(members.length > 0 ? members : [sql``], sql`, `)})`);
  }
  const targetGroupJoin = withTargetGroups
    ? sql`cross join lateral (select jsonb_array_elements_text(f.target_groups) as code union all select ${ALL}) tg`
    : sql``;
  const rollupGroupBy = [
    ...(withTargetGroups ? [sql`tg.code`] : []),
    ...(partitions.length > 0 ? [sql`grouping sets (${sql.join(subsets, sql`, `)})`] : []),
  ];
  return { fineSelects, fineGroupBy, rollupSelects, targetGroupJoin, rollupGroupBy };
}

/** One stage, for medians: they cannot be rolled up from partial results, so the raw values are grouped. */
function breakdownSql(dims: readonly Dimension[]) {
  const partitions = dims.filter(isPartition) as Exclude<Dimension, 'target_group'>[];
  const withTargetGroups = dims.includes('target_group');
  const selects = partitions.map(
    (dim) => sql`case when grouping(${dimensionValue(dim)}) = 1 then ${ALL} else ${dimensionValue(dim)} end as ${sql.ref(dim)}`,
  );
  if (withTargetGroups) selects.push(sql`tg.code as target_group`);
  const subsets: RawBuilder<unknown>[] = [];
  for (let mask = (1 << partitions.length) - 1; mask >= 0; mask -= 1) {
    const members = partitions.filter((_, index) => mask & (1 << index)).map(dimensionValue);
    subsets.push(sql`(${sql.join(members.length > 0 ? members : [sql``], sql`, `)})`);
  }
  const targetGroupJoin = withTargetGroups
    ? sql`cross join lateral (select jsonb_array_elements_text(r.target_groups) as code union all select ${ALL}) tg`
    : sql``;
  const groupBy = [
    ...(withTargetGroups ? [sql`tg.code`] : []),
    ...(partitions.length > 0 ? [sql`grouping sets (${sql.join(subsets, sql`, `)})`] : []),
  ];
  return { selects, targetGroupJoin, groupBy };
}

export interface CategoricalRow {
  question: string;
  /** Matrix row; null otherwise. */
  sub: string | null;
  /** The chosen code; null marks "answered" (multiple choice base, non-empty free text). */
  option: string | null;
  n: number;
  /** With weights: the sum of the respondents' weights and of their squares. */
  w?: number;
  w2?: number;
  /** Sum of the members' record keys modulo 2^31: the cell key (disclosure/cell-key.ts). */
  key_sum: number;
  district?: string;
  target_group?: string;
  mode?: string;
  locale?: string;
}

/** The members' record keys summed modulo 2^31, as a number on both drivers (float8 holds it exactly). */
const KEY_SUM_OF_SUMS = sql.raw('(sum(f.key_sum) % 2147483648)::float8 as key_sum');

/**
 * Counts for every single-choice, multiple-choice, matrix and free-text question of a survey in one
 * scan of its responses, broken down as asked. All versions count together, matched by name.
 */
export async function countAnswers(
  db: Kysely<Database>,
  slug: string,
  questions: readonly { name: string; type: AnalysisType }[],
  dims: readonly Dimension[],
  /** Each respondent's weight (weighting/cell-sql.ts): the rows then carry `w` and `w2` beside `n`. */
  weights?: { join: RawBuilder<unknown> },
): Promise<CategoricalRow[]> {
  const counted = questions.filter((question) => question.type !== 'number');
  if (counted.length === 0) return [];
  const stages = breakdownStages(dims);
  const names = counted.map((question) => question.name);
  const kinds = counted.map((question) => (question.type === 'other' ? 'text' : question.type));
  const weightSums = weights ? [sql`sum(wc.weight) as w`, sql`sum(wc.weight * wc.weight) as w2`] : [];
  const weightRollup = weights ? [sql`sum(f.w)::float8 as w`, sql`sum(f.w2)::float8 as w2`] : [];
  // jsonb_each reads each response's answers once; `answers -> name` per question would unpack the
  // (compressed, out-of-line) JSONB again for every question. One CASE picks what each answer
  // contributes (a union of one branch per kind costs every branch for every answer); a matrix row
  // travels as `row<US>column` and is split again in countAnswers below.
  const result = await withAnalysisSettings(db, (trx) =>
    sql<CategoricalRow & { option: string | null }>`
    with f as (
      select ${sql.join([sql`a.key as question`, sql`o.option`, ...stages.fineSelects, sql`count(*) as n`, sql`sum(r.record_key) as key_sum`, ...weightSums], sql`, `)}
      from response r
      ${weights?.join ?? sql``}
      cross join lateral jsonb_each(r.answers) a
      join unnest(${names}::text[], ${kinds}::text[]) as q(name, kind) on q.name = a.key
      cross join lateral unnest(case q.kind
        when 'single' then case when jsonb_typeof(a.value) in ('string', 'number', 'boolean') then array[a.value #>> '{}'] end
        when 'multiple' then case when jsonb_typeof(a.value) = 'array' and jsonb_array_length(a.value) > 0
          then array(select jsonb_array_elements_text(a.value)) || array[null::text] end
        when 'matrix' then case when jsonb_typeof(a.value) = 'object'
          then array(select m.key || ${sql.lit(MATRIX_SEPARATOR)} || (m.value #>> '{}') from jsonb_each(a.value) m
                     where jsonb_typeof(m.value) in ('string', 'number', 'boolean')) end
        when 'text' then case when (case jsonb_typeof(a.value)
            when 'string' then btrim(a.value #>> '{}') <> ''
            when 'array' then jsonb_array_length(a.value) > 0
            when 'object' then a.value <> '{}'::jsonb
            when 'null' then false
            else true end) then array[null::text] end
      end) as o(option)
      where r.survey_slug = ${slug}
      group by ${sql.join([sql`a.key`, sql`o.option`, ...stages.fineGroupBy], sql`, `)}
    )
    select ${sql.join([sql`f.question`, sql`f.option`, ...stages.rollupSelects, sql`sum(f.n)::int as n`, KEY_SUM_OF_SUMS, ...weightRollup], sql`, `)}
    from f
    ${stages.targetGroupJoin}
    group by ${sql.join([sql`f.question`, sql`f.option`, ...stages.rollupGroupBy], sql`, `)}`.execute(trx),
  );
  const matrices = new Set(counted.filter((question) => question.type === 'matrix').map((question) => question.name));
  return result.rows.map((row) => {
    if (!matrices.has(row.question) || row.option === null) return { ...row, sub: null };
    const at = row.option.indexOf(MATRIX_SEPARATOR);
    return { ...row, sub: row.option.slice(0, at), option: row.option.slice(at + 1) };
  });
}

export interface NumberRow {
  question: string;
  n: number;
  key_sum: number;
  mean: number | null;
  median: number | null;
  district?: string;
  target_group?: string;
  mode?: string;
  locale?: string;
}

/** n, mean and median of every number question, broken down as asked (percentile_cont in SQL). */
export async function summariseNumbers(
  db: Kysely<Database>,
  slug: string,
  names: readonly string[],
  dims: readonly Dimension[],
): Promise<NumberRow[]> {
  if (names.length === 0) return [];
  const { selects, targetGroupJoin, groupBy } = breakdownSql(dims);
  // Few number questions: `answers -> name` per question costs less here than unpacking every key.
  const result = await withAnalysisSettings(db, (trx) =>
    sql<NumberRow>`
    select q.name as question, ${sql.join(
      [...selects, sql`count(*)::int as n`, sql`(sum(r.record_key) % 2147483648)::float8 as key_sum`, sql`avg(x.v)::float8 as mean`, sql`percentile_cont(0.5) within group (order by x.v) as median`],
      sql`, `,
    )}
    from response r
    cross join unnest(${[...names]}::text[]) as q(name)
    cross join lateral (select r.answers -> q.name as value) a
    cross join lateral (
      select case
        when jsonb_typeof(a.value) = 'number' then (a.value #>> '{}')::float8
        when jsonb_typeof(a.value) = 'string' and (a.value #>> '{}') ~ '^\\s*-?[0-9]+([.][0-9]+)?\\s*$'
          then btrim(a.value #>> '{}')::float8
      end as v
    ) x
    ${targetGroupJoin}
    where r.survey_slug = ${slug} and x.v is not null
    group by ${sql.join([sql`q.name`, ...groupBy], sql`, `)}`.execute(trx),
  );
  return result.rows;
}

/** Codes that occur in the data for a dimension (legacy target groups, unexpected locales). */
export async function observedValues(db: Kysely<Database>, slug: string): Promise<{ locales: string[]; targetGroups: string[]; districtless: boolean }> {
  const result = await sql<{ locales: string[] | null; target_groups: string[] | null; districtless: boolean }>`
    select
      (select array_agg(distinct locale) from response where survey_slug = ${slug}) as locales,
      (select array_agg(distinct code) from response, jsonb_array_elements_text(target_groups) code where survey_slug = ${slug}) as target_groups,
      exists (select 1 from response where survey_slug = ${slug} and district is null) as districtless`.execute(db);
  const row = result.rows[0];
  return { locales: row?.locales ?? [], targetGroups: row?.target_groups ?? [], districtless: row?.districtless ?? false };
}

export interface ReturnsRow {
  district: string;
  day: string;
  mode: string;
  locale: string;
  n: number;
  key_sum: number;
}

/** Responses per district × day, district × mode, district × locale, with every margin. */
export async function countReturns(db: Kysely<Database>, slug: string): Promise<ReturnsRow[]> {
  const district = sql`coalesce(r.district, ${sql.lit(NO_DISTRICT)})`;
  const day = sql`to_char((r.submitted_at at time zone ${sql.lit(TOWN_TIME_ZONE)})::date, 'YYYY-MM-DD')`;
  const result = await sql<ReturnsRow>`
    select
      case when grouping(${district}) = 1 then ${ALL} else ${district} end as district,
      case when grouping(${day}) = 1 then ${ALL} else ${day} end as day,
      case when grouping(r.mode) = 1 then ${ALL} else r.mode end as mode,
      case when grouping(r.locale) = 1 then ${ALL} else r.locale end as locale,
      count(*)::int as n,
      (sum(r.record_key) % 2147483648)::float8 as key_sum
    from response r
    where r.survey_slug = ${slug}
    group by grouping sets (
      (${district}, ${day}), (${district}, r.mode), (${district}, r.locale), (${district}),
      (${day}), (r.mode), (r.locale), ()
    )`.execute(db);
  return result.rows;
}
