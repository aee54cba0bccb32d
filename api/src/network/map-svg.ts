import { nodeRadius, paletteColor, type NetworkColorMode, type NetworkPosition, type NetworkSizeMetric } from '../shared/network-map.ts';
import type { NetworkAnalysis, NetworkNode } from './analysis.ts';
import { ACTOR_KINDS } from './codes.ts';

/** Fonts shipped with the app (Debian fonts-dejavu-core), as for the charts: sharp finds them, so PNG text is real text. */
const FONT = "'DejaVu Sans', sans-serif";
const MARGIN = 24;
const LEGEND_WIDTH = 250;
const TITLE_HEIGHT = 34;
/** Names written beside the largest points; the rest are in the details and the table. */
const LABELLED = 15;

export interface MapTexts {
  title: string;
  /** "Colour: kind of actor" / "Colour: community". */
  colorHeading: string;
  sizeHeading: string;
  kindLabel: (code: string) => string;
  communityLabel: (number: number) => string;
}

export interface MapSvgOptions {
  width: number;
  height: number;
  size: NetworkSizeMetric;
  color: NetworkColorMode;
  positions: Map<string, NetworkPosition>;
  texts: MapTexts;
}

const escapeXml = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

const fixed = (value: number) => (Math.round(value * 10) / 10).toString();

export const kindIndex = (kind: string) => Math.max(0, (ACTOR_KINDS as readonly string[]).indexOf(kind));
export const nodeColor = (node: Pick<NetworkNode, 'kind' | 'community'>, mode: NetworkColorMode) =>
  paletteColor(mode === 'kind' ? kindIndex(node.kind) : node.community);

/**
 * The network map as an SVG for the report: one `<circle class="node">` per actor (with its name as
 * `<title>`), the ties as lines, the names of the largest points, and a legend of the colours.
 * Positions come from the layout (unit square); the drawing keeps their aspect ratio.
 */
export function networkMapSvg(analysis: NetworkAnalysis, options: MapSvgOptions): string {
  const { width, height, texts } = options;
  const drawWidth = Math.max(50, width - LEGEND_WIDTH - 3 * MARGIN);
  const drawHeight = Math.max(50, height - TITLE_HEIGHT - 2 * MARGIN);
  const side = Math.min(drawWidth, drawHeight);
  const maxR = Math.max(4, Math.min(22, side / Math.sqrt(Math.max(1, analysis.nodes.length)) / 2));
  const minR = Math.max(2, maxR / 4);
  const left = MARGIN + maxR + (drawWidth - side) / 2;
  const top = TITLE_HEIGHT + MARGIN + maxR + (drawHeight - side) / 2;
  const inner = Math.max(1, side - 2 * maxR);
  const at = (id: string) => {
    const p = options.positions.get(id) ?? { x: 0.5, y: 0.5 };
    return { x: left + p.x * inner, y: top + p.y * inner };
  };
  const value = (node: NetworkNode) => node[options.size];
  const topValue = Math.max(0, ...analysis.nodes.map((node) => value(node) ?? 0));
  const radius = (node: NetworkNode) => nodeRadius(value(node), topValue, minR, maxR);

  const edges = analysis.edges.map((edge) => {
    const a = at(edge.source);
    const b = at(edge.target);
    return `<line x1="${fixed(a.x)}" y1="${fixed(a.y)}" x2="${fixed(b.x)}" y2="${fixed(b.y)}"/>`;
  });
  // Small points last, so that a large one never hides a small one.
  const drawOrder = [...analysis.nodes].sort((a, b) => radius(b) - radius(a) || (a.id < b.id ? -1 : 1));
  const nodes = drawOrder.map((node) => {
    const p = at(node.id);
    return `<circle class="node" data-id="${escapeXml(node.id)}" cx="${fixed(p.x)}" cy="${fixed(p.y)}" r="${fixed(radius(node))}" fill="${nodeColor(node, options.color)}"><title>${escapeXml(node.name)}</title></circle>`;
  });
  const labelled = [...analysis.nodes]
    .sort((a, b) => (value(b) ?? 0) - (value(a) ?? 0) || a.name.localeCompare(b.name))
    .slice(0, LABELLED)
    .map((node) => {
      const p = at(node.id);
      const name = node.name.length > 32 ? `${node.name.slice(0, 31)}…` : node.name;
      return `<text x="${fixed(p.x + radius(node) + 3)}" y="${fixed(p.y + 4)}">${escapeXml(name)}</text>`;
    });

  // The legend: the colours in use, in the order of their code or number.
  const used =
    options.color === 'kind'
      ? [...new Set(analysis.nodes.map((node) => node.kind))].sort((a, b) => kindIndex(a) - kindIndex(b)).map((kind) => ({ color: paletteColor(kindIndex(kind)), label: texts.kindLabel(kind) }))
      : [...new Set(analysis.nodes.map((node) => node.community))].sort((a, b) => a - b).map((community) => ({ color: paletteColor(community), label: texts.communityLabel(community) }));
  const legendX = width - LEGEND_WIDTH - MARGIN;
  const rows = Math.max(1, Math.floor((height - TITLE_HEIGHT - MARGIN - 80) / 20));
  const shown = used.length > rows ? [...used.slice(0, rows - 1), { color: '#ffffff', label: '…' }] : used;
  const legend = shown.map((entry, index) => {
    const y = TITLE_HEIGHT + MARGIN + 28 + index * 20;
    const label = entry.label.length > 34 ? `${entry.label.slice(0, 33)}…` : entry.label;
    return `<rect class="swatch" x="${legendX}" y="${y - 10}" width="12" height="12" fill="${entry.color}" stroke="#333"/><text x="${legendX + 18}" y="${y}">${escapeXml(label)}</text>`;
  });
  const sizeY = TITLE_HEIGHT + MARGIN + 28 + shown.length * 20 + 16;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" role="img" aria-label="${escapeXml(texts.title)}">`,
    `<title>${escapeXml(texts.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 8}" font-size="16" font-weight="bold">${escapeXml(texts.title)}</text>`,
    `<g class="edges" stroke="#9a9a9a" stroke-width="1" stroke-opacity="0.7">${edges.join('')}</g>`,
    `<g class="nodes" stroke="#333333" stroke-width="1">${nodes.join('')}</g>`,
    `<g class="labels" fill="#1a1a1a" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">${labelled.join('')}</g>`,
    `<g class="legend" fill="#1a1a1a"><text x="${legendX}" y="${TITLE_HEIGHT + MARGIN + 6}" font-weight="bold">${escapeXml(texts.colorHeading)}</text>${legend.join('')}`,
    `<text x="${legendX}" y="${sizeY}" font-weight="bold">${escapeXml(texts.sizeHeading)}</text></g>`,
    '</svg>',
    '',
  ].join('\n');
}
