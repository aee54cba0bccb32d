import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { cellWeightJoin } from '../weighting/cell-sql.ts';
import { cellWeights } from '../weighting/service.ts';
import type { RakeResult } from '../weighting/rake.ts';
import { weightedShare, type WeightedEstimate } from '../weighting/weighted-share.ts';
import { ALL, groupId } from './breakdown.ts';
import { showsStatistics } from './disclosure/cell-key.ts';
import { countAnswers, type CategoricalRow } from './repository.ts';
import type { Aggregate } from './service.ts';

/** Per item key, per option, per group: the weighted estimate, or null where the count is not published. */
export type WeightedEstimates = Map<string, (WeightedEstimate | null)[][]>;

/**
 * Adds weighted shares to a published aggregate. A second GROUP BY sums each respondent's weight (and
 * its square) where the first counted them. The estimate rests on the published unweighted counts,
 * not the true ones: each cell's weight sums are its members' mean weight (and mean squared weight)
 * times its published count, and the base n is the published base. Unscaled sums would give the true
 * counts away: where everyone in a group has the same weight, Σw/Σw of the base is n/base exactly and
 * Kish's (Σw)²/Σw² is the true base. An estimate is given only where the published option count and
 * base both show k members (`showsStatistics`), so no weighted share stands on a count of 1 … k−1.
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
  const { k } = aggregate.context;
  for (const item of items) {
    const O = item.options.length;
    const optionIndex = new Map(item.options.map((option, index) => [option.code, index]));
    const n = new Float64Array((O + 1) * G);
    const w = new Float64Array((O + 1) * G);
    const w2 = new Float64Array((O + 1) * G);
    for (const row of byItem.get(item.key) ?? []) {
      const g = groupIndex.get(groupId(frame.dims, Object.fromEntries(frame.dims.map((dim) => [dim, row[dim] ?? ALL]))));
      if (g === undefined) continue;
      const o = row.option === null ? O : optionIndex.get(row.option);
      if (o === undefined || (o === O && item.kind === 'single')) continue;
      n[o * G + g] = row.n;
      w[o * G + g] = row.w ?? 0;
      w2[o * G + g] = row.w2 ?? 0;
      // Single choice: the base is everyone who chose an option.
      if (item.kind === 'single') {
        n[O * G + g] = n[O * G + g]! + row.n;
        w[O * G + g] = w[O * G + g]! + (row.w ?? 0);
        w2[O * G + g] = w2[O * G + g]! + (row.w2 ?? 0);
      }
    }
    estimates.set(
      item.key,
      item.options.map((_, o) =>
        frame.groups.map((__, g) => {
          const count = item.counts[o]![g]!;
          const base = item.base[g]!;
          if (!showsStatistics(count, k) || !showsStatistics(base, k)) return null;
          // Published count × mean weight of the true members (showsStatistics ⇒ at least k of them).
          const scale = (cell: number, published: number) => published / n[cell]!;
          const option = o * G + g;
          const total = O * G + g;
          // Σw² splits into those who chose the option (scaled with the option) and the rest (with the base).
          const chose2 = w2[option]! * scale(option, count);
          const rest2 = Math.max(0, w2[total]! - w2[option]!) * scale(total, base);
          const baseW = w[total]! * scale(total, base);
          // Noise can lift an option above its base (multiple choice): the share stops at 100 %.
          const estimate = weightedShare({
            w: Math.min(w[option]! * scale(option, count), baseW),
            w2: chose2,
            baseW,
            baseW2: chose2 + rest2,
            baseN: base,
          });
          // Kish's n of the base from the base's own sums, so it never exceeds the published base.
          return estimate && { ...estimate, nEffective: baseW ** 2 / (w2[total]! * scale(total, base)) };
        }),
      ),
    );
  }
  return estimates;
}
