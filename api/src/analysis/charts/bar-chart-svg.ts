import type { ChartBar, ChartDefinition } from '../../shared/analysis.ts';

/** Fonts shipped with the app (Debian fonts-dejavu-core): sharp's renderer finds them, so PNG text is real text. */
const FONT = "'DejaVu Sans', sans-serif";
const WIDTH = 860;
const MARGIN = 24;
const LABEL_WIDTH = 230;
const BAR_MAX = 400;
const ROW = 22;
const BAR_HEIGHT = 15;

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

/** Breaks a long title into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.slice(0, 4);
}

function numberFormat(locale: string) {
  const tag = locale === 'de-x-easy' ? 'de' : locale;
  return new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
}

type ChartLine = { kind: 'heading'; label: string } | { kind: 'bar'; bar: ChartBar };

/** Bars per column before the chart is split into side-by-side columns. */
const ROWS_PER_COLUMN = 60;
const MAX_COLUMNS = 3;
/** Shorter bars in a faceted chart keep it about as wide as it is tall. */
const FACET_BAR_MAX = 260;
/** Room for a bar's value and n after the longest bar. */
const VALUE_TEXT_WIDTH = 150;

/** DejaVu Sans at 12 px averages under 7 px a character; group labels get as much room as the longest needs, within bounds. */
const LABEL_CHAR_PX = 7;
const LABEL_MAX_WIDTH = 460;

interface Layout {
  columns: ChartLine[][];
  barMax: number;
  labelWidth: number;
}

const facetWidth = (layout: Layout) => layout.labelWidth + layout.barMax + VALUE_TEXT_WIDTH;

/** A group label cut to what its column holds (crossed groups such as "district · target group" run long). */
function fitLabel(label: string, labelWidth: number): string {
  const chars = Math.floor((labelWidth - 8) / LABEL_CHAR_PX);
  return label.length <= chars ? label : `${label.slice(0, chars - 1).trimEnd()}…`;
}

/**
 * Crossing two groupings (district × target group) gives hundreds of bars: one column of them was
 * 1720 × 14880 px as PNG, unreadable on screen and unprintable. Past ROWS_PER_COLUMN bars the lines
 * flow into up to MAX_COLUMNS columns of equal length, and an option that continues in the next
 * column repeats its heading there.
 */
function facetLayout(chart: ChartDefinition): Layout {
  const bars = chart.series.reduce((sum, series) => sum + series.bars.length, 0);
  const count = Math.min(MAX_COLUMNS, Math.max(1, Math.ceil(bars / ROWS_PER_COLUMN)));
  const perColumn = Math.ceil(bars / count);
  const columns: ChartLine[][] = [[]];
  let inColumn = 0;
  for (const series of chart.series) {
    series.bars.forEach((bar, index) => {
      if (inColumn === perColumn && columns.length < count) {
        columns.push([]);
        inColumn = 0;
      }
      // Each option's heading at its start, and again where it continues in a new column.
      if (index === 0 || inColumn === 0) columns.at(-1)!.push({ kind: 'heading', label: series.label });
      columns.at(-1)!.push({ kind: 'bar', bar });
      inColumn += 1;
    });
    if (series.bars.length === 0) columns.at(-1)!.push({ kind: 'heading', label: series.label });
  }
  const longest = Math.max(0, ...chart.series.flatMap((series) => series.bars.map((bar) => bar.group.length)));
  const labelWidth = Math.min(LABEL_MAX_WIDTH, Math.max(LABEL_WIDTH, longest * LABEL_CHAR_PX + 8));
  return { columns, barMax: count > 1 ? FACET_BAR_MAX : BAR_MAX, labelWidth };
}

/**
 * A horizontal bar chart: per option a block, per group a bar with its value and n; withheld cells
 * get a hatched stub and the withheld sign instead of a number. Mirrored for Arabic and Farsi.
 */
