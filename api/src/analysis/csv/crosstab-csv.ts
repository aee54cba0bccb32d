import { shareOf } from '../aggregate-table.ts';
import type { AnalysisLabels } from '../labels.ts';
import type { Aggregate } from '../service.ts';
import type { WeightedEstimates } from '../weighted-aggregate.ts';
import type { CsvValue } from './csv-writer.ts';

/** What a crosstab cell shows: the share of the column's base in percent, or the count. */
export type CrosstabValue = 'percent' | 'n';

/** German statistics' sign for "withheld for confidentiality" (Destatis: "geheim zu halten"). */
export const SUPPRESSED_MARK = '.';

export function crosstabHeader(aggregate: Aggregate, labels: AnalysisLabels): string[] {
  const t = labels.t;
  return [
    t('analysis.columns.question'),
    t('analysis.columns.question_label'),
    t('analysis.columns.option'),
    t('analysis.columns.option_label'),
    ...aggregate.frame.groups.map((group) => labels.group(aggregate.frame.dims, group)),
  ];
}

/**
 * Wide format for reading in a spreadsheet: one column per group (total first), per question a
 * base row and one row per option; number questions give n, mean and median; free text the number
 * of non-empty answers. A suppressed cell shows ".".
 */
export function* crosstabRecords(
  aggregate: Aggregate,
  labels: AnalysisLabels,
  value: CrosstabValue,
  /** With `weights=raked`: option rows give the weighted percentage, and a row `_n_effective` follows the base. */
  weighted?: WeightedEstimates,
): Generator<CsvValue[][]> {
  const t = labels.t;
  const mark = (cell: number | null) => (cell === null ? SUPPRESSED_MARK : cell);
  const percent = (n: number | null, base: number | null) => {
    if (n === null || base === null) return SUPPRESSED_MARK;
    const share = shareOf(n, base);
    return share === null ? null : Number((share * 100).toFixed(1));
  };
  for (const item of aggregate.items) {
    const label = labels.question(item);
    const records: CsvValue[][] = [];
    if (item.kind === 'single' || item.kind === 'multiple') {
      records.push([item.key, label, '_base', t('analysis.base'), ...item.base.map(mark)]);
      const estimates = weighted?.get(item.key);
      if (estimates) {
        const nEffective = item.base.map((base, g) => {
          if (base === null) return SUPPRESSED_MARK;
          const estimate = estimates.map((row) => row[g]).find((candidate) => candidate);
          return estimate ? Number(estimate.nEffective.toFixed(1)) : null;
        });
        records.push([item.key, label, '_n_effective', t('analysis.n_effective'), ...nEffective]);
      }
      item.options.forEach((option, o) => {
        const counts = item.counts[o]!;
        const weightedPercent = (g: number) => {
          const estimate = estimates?.[o]?.[g];
          return estimate ? Number((estimate.share * 100).toFixed(1)) : null;
        };
        const cells =
          value === 'n'
            ? counts.map(mark)
            : counts.map((n, g) => (estimates && n !== null && item.base[g] !== null ? weightedPercent(g) : percent(n, item.base[g]!)));
        records.push([item.key, label, option.code, labels.option(option), ...cells]);
      });
    } else if (item.kind === 'number') {
      records.push([item.key, label, '_n', t('analysis.n'), ...item.base.map(mark)]);
      // No mean where nobody answered (empty), "." where n is withheld.
      const statistic = (values: (number | null)[]) =>
        values.map((statisticValue, g) =>
          item.base[g] === null ? SUPPRESSED_MARK : statisticValue === null ? null : Number(statisticValue.toFixed(2)),
        );
      records.push([item.key, label, '_mean', t('analysis.mean'), ...statistic(item.mean)]);
      records.push([item.key, label, '_median', t('analysis.median'), ...statistic(item.median)]);
    } else {
      records.push([item.key, label, '_answered', t('analysis.answered'), ...item.base.map(mark)]);
    }
    yield records;
  }
}
