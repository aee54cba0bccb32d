import type { ChartDefinition } from './chart-definition.ts';

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

/**
 * A horizontal bar chart: per option a block, per group a bar with its value and n; withheld cells
 * get a hatched stub and the withheld sign instead of a number. Mirrored for Arabic and Farsi.
 */
export function barChartSvg(chart: ChartDefinition): string {
  const format = numberFormat(chart.locale);
  const x = (value: number) => (chart.rtl ? WIDTH - value : value);
  // text-anchor is logical: with direction="rtl", "start" is the right edge, so positions mirror
  // and anchors stay as they are.
  const anchor = (side: 'start' | 'end') => side;
  const direction = chart.rtl ? ' direction="rtl"' : '';
  const text = (at: number, y: number, content: string, options: { size?: number; weight?: string; side?: 'start' | 'end'; fill?: string } = {}) =>
    `<text x="${x(at)}" y="${y}" font-size="${options.size ?? 12}"${options.weight ? ` font-weight="${options.weight}"` : ''} fill="${options.fill ?? '#1a1a1a'}" text-anchor="${anchor(options.side ?? 'start')}"${direction}>${escapeXml(content)}</text>`;

  const maxValue =
    chart.unit === 'percent' ? 100 : Math.max(1, ...chart.series.flatMap((series) => series.bars.map((bar) => bar.value ?? 0)));
  const parts: string[] = [];
  let y = MARGIN;
  for (const line of wrap(chart.title, 70)) {
    y += 20;
    parts.push(text(MARGIN, y, line, { size: 17, weight: 'bold' }));
  }
  y += 8;
  parts.push(text(MARGIN, (y += 16), chart.texts.valueLabel, { size: 11, fill: '#555555' }));
  for (const series of chart.series) {
    y += 24;
    parts.push(text(MARGIN, y, series.label, { size: 13, weight: 'bold' }));
    y += 6;
    for (const bar of series.bars) {
      const top = y;
      y += ROW;
      parts.push(text(MARGIN + LABEL_WIDTH - 8, top + BAR_HEIGHT - 3, bar.group, { size: 12, side: 'end' }));
      const barStart = MARGIN + LABEL_WIDTH;
      if (bar.suppressed) {
        const from = chart.rtl ? x(barStart) - 24 : barStart;
        parts.push(`<rect x="${from}" y="${top}" width="24" height="${BAR_HEIGHT}" fill="url(#withheld)" stroke="#777777" stroke-width="0.5"/>`);
        parts.push(text(barStart + 32, top + BAR_HEIGHT - 3, `${chart.texts.suppressed}`, { size: 12, fill: '#555555' }));
        continue;
      }
      const length = bar.value === null ? 0 : Math.max(bar.value > 0 ? 1 : 0, (bar.value / maxValue) * BAR_MAX);
      const from = chart.rtl ? x(barStart) - length : barStart;
      parts.push(`<rect x="${from.toFixed(1)}" y="${top}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="#2f6f9f"/>`);
      const valueText =
        bar.value === null ? '–' : chart.unit === 'percent' ? `${format.format(bar.value)} %` : format.format(bar.value);
      const nText = bar.n === null ? '' : ` (n = ${format.format(bar.n)})`;
      parts.push(text(barStart + length + 8, top + BAR_HEIGHT - 3, `${valueText}${nText}`, { size: 12 }));
    }
  }
  y += 30;
  parts.push(text(MARGIN, y, chart.texts.caption, { size: 12 }));
  y += 18;
  parts.push(text(MARGIN, y, chart.texts.legend, { size: 11, fill: '#555555' }));
  const height = y + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(chart.title)}">`,
    '<defs><pattern id="withheld" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#777777" stroke-width="2"/></pattern></defs>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
