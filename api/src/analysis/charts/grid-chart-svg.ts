import { gridReference, heatColour, type BreakdownGrid, type GridCell } from '../../shared/breakdown-grid.ts';

/** The breakdown grid as an image for the report: the dashboard's grid (shared/breakdown-grid.ts), drawn as SVG. */
export interface GridChartTexts {
  title: string;
  /** What the cells hold ("Share of respondents in percent · Yes"). */
  valueLabel: string;
  rowHeading: string;
  suppressed: string;
  caption: string;
  legend: string;
  heatLegend: string;
}

const FONT = "'DejaVu Sans', sans-serif";
const MARGIN = 24;
const CHAR_PX = 7;
const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, Math.max(1, width - 1))}…`;
    return kept;
  }
  return lines;
}

export function gridChartSvg(grid: BreakdownGrid, texts: GridChartTexts, options: { locale: string; rtl: boolean; showInterval: boolean }): string {
  const tag = options.locale === 'de-x-easy' ? 'de' : options.locale;
  const percent = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const reference = gridReference(grid);
  const rows = [grid.total, ...grid.rows];
  const longestRow = Math.max(...rows.map((row) => row.label.length), texts.rowHeading.length);
  const labelWidth = Math.min(320, Math.max(180, longestRow * CHAR_PX + 16));
  const columnWidth = 118;
  const headerLines = grid.columns.map((column) => wrap(column.label, Math.floor((columnWidth - 12) / CHAR_PX), 3));
  const headerHeight = 16 * Math.max(1, ...headerLines.map((lines) => lines.length)) + 10;
  const rowHeight = options.showInterval && grid.weighted ? 52 : 40;
  const width = Math.max(640, 2 * MARGIN + labelWidth + grid.columns.length * columnWidth);
  const x = (value: number) => (options.rtl ? width - value : value);
  const direction = options.rtl ? ' direction="rtl"' : '';
  const text = (at: number, y: number, content: string, style: { size?: number; weight?: string; anchor?: 'start' | 'middle' | 'end'; fill?: string } = {}) =>
    `<text x="${x(at).toFixed(1)}" y="${y}" font-size="${style.size ?? 12}"${style.weight ? ` font-weight="${style.weight}"` : ''} fill="${style.fill ?? '#1a1a1a'}" text-anchor="${style.anchor ?? 'start'}"${direction}>${escapeXml(content)}</text>`;
  const rect = (from: number, y: number, w: number, h: number, attributes: string) =>
    `<rect x="${(options.rtl ? width - from - w : from).toFixed(1)}" y="${y}" width="${w}" height="${h}" ${attributes}/>`;
  const parts: string[] = [];
  let y = MARGIN;
  for (const line of wrap(texts.title, 80, 3)) parts.push(text(MARGIN, (y += 20), line, { size: 17, weight: 'bold' }));
  parts.push(text(MARGIN, (y += 22), texts.valueLabel, { size: 12, fill: '#444444' }));
  const top = y + 14;
  const gridLeft = MARGIN + labelWidth;
  // Column headings, wrapped, bottom-aligned above their column.
  parts.push(text(MARGIN, top + headerHeight - 8, texts.rowHeading, { size: 12, weight: 'bold' }));
  headerLines.forEach((lines, c) => {
    const centre = gridLeft + c * columnWidth + columnWidth / 2;
    lines.forEach((line, l) => parts.push(text(centre, top + headerHeight - 8 - (lines.length - 1 - l) * 16, line, { size: 12, weight: 'bold', anchor: 'middle' })));
  });
  const cellParts = (cell: GridCell, left: number, rowTop: number): string[] => {
    const centre = left + columnWidth / 2;
    if (cell.state === 'empty') return [rect(left + 1, rowTop + 1, columnWidth - 2, rowHeight - 2, 'fill="#f4f4f4"'), text(centre, rowTop + rowHeight / 2 + 4, '–', { size: 12, anchor: 'middle', fill: '#555555' })];
    if (cell.state === 'withheld') {
      return [
        rect(left + 1, rowTop + 1, columnWidth - 2, rowHeight - 2, 'fill="url(#withheld)" stroke="#999999" stroke-width="0.5"'),
        rect(left + 8, rowTop + rowHeight / 2 - 9, columnWidth - 16, 18, 'fill="#ffffff"'),
        text(centre, rowTop + rowHeight / 2 + 4, texts.suppressed, { size: 11, anchor: 'middle', fill: '#333333' }),
      ];
    }
    const out = [
      rect(left + 1, rowTop + 1, columnWidth - 2, rowHeight - 2, `fill="${heatColour(cell.share, reference)}"`),
      text(centre, rowTop + 18, `${percent.format(cell.share * 100)} %`, { size: 13, weight: 'bold', anchor: 'middle' }),
      text(centre, rowTop + 32, `n = ${whole.format(cell.n)}`, { size: 10, anchor: 'middle', fill: '#333333' }),
    ];
    if (options.showInterval && cell.ciLow !== null && cell.ciHigh !== null) {
      const interval = `95 %: ${percent.format(cell.ciLow * 100)}–${percent.format(cell.ciHigh * 100)}`;
      // Kept left to right inside Arabic and Farsi text (an isolate), or the bidi algorithm reorders its numbers.
      out.push(text(centre, rowTop + 45, options.rtl ? `\u2066${interval}\u2069` : interval, { size: 10, anchor: 'middle', fill: '#333333' }));
    }
    return out;
  };
  y = top + headerHeight;
  rows.forEach((row, r) => {
    const rowTop = y;
    const label = row.label.length * CHAR_PX > labelWidth - 12 ? `${row.label.slice(0, Math.floor((labelWidth - 12) / CHAR_PX) - 1)}…` : row.label;
    parts.push(text(MARGIN, rowTop + rowHeight / 2 + 4, label, { size: 12, weight: r === 0 ? 'bold' : undefined }));
    row.cells.forEach((cell, c) => parts.push(...cellParts(cell, gridLeft + c * columnWidth, rowTop)));
    y += rowHeight;
    // The margin row and column are set apart from the groups.
    if (r === 0) parts.push(`<line x1="${x(MARGIN)}" x2="${x(gridLeft + grid.columns.length * columnWidth)}" y1="${y + 0.5}" y2="${y + 0.5}" stroke="#1a1a1a" stroke-width="1.5"/>`);
  });
  const columnRule = gridLeft + columnWidth;
  parts.push(`<line x1="${x(columnRule)}" x2="${x(columnRule)}" y1="${top}" y2="${y}" stroke="#1a1a1a" stroke-width="1.5"/>`);
  y += 26;
  // Without a published total the scale is the share itself, and the legend's comparison does not apply.
  if (reference !== null) {
    parts.push(text(MARGIN, y, texts.heatLegend, { size: 11, fill: '#444444' }));
    y += 18;
  }
  parts.push(text(MARGIN, y, texts.caption, { size: 12 }));
  for (const line of wrap(texts.legend, 130, 3)) parts.push(text(MARGIN, (y += 16), line, { size: 11, fill: '#444444' }));
  const height = y + MARGIN;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(texts.title)}">`,
    '<defs><pattern id="withheld" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