export function barChartSvg(chart: ChartDefinition): string {
  const format = numberFormat(chart.locale);
  // text-anchor is logical: with direction="rtl", "start" is the right edge, so positions mirror
  // and anchors stay as they are.
  const anchor = (side: 'start' | 'end') => side;
  const direction = chart.rtl ? ' direction="rtl"' : '';
  const maxValue =
    chart.unit === 'percent' ? 100 : Math.max(1, ...chart.series.flatMap((series) => series.bars.map((bar) => bar.value ?? 0)));
  const layout = facetLayout(chart);
  const { columns, barMax, labelWidth } = layout;
  const width = Math.max(WIDTH, 2 * MARGIN + columns.length * facetWidth(layout));
  // Positions mirror against this chart's own width (facets widen it).
  const x = (value: number) => (chart.rtl ? width - value : value);
  const text = (at: number, y: number, content: string, options: { size?: number; weight?: string; side?: 'start' | 'end'; fill?: string } = {}) =>
    `<text x="${x(at)}" y="${y}" font-size="${options.size ?? 12}"${options.weight ? ` font-weight="${options.weight}"` : ''} fill="${options.fill ?? '#1a1a1a'}" text-anchor="${anchor(options.side ?? 'start')}"${direction}>${escapeXml(content)}</text>`;
  const parts: string[] = [];
  let y = MARGIN;
  for (const line of wrap(chart.title, 70)) {
    y += 20;
    parts.push(text(MARGIN, y, line, { size: 17, weight: 'bold' }));
  }
  y += 8;
  parts.push(text(MARGIN, (y += 16), chart.texts.valueLabel, { size: 11, fill: '#555555' }));
  const columnsTop = y;
  let bottom = y;
  columns.forEach((lines, column) => {
    const left = MARGIN + column * facetWidth(layout);
    y = columnsTop;
    for (const line of lines) {
      if (line.kind === 'heading') {
        y += 24;
        parts.push(text(left, y, line.label, { size: 13, weight: 'bold' }));
        y += 6;
        continue;
      }
      const bar = line.bar;
      const top = y;
      y += ROW;
      parts.push(text(left + labelWidth - 8, top + BAR_HEIGHT - 3, fitLabel(bar.group, labelWidth), { size: 12, side: 'end' }));
      const barStart = left + labelWidth;
      if (bar.suppressed) {
        const from = chart.rtl ? x(barStart) - 24 : barStart;
        parts.push(`<rect x="${from}" y="${top}" width="24" height="${BAR_HEIGHT}" fill="url(#withheld)" stroke="#777777" stroke-width="0.5"/>`);
        parts.push(text(barStart + 32, top + BAR_HEIGHT - 3, `${chart.texts.suppressed}`, { size: 12, fill: '#555555' }));
        continue;
      }
      const length = bar.value === null ? 0 : Math.max(bar.value > 0 ? 1 : 0, (bar.value / maxValue) * barMax);
      const from = chart.rtl ? x(barStart) - length : barStart;
      parts.push(`<rect x="${from.toFixed(1)}" y="${top}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="#2f6f9f"/>`);
      const valueText =
        bar.value === null ? '–' : chart.unit === 'percent' ? `${format.format(bar.value)} %` : format.format(bar.value);
      const nText = bar.n === null ? '' : ` (n = ${format.format(bar.n)})`;
      parts.push(text(barStart + length + 8, top + BAR_HEIGHT - 3, `${valueText}${nText}`, { size: 12 }));
    }
    bottom = Math.max(bottom, y);
  });
  y = bottom + 30;
  parts.push(text(MARGIN, y, chart.texts.caption, { size: 12 }));
  y += 18;
  parts.push(text(MARGIN, y, chart.texts.legend, { size: 11, fill: '#555555' }));
  const height = y + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(chart.title)}">`,
    '<defs><pattern id="withheld" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#777777" stroke-width="2"/></pattern></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
