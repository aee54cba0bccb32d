/**
 * What the network map on the server (SVG/PNG for the report) and in the dashboard (sigma.js) share:
 * which figure sizes the points, what colours them, and the colours. One place, so the picture in
 * the report and the one on screen read the same way.
 */

/** Figures a point's size can stand for (the names of the node fields in `GET /api/analysis/network`). */
export const NETWORK_SIZE_METRICS = ['degree', 'betweenness', 'closeness', 'eigenvector', 'pagerank', 'brokerage'] as const;
export type NetworkSizeMetric = (typeof NETWORK_SIZE_METRICS)[number];

export const NETWORK_COLOR_MODES = ['kind', 'community'] as const;
export type NetworkColorMode = (typeof NETWORK_COLOR_MODES)[number];

/**
 * Twenty categorical colours (the Tableau/d3 category set). Every point gets a dark outline, so the
 * lighter ones stay visible on white; colour is never the only carrier (legend, details, table).
 * Kinds take them in the order of the code list; communities in their number (0 = the largest);
 * past twenty they repeat.
 */
export const NETWORK_PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
  '#b5179e',
  '#e6550d',
  '#31a354',
  '#756bb1',
  '#0b6e4f',
] as const;

export const paletteColor = (index: number): string => NETWORK_PALETTE[((index % NETWORK_PALETTE.length) + NETWORK_PALETTE.length) % NETWORK_PALETTE.length]!;

/** Point radius between `min` and `max` (in the drawing's units) for a value within [0, top]: by area, not by radius. */
export function nodeRadius(value: number | null, top: number, min: number, max: number): number {
  if (!(top > 0) || value === null || !(value > 0)) return min;
  return min + (max - min) * Math.sqrt(Math.min(1, value / top));
}

/** A point's position on the map, each coordinate between 0 and 1 (y downwards). */
export interface NetworkPosition {
  x: number;
  y: number;
}
