import { ALL, DIMENSIONS, enumerateGroups, groupId, isPartition, type Dimension, type GroupKey } from './breakdown.ts';
import type { Choice, Question } from './questions.ts';
import type { CategoricalRow, NumberRow } from './repository.ts';
import { suppressSmallCells, type AdditiveRelation } from './suppression/suppress-small-cells.ts';

/** How one table is read: options add up to the base (single), or each is its own yes/no (multiple). */
export type ItemKind = 'single' | 'multiple' | 'number' | 'text';

/**
 * One published table: a question (or one matrix row) × the groups of a breakdown, after
 * suppression. Counts are null where suppressed; nothing here is ever a count from 1 to k−1.
 */
export interface ItemTable {
  /** `question`, or `question.row` for a matrix row. */
  key: string;
  question: Question;
  row: Choice | null;
  kind: ItemKind;
  options: Choice[];
  /** Per option, per group: the published count or null (suppressed). */
  counts: (number | null)[][];
  /** Per group: how many answered (single/multiple), or n (number/text); null when suppressed. */
  base: (number | null)[];
  /** Per group, number questions only, published only from n ≥ k. */
  mean: (number | null)[];
  median: (number | null)[];
}

export interface TableFrame {
  dims: readonly Dimension[];
  /** The values of each dimension in this breakdown (without ALL). */
  values: Record<Dimension, string[]>;
  groups: GroupKey[];
}

export function tableFrame(dims: readonly Dimension[], values: Record<Dimension, string[]>): TableFrame {
  return { dims, values, groups: enumerateGroups(dims, values) };
}

const keyOfRow = (dims: readonly Dimension[], row: Partial<Record<Dimension, string>>): string =>
  groupId(dims, Object.fromEntries(dims.map((dim) => [dim, row[dim] ?? ALL])));

/** Additive relations between groups: along each partitioning dimension, values add up to its margin. */
function marginRelations(frame: TableFrame, rowCount: number, groupIndex: Map<string, number>): AdditiveRelation[] {
  const relations: AdditiveRelation[] = [];
  const groupCount = frame.groups.length;
  frame.groups.forEach((group, g) => {
    for (const dim of frame.dims) {
      if (!isPartition(dim) || group[dim] !== ALL || frame.values[dim].length === 0) continue;
      const memberGroups = frame.values[dim].map((value) => groupIndex.get(groupId(frame.dims, { ...group, [dim]: value }))!);
      for (let row = 0; row < rowCount; row += 1) {
        relations.push({ members: memberGroups.map((member) => row * groupCount + member), total: row * groupCount + g });
      }
    }
  });
  return relations;
}

/** Rows of a grid: options then base (single, multiple), or one row of n (number, text). */
interface GridShape {
  kind: ItemKind;
  options: number;
}

/**
 * Suppression that stays the same whichever breakdown is downloaded. A table by district × mode
 * contains the table by district as its margin; if the two were suppressed independently, a cell
 * hidden in one but published in the other would undo the protection. So every sub-breakdown is
 * suppressed first, coarsest first, in a fixed order of dimensions; its hidden cells are forced
 * into the finer table, and the finer table takes new partners among its own cells, not among the
 * margins it shares. A download of `by=district` alone therefore gets exactly the pattern that the
 * district margin of `by=district,mode` shows.
 */
function suppressAcrossBreakdowns(frame: TableFrame, grid: readonly number[], shape: GridShape, k: number): boolean[] {
  const canonical = DIMENSIONS.filter((dim) => frame.dims.includes(dim));
  const G = frame.groups.length;
  const fullIndex = new Map(frame.groups.map((group, index) => [groupId(canonical, group), index]));
  const R = shape.kind === 'single' || shape.kind === 'multiple' ? shape.options + 1 : 1;
  const hidden = new Array<boolean>(R * G).fill(false);

  const subsets: Dimension[][] = [];
  for (let mask = 0; mask < 1 << canonical.length; mask += 1) subsets.push(canonical.filter((_, index) => mask & (1 << index)));
  subsets.sort((a, b) => a.length - b.length);

  for (const subset of subsets) {
    const sub = tableFrame(subset, frame.values);
    const Gs = sub.groups.length;
    const toFull = sub.groups.map((group) => fullIndex.get(groupId(canonical, group))!);
    const subIndex = new Map(sub.groups.map((group, index) => [groupId(subset, group), index]));
    const values = new Array<number>(R * Gs);
    const forced: number[] = [];
    const avoid = new Set<number>();
    for (let row = 0; row < R; row += 1) {
      for (let g = 0; g < Gs; g += 1) {
        const cell = row * Gs + g;
        values[cell] = grid[row * G + toFull[g]!]!;
        if (hidden[row * G + toFull[g]!]) forced.push(cell);
        // A group with a margin value belongs to a coarser breakdown, decided before this one.
        if (subset.some((dim) => sub.groups[g]![dim] === ALL)) avoid.add(cell);
      }
    }
    const relations = marginRelations(sub, R, subIndex);
    const groups = [];
    const complements = [];
    if (shape.kind === 'single' || shape.kind === 'multiple') {
      const O = shape.options;
      for (let g = 0; g < Gs; g += 1) {
        const cells = Array.from({ length: O }, (_, o) => o * Gs + g);
        groups.push({ base: O * Gs + g, cells });
        if (shape.kind === 'single') relations.push({ members: cells, total: O * Gs + g });
        else for (const cell of cells) complements.push({ cell, base: O * Gs + g });
      }
    }
    const { suppressed } = suppressSmallCells({ values, relations, groups, complements, forced, avoid }, k);
    for (let row = 0; row < R; row += 1) {
      for (let g = 0; g < Gs; g += 1) if (suppressed[row * Gs + g]) hidden[row * G + toFull[g]!] = true;
    }
  }
  return hidden;
}

