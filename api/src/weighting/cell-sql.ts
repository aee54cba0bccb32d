import { sql, type RawBuilder } from 'kysely';
import { NO_DISTRICT, NOT_STATED } from './rake.ts';

/** Answers that mean "not stated" for the weighting (the baseline's "prefer not to say"). */
export const NOT_STATED_ANSWERS = ['no_answer'] as const;

/**
 * A response's weighting cell, as SQL over `response r`: its district (NO_DISTRICT without one),
 * and its `age_band` and `gender` answers (NOT_STATED when missing, not a code, or "no answer").
 * One definition for counting the cells and for joining weights back to responses, so the two
 * can never disagree. Literals, not parameters: GROUP BY matches expressions by their text.
 */
export function weightingCellSql(): { district: RawBuilder<string>; age_band: RawBuilder<string>; gender: RawBuilder<string> } {
  const answer = (key: string) =>
    sql<string>`(case when jsonb_typeof(r.answers -> ${sql.lit(key)}) = 'string'
      and btrim(r.answers ->> ${sql.lit(key)}) not in (${sql.join([sql.lit(''), ...NOT_STATED_ANSWERS.map((code) => sql.lit(code))])})
      then r.answers ->> ${sql.lit(key)} else ${sql.lit(NOT_STATED)} end)`;
  return { district: sql<string>`coalesce(r.district, ${sql.lit(NO_DISTRICT)})`, age_band: answer('age_band'), gender: answer('gender') };
}

/** Weights per cell, as the arrays a query unnests (`unnest($1::text[], $2::text[], $3::text[], $4::float8[])`). */
export interface CellWeights {
  district: string[];
  age_band: string[];
  gender: string[];
  weight: number[];
}

/** `join … as wc(weight)`: every response gets its cell's weight (every response has a cell). */
export function cellWeightJoin(weights: CellWeights): RawBuilder<unknown> {
  const cell = weightingCellSql();
  return sql`join unnest(${weights.district}::text[], ${weights.age_band}::text[], ${weights.gender}::text[], ${weights.weight}::float8[])
    as wc(district, age_band, gender, weight)
    on wc.district = ${cell.district} and wc.age_band = ${cell.age_band} and wc.gender = ${cell.gender}`;
}
