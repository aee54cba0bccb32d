/**
 * The breakdown grid of one answer option: rows × columns = the values of two dimensions (target
 * groups × districts by default), each cell the share the server published for that group. Built
 * from the aggregate JSON (`GET /api/analysis/:slug/aggregate?by=<rows>,<columns>`) by the dashboard
 * and, from the same JSON, by the chart route for the grid image, so screen and report agree.
 *
 * Nothing here computes a number the server did not publish: a share is `shares` (or `weighted`)
 * as served, a withheld share stays withheld, and an empty group (published base 0) is only folded
 * away or shown as empty. Pure functions, no DOM: the front end and the API both import this.
 */

/** The part of the aggregate JSON a grid reads (the server's `aggregateJson`). */
export interface AggregateResponse {
  k: number;
  by: readonly string[];
  /** Each dimension's values with labels, in the server's order (margins not included). */
  dimensions: Record<string, { code: string; label: string }[]>;
  groups: { key: Record<string, string | null | undefined>; label: string }[];
  items: {
    key: string;
    type: string;
    label: string;
    base: number[];
    options: {
      code: string;
      label: string;
      /** Published share per group; null = withheld. (`undefined` only in the type: the JSON always has it.) */
      shares: (number | null)[] | undefined;
      weighted?: ({ share: number; ciLow: number; ciHigh: number; nEffective: number } | null)[];
    }[];
  }[];
  weights?: 'raked';
}

export type GridCell =
  /** share in 0 … 1; the interval only in the weighted view; n = the group's published base. */
  | { state: 'value'; share: number; ciLow: number | null; ciHigh: number | null; n: number }
  /** The published base does not carry a share (too few answers): the server sent none. */
  | { state: 'withheld'; n: number }
  /** Nobody in this group answered the question (published base 0). */
  | { state: 'empty' };

export interface GridLine {
  /** The dimension value; null for the margin ("all districts", "all respondents"). */
  code: string | null;
  label: string;
  /** True when every cell of the line is empty: folded away unless empty groups are shown. */
  empty: boolean;
}

export interface GridRow extends GridLine {
  /** One per column of `columns`, in that order. */
  cells: GridCell[];
}

/** What a sort key names: the row labels, or a column by its code (`_total` for the margin). */
export interface GridSort {
  by: 'label' | string;
  direction: 'ascending' | 'descending';
}

export const TOTAL_COLUMN = '_total';

export interface GridOptions {
  rows: string;
  columns: string;
  /** The option whose share the cells show. */
  option: string;
  weighted: boolean;
  showEmpty: boolean;
  sort: GridSort | null;
}

export interface BreakdownGrid {
  question: { key: string; label: string };
  option: { code: string; label: string };
  options: { code: string; label: string }[];
  rowDimension: string;
  columnDimension: string;
  weighted: boolean;
  /** The margin column first, then the column dimension's values (empty ones folded unless shown). */
  columns: GridLine[];
  /** The margin row ("all …") first and never sorted, then the row dimension's values. */
  total: GridRow;
  rows: GridRow[];
  hiddenRows: number;
  hiddenColumns: number;
  sort: GridSort | null;
  k: number;
}

export class GridInputError extends Error {
  constructor(
    readonly code: 'grid_dimensions' | 'grid_question' | 'grid_option',
    message: string,
  ) {
    super(message);
    this.name = 'GridInputError';
  }
}

const ALL_KEY = '\u0000all';
const cellId = (row: string | null, column: string | null) => `${row ?? ALL_KEY}\u0001${column ?? ALL_KEY}`;

/** The item a grid can show: a single or multiple choice (matrix rows are single choices). */
export function gridItem(response: AggregateResponse, itemKey: string) {
  const item = response.items.find((candidate) => candidate.key === itemKey);
  if (!item) throw new GridInputError('grid_question', `no question ${itemKey} in this aggregate`);
  if (item.type !== 'single' && item.type !== 'multiple') throw new GridInputError('grid_question', `${itemKey} is not a choice question`);
  return item;
}

