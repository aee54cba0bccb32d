import { h } from '../shared/dom.ts';
import type { ChartDefinition } from './api.ts';

/**
 * The dashboard's drawing of a chart definition: the same definition the server turns into the
 * SVG/PNG for reports, so both show the same bars, n and withheld marks. Plain HTML (a table with
 * bars) rather than a picture: screen readers read it, and it mirrors by itself in Arabic and Farsi.
 */
export function renderBarChart(chart: ChartDefinition, locale: string): HTMLElement {
  const format = new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { maximumFractionDigits: 1 });
  const max =
    chart.unit === 'percent' ? 100 : Math.max(1, ...chart.series.flatMap((series) => series.bars.map((bar) => bar.value ?? 0)));
  const blocks = chart.series.map((series) => {
    const rows = series.bars.map((bar) => {
      if (bar.suppressed) {
        return h(
          'tr',
          { class: 'withheld' },
          h('th', { scope: 'row' }, bar.group),
          h('td', { class: 'bar-cell' }, h('span', { class: 'bar bar-withheld', 'aria-hidden': 'true' })),
          h('td', { class: 'value' }, `• ${chart.texts.suppressed}`),
        );
      }
      const width = bar.value === null ? 0 : Math.max(bar.value > 0 ? 0.5 : 0, (bar.value / max) * 100);
      const value = bar.value === null ? '–' : chart.unit === 'percent' ? `${format.format(bar.value)} %` : format.format(bar.value);
      const n = bar.n === null ? '' : ` (n = ${format.format(bar.n)})`;
      const fill = h('span', { class: 'bar', 'aria-hidden': 'true' });
      fill.style.inlineSize = `${width.toFixed(1)}%`;
      return h('tr', {}, h('th', { scope: 'row' }, bar.group), h('td', { class: 'bar-cell' }, fill), h('td', { class: 'value' }, `${value}${n}`));
    });
    return h('table', { class: 'bar-chart' }, h('caption', {}, series.label), h('tbody', {}, ...rows));
  });
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, h('strong', {}, chart.title), h('br'), chart.texts.valueLabel),
    ...blocks,
    h('p', { class: 'chart-caption' }, chart.texts.caption),
    h('p', { class: 'chart-legend' }, `• ${chart.texts.legend}`),
  );
}
