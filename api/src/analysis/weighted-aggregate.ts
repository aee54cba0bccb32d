import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { cellWeightJoin } from '../weighting/cell-sql.ts';
import { cellWeights } from '../weighting/service.ts';
import type { RakeResult } from '../weighting/rake.ts';
import { weightedShare, type WeightedEstimate } from '../weighting/weighted-share.ts';
import { ALL, groupId } from './breakdown.ts';
import { countAnswers, type CategoricalRow } from './repository.ts';
import type { Aggregate } from './service.ts';

/** Per item key, per option, per group: the weighted estimate, or null where the count is not published. */
export type WeightedEstimates = Map<string, (WeightedEstimate | null)[][]>;

/**
 * Adds weighted shares to an aggregate the existing pipeline has already suppressed: a second GROUP BY
 * sums each respondent's weight (and its square) where the first counted them, and an estimate is
 * given only for a cell whose unweighted count and base are published. Suppression is decided on
 * the unweighted counts alone, so weighting never reveals a cell the table hides.
 */
export async function weightedEstimates(db: Kysely<Database>, aggregate: Aggregate, weighting: RakeResult): Promise<WeightedEstimates> {
  const { frame } = aggregate;
  const items = aggregate.items.filter((item) => item.kind === 'single' || item.kind === 'multiple');
  const estimates: WeightedEstimates = new Map();
  if (items.length === 0) return estimates;
  const questions = [...new Map(items.map((item) => [item.question.name, item.question])).values()];
  const rows = await countAnswers(db, aggregate.context.slug, questions, frame.dims, { join: cellWeightJoin(cellWeights(weighting)) });
  const byItem = new Map<string, CategoricalRow[]>();
  for (const row of rows) {
    const key = row.sub === null ? row.question : `${row.question}.${row.sub}`;
    let list = byItem.get(key);
    if (!list) byItem.set(key, (list = []));
    list.push(row);
  }
  const groupIndex = new Map(frame.groups.map((group, index) => [groupId(frame.dims, group), index]));
  const G = frame.groups.length;
  for (const item of items) {
    const O = item.options.length;
    const optionIndex = new Map(item.options.map((option, index) => [option.code, index]));
    const w = new Float64Array((O + 1) * G);
    const w2 = new Float64Array((O + 1) * G);
    for (const row of byItem.get(item.key) ?? []) {
      const g = groupIndex.get(groupId(frame.dims, Object.fromEntries(frame.dims.map((dim) => [dim, row[dim] ?? ALL]))));
      if (g === undefined) continue;
      const o = row.option === null ? O : optionIndex.get(row.option);
      if (o === undefined || (o === O && item.kind === 'single')) continue;
      w[o * G + g] = row.w ?? 0;
      w2[o * G + g] = row.w2 ?? 0;
      // Single choice: the base is everyone who chose an option.
      if (item.kind === 'single') {
        w[O * G + g] = w[O * G + g]! + (row.w ?? 0);
        w2[O * G + g] = w2[O * G + g]! + (row.w2 ?? 0);
      }
    }
    estimates.set(
      item.key,
      item.options.map((_, o) =>
        frame.groups.map((__, g) => {
          const n = item.counts[o]![g];
          const base = item.base[g];
          if (n === null || n === undefined || base === null || base === undefined || base === 0) return null;
          return weightedShare({ w: w[o * G + g]!, w2: w2[o * G + g]!, baseW: w[O * G + g]!, baseW2: w2[O * G + g]!, baseN: base });
        }),
      ),
    );
  }
  return estimates;
}
