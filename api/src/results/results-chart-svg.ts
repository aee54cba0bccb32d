import { escapeHtml } from './html.ts';

export interface ChartBar {
  label: string;
  /** 0…1, or null: nothing to show (too few answers). */
  value: number | null;
  /** What stands beside the bar: "45 %" or "too few answers to show". */
  text: string;
}

const WIDTH = 640;
const ROW = 44;
const LABEL_GAP = 16;

/**
 * A horizontal bar chart as inline SVG, one bar per option. It is an image with a name
 * (role="img", <title>) that points to the table beside it: the table is the accessible form of the
 * same numbers, the chart is for the eye. Right to left, the bars grow from the right.
 */
export function resultsChartSvg(options: { id: string; title: string; bars: ChartBar[]; rtl: boolean }): string {
  const { bars, rtl } = options;
  const height = bars.length * ROW + 8;
  const barMax = WIDTH - 140;
  const x = (left: number, width: number) => (rtl ? WIDTH - left - width : left);
  // With direction="rtl", "start" is the right-hand end of a text: the same anchor both ways.
  const anchor = 'start';
  const rows = bars.map((bar, index) => {
    const top = index * ROW + 4;
    const width = bar.value === null ? 0 : Math.max(bar.value * barMax, bar.value > 0 ? 2 : 0);
    const label = `<text x="${x(0, 0)}" y="${top + 12}" text-anchor="${anchor}" class="chart-label">${escapeHtml(bar.label)}</text>`;
    const rect = width > 0 ? `<rect x="${x(0, width).toFixed(1)}" y="${top + 18}" width="${width.toFixed(1)}" height="18" class="chart-bar"/>` : '';
    const valueX = rtl ? WIDTH - width - LABEL_GAP / 2 : width + LABEL_GAP / 2;
    const value = `<text x="${valueX.toFixed(1)}" y="${top + 32}" text-anchor="${anchor}" class="chart-value">${escapeHtml(bar.text)}</text>`;
    return `<g>${label}${rect}${value}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${options.id}-title" class="chart"${rtl ? ' direction="rtl"' : ''}><title id="${options.id}-title">${escapeHtml(options.title)}</title>${rows.join('')}</svg>`;
}