/**
 * The option a grid opens on: the one with the largest published share in the total (it has the
 * most cells with a share to compare), the first where the total is withheld.
 */
export function defaultOption(item: AggregateResponse['items'][number], weighted: boolean): string | null {
  let best: { code: string; share: number } | null = null;
  for (const option of item.options) {
    const share = weighted ? (option.weighted?.[0]?.share ?? null) : (option.shares?.[0] ?? null);
    if (share !== null && (!best || share > best.share)) best = { code: option.code, share };
  }
  return best?.code ?? item.options[0]?.code ?? null;
}

/** The cell of option `o` in group `g`, exactly as the server published it. */
function publishedCell(item: AggregateResponse['items'][number], o: number, g: number, weighted: boolean): GridCell {
  const n = item.base[g] ?? 0;
  if (n === 0) return { state: 'empty' };
  const option = item.options[o]!;
  if (weighted) {
    const estimate = option.weighted?.[g] ?? null;
    return estimate ? { state: 'value', share: estimate.share, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh, n } : { state: 'withheld', n };
  }
  const share = option.shares?.[g] ?? null;
  return share === null ? { state: 'withheld', n } : { state: 'value', share, ciLow: null, ciHigh: null, n };
}

const sortValue = (cell: GridCell | undefined): number | null => (cell?.state === 'value' ? cell.share : null);

/**
 * Orders rows by a column's share (withheld and empty cells last, whatever the direction) or by
 * label; ties keep the server's order.
 */
export function sortRows(rows: GridRow[], columns: GridLine[], sort: GridSort | null, locale = 'de'): GridRow[] {
  if (!sort) return rows;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const indexed = rows.map((row, index) => ({ row, index }));
  if (sort.by === 'label') {
    const collator = new Intl.Collator(locale === 'de-x-easy' ? 'de' : locale);
    indexed.sort((a, b) => sign * collator.compare(a.row.label, b.row.label) || a.index - b.index);
  } else {
    const column = columns.findIndex((candidate) => (candidate.code ?? TOTAL_COLUMN) === sort.by);
    if (column < 0) return rows;
    indexed.sort((a, b) => {
      const x = sortValue(a.row.cells[column]);
      const y = sortValue(b.row.cells[column]);
      if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || a.index - b.index;
      return sign * (x - y) || a.index - b.index;
    });
  }
  return indexed.map(({ row }) => row);
}

/** The grid of one option of one item from a two-dimension aggregate response. */
export function buildBreakdownGrid(response: AggregateResponse, itemKey: string, options: GridOptions, locale = 'de'): BreakdownGrid {
  const { rows: rowDim, columns: colDim } = options;
  if (rowDim === colDim || !response.by.includes(rowDim) || !response.by.includes(colDim) || response.by.length !== 2) {
    throw new GridInputError('grid_dimensions', `a grid needs an aggregate by exactly ${rowDim} and ${colDim}`);
  }
  const item = gridItem(response, itemKey);
  const o = item.options.findIndex((option) => option.code === options.option);
  if (o < 0) throw new GridInputError('grid_option', `${itemKey} has no option ${options.option}`);
  const weighted = options.weighted && response.weights === 'raked';
  const groupIndex = new Map(response.groups.map((group, g) => [cellId(group.key[rowDim] ?? null, group.key[colDim] ?? null), g]));
  const cell = (row: string | null, column: string | null): GridCell => {
    const g = groupIndex.get(cellId(row, column));
    return g === undefined ? { state: 'empty' } : publishedCell(item, o, g, weighted);
  };
  const rowValues = [{ code: null, label: '' }, ...(response.dimensions[rowDim] ?? [])];
  const columnValues = [{ code: null, label: '' }, ...(response.dimensions[colDim] ?? [])];
  // A line is empty when nobody in it answered: every one of its cells, the margin included, is empty.
  const allColumns: GridLine[] = columnValues.map(({ code, label }) => ({
    code,
    label: code === null ? marginLabel(response, colDim) : label,
    empty: rowValues.every((row) => cell(row.code, code).state === 'empty'),
  }));
  const columns = allColumns.filter((column) => column.code === null || options.showEmpty || !column.empty);
  const line = (code: string | null, label: string): GridRow => {
    const cells = columns.map((column) => cell(code, column.code));
    return { code, label, cells, empty: allColumns.every((column) => cell(code, column.code).state === 'empty') };
  };
  const total = line(null, marginLabel(response, rowDim));
  const allRows = (response.dimensions[rowDim] ?? []).map(({ code, label }) => line(code, label));
  const shown = allRows.filter((row) => options.showEmpty || !row.empty);
  return {
    question: { key: item.key, label: item.label },
    option: { code: item.options[o]!.code, label: item.options[o]!.label },
    options: item.options.map(({ code, label }) => ({ code, label })),
    rowDimension: rowDim,
    columnDimension: colDim,
    weighted,
    columns,
    total,
    rows: sortRows(shown, columns, options.sort, locale),
    hiddenRows: allRows.length - shown.length,
    hiddenColumns: allColumns.length - columns.length,
    sort: options.sort,
    k: response.k,
  };
}

