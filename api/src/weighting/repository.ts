import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { weightingCellSql } from './cell-sql.ts';
import type { SampleCell } from './rake.ts';

/** Respondents per district × age band × gender of one survey: the raking's whole input from the responses. */
export async function countSampleCells(db: Kysely<Database>, slug: string): Promise<SampleCell[]> {
  const cell = weightingCellSql();
  const result = await sql<SampleCell>`
    select ${cell.district} as district, ${cell.age_band} as age_band, ${cell.gender} as gender, count(*)::int as n
    from response r
    where r.survey_slug = ${slug}
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  return result.rows;
}

/** The weighting cell of each of the given responses (one page of weights.csv). */
export async function cellsOfResponses(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Omit<SampleCell, 'n'>>> {
  if (ids.length === 0) return new Map();
  const cell = weightingCellSql();
  const result = await sql<{ id: string } & Omit<SampleCell, 'n'>>`
    select r.id, ${cell.district} as district, ${cell.age_band} as age_band, ${cell.gender} as gender
    from response r
    where r.id = any(${[...ids]}::uuid[])`.execute(db);
  return new Map(result.rows.map(({ id, ...rest }) => [id, rest]));
}
