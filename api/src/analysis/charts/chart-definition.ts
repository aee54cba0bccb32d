import { RTL_LOCALES } from '../../shared/locales.ts';
import type { ItemTable } from '../aggregate-table.ts';
import { perturbationBound } from '../disclosure/cell-key.ts';
import type { TableFrame } from '../aggregate-table.ts';
import type { AnalysisLabels } from '../labels.ts';
import type { ChartBar, ChartDefinition, ChartSeries } from '../../shared/analysis.ts';

export function chartDefinition(item: ItemTable, frame: TableFrame, labels: AnalysisLabels, k: number): ChartDefinition {
  const t = labels.t;
  const groupLabels = frame.groups.map((group) => labels.group(frame.dims, group));
  const suppressedBar = (group: string, n: number): ChartBar => ({ group, value: null, n, suppressed: true });
  let unit: ChartDefinition['unit'];
  let series: ChartSeries[];
  if (item.kind === 'single' || item.kind === 'multiple') {
    unit = 'percent';
    series = item.options.map((option, o) => ({
      label: labels.option(option),
      bars: groupLabels.map((group, g) => {
        const base = item.base[g]!;
        const share = item.shares[o]![g] ?? null;
        if (base === 0) return { group, value: null, n: 0, suppressed: false };
        if (share === null) return suppressedBar(group, base);
        return { group, value: share * 100, n: base, suppressed: false };
      }),
    }));
  } else if (item.kind === 'number') {
    unit = 'mean';
    series = [
      {
        label: t('analysis.mean'),
        bars: groupLabels.map((group, g) =>
          item.base[g] !== 0 && item.mean[g] === null
            ? suppressedBar(group, item.base[g]!)
            : { group, value: item.mean[g] ?? null, n: item.base[g]!, suppressed: false },
        ),
      },
    ];
  } else {
    unit = 'count';
    series = [
      {
        label: t('analysis.answered'),
        bars: groupLabels.map((group, g) =>
          ({ group, value: item.base[g]!, n: item.base[g]!, suppressed: false }),
        ),
      },
    ];
  }
  const totalN = item.base[0] ?? 0;
  return {
    title: labels.question(item),
    unit,
    series,
    totalN,
    k,
    locale: labels.locale,
    rtl: RTL_LOCALES.has(labels.locale),
    texts: {
      caption: t('analysis.chart.caption', { n: totalN }),
      suppressed: t('analysis.chart.suppressed'),
      legend: t('analysis.chart.legend', { k, min: k + perturbationBound(k) }),
      valueLabel: t(`analysis.chart.unit_${unit}`),
    },
  };
}
