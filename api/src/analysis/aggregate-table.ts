import { ALL, enumerateGroups, groupId, type Dimension, type GroupKey } from './breakdown.ts';
import { KEY_MODULUS, publishCount, showsStatistics } from './disclosure/cell-key.ts';
import type { Choice, Question } from './questions.ts';
import type { CategoricalRow, NumberRow } from './repository.ts';

/** How one table is read: options add up to the base (single), or each is its own yes/no (multiple). */
export type ItemKind = 'single' | 'multiple' | 'number' | 'text';

/**
 * One published table: a question (or one matrix row) × the groups of a breakdown, after the cell
 * key method (disclosure/cell-key.ts). Every count is a published count: 0 for an empty cell,
 * otherwise perturbed and never from 1 to k−1, and the same for the same respondents in every table.
 * Everything else (shares, means, medians) is derived from published counts or withheld (null).
 */
export interface ItemTable {
  /** `question`, or `question.row` for a matrix row. */
  key: string;
  question: Question;
  row: Choice | null;
  kind: ItemKind;
  options: Choice[];
  /** Per option, per group: the published count. */
  counts: number[][];
  /** Per group: how many answered (single/multiple), or n (number/text), published. */
  base: number[];
  /**
   * Per option, per group: published count / published base, or null where the published base does
   * not show that the group has k members (a share of "maybe one person" would say more than the counts).
   */
  shares: (number | null)[][];
  /** Per group, number questions only, published only where `showsStatistics` of the published n. */
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

/**
 * The share of a published count in its published base, where the base shows statistics. It is a
 * function of published numbers only, so it tells nothing the counts do not. Noise can lift an
 * option ticked by (nearly) everyone above its base: the share stops at 100 %.
 */
export function publishedShare(count: number, base: number, k: number): number | null {
  if (base === 0 || !showsStatistics(base, k)) return null;
  return Math.min(1, count / base);
}

/** Turns raw counts into the published table of a categorical item (single, multiple, matrix row, text). */
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
  const n = new Array<number>((O + 1) * G).fill(0);
  const keys = new Array<number>((O + 1) * G).fill(0);
  for (const row of rows) {
    const g = groupIndex.get(keyOfRow(frame.dims, row));
    if (g === undefined) continue;
    let cell: number | undefined;
    if (row.option === null) {
      // Multiple choice: respondents who ticked anything; text: non-empty answers.
      if (item.kind === 'multiple' || item.kind === 'text') cell = O * G + g;
    } else if (withOptions) {
      cell = optionIndex.get(row.option)! * G + g;
    }
    if (cell === undefined) continue;
    n[cell] = row.n;
    keys[cell] = row.key_sum;
  }
  if (item.kind === 'single') {
    // The base of a single choice is the disjoint union of its options: its count and its cell key
    // are their sums (the key modulo 2^31, as SQL takes it).
    for (let g = 0; g < G; g += 1) {
      let count = 0;
      let key = 0;
      for (let o = 0; o < O; o += 1) {
        count += n[o * G + g]!;
        key = (key + keys[o * G + g]!) % KEY_MODULUS;
      }
      n[O * G + g] = count;
      keys[O * G + g] = key;
    }
  }
  const published = n.map((count, cell) => publishCount(count, keys[cell]!, k));
  const base = published.slice(O * G, (O + 1) * G);
  const counts = Array.from({ length: O }, (_, o) => published.slice(o * G, (o + 1) * G));
  return {
    key: item.key,
    question: item.question,
    row: item.row,
    kind: item.kind,
    options: withOptions ? options : [],
    counts,
    base,
    shares: counts.map((row) => row.map((count, g) => publishedShare(count, base[g]!, k))),
    mean: new Array(G).fill(null),
    median: new Array(G).fill(null),
  };
}

/** n, mean and median per group of a number question; mean and median only where the published n shows them. */
export function buildNumberTable(frame: TableFrame, question: Question, rows: readonly NumberRow[], k: number): ItemTable {
  const groupIndex = new Map(frame.groups.map((group, index) => [groupId(frame.dims, group), index]));
  const G = frame.groups.length;
  const base = new Array<number>(G).fill(0);
  const mean = new Array<number | null>(G).fill(null);
  const median = new Array<number | null>(G).fill(null);
  for (const row of rows) {
    const g = groupIndex.get(keyOfRow(frame.dims, row));
    if (g === undefined) continue;
    base[g] = publishCount(row.n, row.key_sum, k);
    if (showsStatistics(base[g]!, k)) {
      mean[g] = row.mean;
      median[g] = row.median;
    }
  }
  return { key: question.name, question, row: null, kind: 'number', options: [], counts: [], base, shares: [], mean, median };
}
