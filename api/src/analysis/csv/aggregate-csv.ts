import type { ItemTable } from '../aggregate-table.ts';
import { ALL, DIMENSIONS } from '../breakdown.ts';
import type { AnalysisLabels } from '../labels.ts';
import type { Aggregate } from '../service.ts';
import type { WeightedEstimate } from '../../weighting/weighted-share.ts';
import type { WeightedEstimates } from '../weighted-aggregate.ts';
import type { CsvValue } from './csv-writer.ts';

export const AGGREGATE_COLUMNS = [
  'question',
  'question_label',
  'option',
  'option_label',
  'district',
  'target_group',
  'mode',
  'locale',
  'n',
  'base',
  'share',
  'mean',
  'median',
  'suppressed',
] as const;

/** With `weights=raked`: the weighted estimate beside the unweighted n and base (weighting/weighted-share.ts). */
export const WEIGHTED_COLUMNS = ['weighted_share', 'ci_low', 'ci_high', 'n_effective'] as const;

/** The code a margin gets in exports ("all districts"). */
export const ALL_CODE = '_all';

const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));

/**
 * Long format, one record per question × option × group. Dimensions not asked for stay empty; a
 * margin is `_all`. Groups in which nobody answered the question are left out (all their counts are 0).
 * n and base are published counts (cell key method: perturbed, never 1 … k−1, so options need not
 * add up to the base). `suppressed = 1` marks a record whose share, mean and median are withheld
 * because its published base does not show k members.
 */
export function* aggregateRecords(aggregate: Aggregate, labels: AnalysisLabels, weighted?: WeightedEstimates): Generator<CsvValue[][]> {
  const { frame } = aggregate;
  const dimensionCells = (g: number) =>
    DIMENSIONS.map((dim) => {
      if (!frame.dims.includes(dim)) return null;
      const value = frame.groups[g]![dim]!;
      return value === ALL ? ALL_CODE : value;
    });
  for (const item of aggregate.items) {
    const records: CsvValue[][] = [];
    const questionLabel = labels.question(item);
    frame.groups.forEach((_, g) => {
      const base = item.base[g]!;
      if (base === 0) return;
      const dims = dimensionCells(g);
      if (item.kind === 'single' || item.kind === 'multiple') {
        item.options.forEach((option, o) => {
          const n = item.counts[o]![g]!;
          const share = item.shares[o]![g] ?? null;
          records.push([
            item.key,
            questionLabel,
            option.code,
            labels.option(option),
            ...dims,
            n,
            base,
            round(share, 4),
            null,
            null,
            share === null ? 1 : 0,
            ...(weighted ? weightedCells(weighted.get(item.key)?.[o]?.[g] ?? null) : []),
          ]);
        });
      } else {
        records.push([
          item.key,
          questionLabel,
          null,
          null,
          ...dims,
          base,
          null,
          null,
          item.kind === 'number' ? round(item.mean[g]!, 2) : null,
          item.kind === 'number' ? round(item.median[g]!, 2) : null,
          item.kind === 'number' && item.mean[g] === null ? 1 : 0,
          ...(weighted ? weightedCells(null) : []),
        ]);
      }
    });
    yield records;
  }
}

/** The weighted columns of one record; empty where withheld (or not a share: numbers, free text). */
function weightedCells(estimate: WeightedEstimate | null): CsvValue[] {
  if (!estimate) return [null, null, null, null];
  return [round(estimate.share, 6), round(estimate.ciLow, 6), round(estimate.ciHigh, 6), round(estimate.nEffective, 2)];
}

export type { ItemTable };