/** Turns raw counts into a suppressed table of a categorical item (single, multiple, matrix row, text). */
export function buildCountTable(
  frame: TableFrame,
  item: { key: string; question: Question; row: Choice | null; kind: Exclude<ItemKind, 'number'>; options: Choice[] },
  rows: readonly CategoricalRow[],
  k: number,
): ItemTable {
  const groupIndex = new Map(frame.groups.map((group, index) => [groupId(frame.dims, group), index]));
  const G = frame.groups.length;
  const options = [...item.options];
  const optionIndex = new Map(options.map((option, index) => [option.code, index]));
  // Codes in the data that no version offers (should not happen; never silently dropped).
  for (const row of rows) {
    if (row.option !== null && !optionIndex.has(row.option) && item.kind !== 'text') {
      optionIndex.set(row.option, options.length);
      options.push({ code: row.option, label: { default: row.option } });
    }
  }
  const withOptions = item.kind === 'single' || item.kind === 'multiple';
  const O = withOptions ? options.length : 0;
  const values = new Array<number>((O + 1) * G).fill(0);
  for (const row of rows) {
    const g = groupIndex.get(keyOfRow(frame.dims, row));
    if (g === undefined) continue;
    if (row.option === null) {
      // Multiple choice: respondents who ticked anything; text: non-empty answers.
      if (item.kind === 'multiple' || item.kind === 'text') values[O * G + g] = row.n;
    } else if (withOptions) {
      values[optionIndex.get(row.option)! * G + g] = row.n;
    }
  }
  if (item.kind === 'single') {
    for (let g = 0; g < G; g += 1) {
      let sum = 0;
      for (let o = 0; o < O; o += 1) sum += values[o * G + g]!;
      values[O * G + g] = sum;
    }
  }
  const hidden = suppressAcrossBreakdowns(frame, values, { kind: item.kind, options: O }, k);
  const published = values.map((value, cell) => (hidden[cell] ? null : value));
  return {
    key: item.key,
    question: item.question,
    row: item.row,
    kind: item.kind,
    options: withOptions ? options : [],
    counts: Array.from({ length: O }, (_, o) => published.slice(o * G, (o + 1) * G)),
    base: published.slice(O * G, (O + 1) * G),
    mean: new Array(G).fill(null),
    median: new Array(G).fill(null),
  };
}

/** n, mean and median per group of a number question; mean and median only where n is published and ≥ k. */
export function buildNumberTable(frame: TableFrame, question: Question, rows: readonly NumberRow[], k: number): ItemTable {
  const groupIndex = new Map(frame.groups.map((group, index) => [groupId(frame.dims, group), index]));
  const G = frame.groups.length;
  const n = new Array<number>(G).fill(0);
  const mean = new Array<number | null>(G).fill(null);
  const median = new Array<number | null>(G).fill(null);
  for (const row of rows) {
    const g = groupIndex.get(keyOfRow(frame.dims, row));
    if (g === undefined) continue;
    n[g] = row.n;
    mean[g] = row.mean;
    median[g] = row.median;
  }
  const hidden = suppressAcrossBreakdowns(frame, n, { kind: 'number', options: 0 }, k);
  const visible = (g: number) => !hidden[g] && n[g]! >= k;
  return {
    key: question.name,
    question,
    row: null,
    kind: 'number',
    options: [],
    counts: [],
    base: n.map((value, g) => (hidden[g] ? null : value)),
    mean: mean.map((value, g) => (visible(g) ? value : null)),
    median: median.map((value, g) => (visible(g) ? value : null)),
  };
}

/** The share of a published count in its published base; none when either is hidden or the base is 0. */
export function shareOf(count: number | null, base: number | null): number | null {
  if (count === null || base === null || base === 0) return null;
  return count / base;
}