/** The margin's label as the server wrote it: the group whose key is the margin in this dimension only. */
function marginLabel(response: AggregateResponse, dim: string): string {
  const other = response.by.find((candidate) => candidate !== dim)!;
  const margin = response.groups.find((group) => group.key[dim] === null && group.key[other] === null);
  return margin?.label ?? '';
}

export interface GroupedBars {
  question: { key: string; label: string };
  dimension: string;
  options: { code: string; label: string }[];
  /** One group per value of the dimension (empty ones left out), each with one cell per option. */
  groups: { code: string | null; label: string; cells: GridCell[] }[];
}

/**
 * A question's options across one dimension's values (districts by default): per value one group
 * of bars, one bar per option, from the margin over the other dimension of the same response.
 */
export function groupedBars(response: AggregateResponse, itemKey: string, dimension: string, weighted: boolean): GroupedBars {
  const item = gridItem(response, itemKey);
  const other = response.by.find((candidate) => candidate !== dimension) ?? null;
  const isWeighted = weighted && response.weights === 'raked';
  const find = (code: string | null) =>
    response.groups.findIndex((group) => (group.key[dimension] ?? null) === code && (other === null || group.key[other] === null));
  const values = [{ code: null as string | null, label: marginLabel(response, dimension) }, ...(response.dimensions[dimension] ?? [])];
  const groups = values
    .map(({ code, label }) => {
      const g = find(code);
      return { code, label, cells: item.options.map((_, o) => (g < 0 ? ({ state: 'empty' } as GridCell) : publishedCell(item, o, g, isWeighted))) };
    })
    .filter((group) => group.cells.some((cell) => cell.state !== 'empty'));
  return { question: { key: item.key, label: item.label }, dimension, options: item.options.map(({ code, label }) => ({ code, label })), groups };
}

/**
 * The heat scale: how far a cell's share lies from the margin's (the grid's top-left cell), blue
 * above and orange below, stronger with the distance (full at 30 percentage points). Light enough
 * throughout that dark text keeps a contrast above 6:1. Without a reference (withheld total) a
 * plain sequential blue by the share itself.
 */
export function heatColour(share: number, reference: number | null): string {
  const mix = (from: [number, number, number], to: [number, number, number], t: number) =>
    `#${from.map((c, i) => Math.round(c + (to[i]! - c) * t).toString(16).padStart(2, '0')).join('')}`;
  const white: [number, number, number] = [255, 255, 255];
  if (reference === null) return mix(white, [143, 188, 219], Math.min(1, Math.max(0, share)));
  const distance = share - reference;
  const strength = Math.min(1, Math.abs(distance) / 0.3);
  return mix(white, distance >= 0 ? [107, 164, 209] : [235, 160, 92], strength);
}

/** The share the heat scale compares with: the total cell, where published. */
export function gridReference(grid: BreakdownGrid): number | null {
  const first = grid.total.cells[0];
  return first?.state === 'value' ? first.share : null;
}
