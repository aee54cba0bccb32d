import type { AnalysisLabels } from '../labels.ts';
import type { Aggregate } from '../service.ts';
import type { WeightedEstimates } from '../weighted-aggregate.ts';
import type { CsvValue } from './csv-writer.ts';

/** What a crosstab cell shows: the share of the column's base in percent, or the count. */
export type CrosstabValue = 'percent' | 'n';

/** German statistics' sign for "withheld for confidentiality" (Destatis: "geheim zu halten"): a share, mean or median withheld. */
export const SUPPRESSED_MARK = '.';

export function crosstabHeader(aggregate: Aggregate, labels: AnalysisLabels): string[] {
  const t = labels.t;
  return [
    t('analysis.columns.question'),
    t('analysis.columns.question_label'),
    t('analysis.columns.option'),
    t('analysis.columns.option_label'),
    t('analysis.columns.unit'),
    ...aggregate.frame.groups.map((group) => labels.group(aggregate.frame.dims, group)),
  ];
}

/**
 * Wide format for reading in a spreadsheet: one column per group (total first), per question a
 * base row and one row per option; number questions give n, mean and median; free text the number
 * of non-empty answers. Counts are published counts (cell key method); a share, mean or median
 * withheld because its published base does not show k members shows ".".
 */
export function* crosstabRecords(
  aggregate: Aggregate,
  labels: AnalysisLabels,
  value: CrosstabValue,
  /** With `weights=raked`: option rows give the weighted percentage, and a row `_n_effective` follows the base. */
  weighted?: WeightedEstimates,
): Generator<CsvValue[][]> {
  const t = labels.t;
  const percent = (share: number | null, base: number) => {
    if (base === 0) return null;
    return share === null ? SUPPRESSED_MARK : Number((share * 100).toFixed(1));
  };
  for (const item of aggregate.items) {
    const label = labels.question(item);
    const records: CsvValue[][] = [];
    if (item.kind === 'single' || item.kind === 'multiple') {
      records.push([item.key, label, '_base', t('analysis.base'), t('analysis.unit.count'), ...item.base]);
      const estimates = weighted?.get(item.key);
      if (estimates) {
        const nEffective = item.base.map((base, g) => {
          if (base === 0) return null;
          const estimate = estimates.map((row) => row[g]).find((candidate) => candidate);
          return estimate ? Number(estimate.nEffective.toFixed(1)) : SUPPRESSED_MARK;
        });
        records.push([item.key, label, '_n_effective', t('analysis.n_effective'), t('analysis.unit.count'), ...nEffective]);
      }
      item.options.forEach((option, o) => {
        const counts = item.counts[o]!;
        const weightedPercent = (g: number) => {
          if (item.base[g] === 0) return null;
          const estimate = estimates?.[o]?.[g];
          return estimate ? Number((estimate.share * 100).toFixed(1)) : SUPPRESSED_MARK;
        };
        const cells =
          value === 'n' ? counts : counts.map((_, g) => (estimates ? weightedPercent(g) : percent(item.shares[o]![g] ?? null, item.base[g]!)));
        records.push([item.key, label, option.code, labels.option(option), t(value === 'n' ? 'analysis.unit.count' : estimates ? 'analysis.unit.weighted_percent' : 'analysis.unit.percent'), ...cells]);
      });
    } else if (item.kind === 'number') {
      records.push([item.key, label, '_n', t('analysis.n'), t('analysis.unit.count'), ...item.base]);
      // No mean where nobody answered (empty), "." where the published n does not show k members.
      const statistic = (values: (number | null)[]) =>
        values.map((statisticValue, g) =>
          item.base[g] === 0 ? null : statisticValue === null ? SUPPRESSED_MARK : Number(statisticValue.toFixed(2)),
        );
      records.push([item.key, label, '_mean', t('analysis.mean'), t('analysis.unit.value'), ...statistic(item.mean)]);
      records.push([item.key, label, '_median', t('analysis.median'), t('analysis.unit.value'), ...statistic(item.median)]);
    } else {
      records.push([item.key, label, '_answered', t('analysis.answered'), t('analysis.unit.count'), ...item.base]);
    }
    yield records;
  }
}
