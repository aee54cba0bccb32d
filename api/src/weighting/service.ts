import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listPopulationMargins } from '../districts/index.ts';
import { ApiError } from '../http/errors.ts';
import type { CellWeights } from './cell-sql.ts';
import { DEFAULT_RAKE_OPTIONS, rake, type RakeOptions, type RakeOutcome, type RakeResult } from './rake.ts';
import { countSampleCells } from './repository.ts';

/** Trimming caps an analyst may ask for (weights above cap × mean weight are cut). */
export const MIN_TRIM_CAP = 1.5;
export const MAX_TRIM_CAP = 100;

/** `?trim=<cap>`: no trimming when absent. */
export function parseTrimCap(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const cap = Number(value);
  if (!Number.isFinite(cap) || cap < MIN_TRIM_CAP || cap > MAX_TRIM_CAP) {
    throw new ApiError(400, 'invalid_trim', { trim: value, min: MIN_TRIM_CAP, max: MAX_TRIM_CAP });
  }
  return cap;
}

/**
 * Rakes a survey's responses to the current margins. Computed on request: the input is one GROUP BY
 * over the survey's responses (a few hundred cells) and the margins table, and raking the cells
 * takes well under a millisecond, so there is nothing worth caching — and nothing that could go
 * stale when responses arrive or margins change, or that ingest would have to wait for.
 */
export async function computeWeighting(db: Kysely<Database>, slug: string, options: { trimCap?: number } = {}): Promise<RakeOutcome> {
  const [cells, margins] = await Promise.all([countSampleCells(db, slug), listPopulationMargins(db)]);
  const rakeOptions: RakeOptions = { ...DEFAULT_RAKE_OPTIONS, ...(options.trimCap !== undefined ? { trim: { cap: options.trimCap } } : {}) };
  return rake(cells, margins, rakeOptions);
}

/** The weights, or a 422 naming the first thing that makes weighting impossible. */
export async function requireWeights(db: Kysely<Database>, slug: string, options: { trimCap?: number } = {}): Promise<RakeResult> {
  const outcome = await computeWeighting(db, slug, options);
  if (!outcome.ok) {
    const first = outcome.problems[0]!;
    throw new ApiError(
      422,
      'weighting_unavailable',
      Object.fromEntries(Object.entries(first).filter(([, value]) => typeof value === 'string' || typeof value === 'number')) as Record<string, string | number>,
      { problems: outcome.problems },
    );
  }
  if (outcome.result.n === 0) throw new ApiError(422, 'weighting_no_responses', { slug });
  return outcome.result;
}

/** The weights as arrays for SQL (see cell-sql.ts). */
export function cellWeights(result: RakeResult): CellWeights {
  return {
    district: result.cells.map((cell) => cell.district),
    age_band: result.cells.map((cell) => cell.age_band),
    gender: result.cells.map((cell) => cell.gender),
    weight: result.cells.map((cell) => cell.weight),
  };
}
