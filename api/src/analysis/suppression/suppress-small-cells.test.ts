import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownSmallSums, recoverSuppressed } from '../../../../tests/support/attacker.ts';
import { disclosedCells } from './linear-disclosure.ts';
import { suppressSmallCells, type SuppressionTable } from './suppress-small-cells.ts';

/**
 * A single-choice question by district: `counts[option][district]`. Adds the base row (options add
 * up to it) and the total column (districts add up to it), as the aggregate export publishes them.
 */
function crossTable(counts: number[][]): SuppressionTable & { at: (row: number, col: number) => number } {
  const options = counts.length;
  const districts = counts[0]!.length;
  const grid: number[][] = [];
  for (let row = 0; row < options; row += 1) grid.push([...counts[row]!, counts[row]!.reduce((a, b) => a + b, 0)]);
  const base = Array.from({ length: districts + 1 }, (_, col) => grid.reduce((sum, row) => sum + row[col]!, 0));
  grid.push(base);
  const at = (row: number, col: number) => row * (districts + 1) + col;
  const values = grid.flat();
  const relations = [];
  for (let col = 0; col <= districts; col += 1) {
    relations.push({ members: Array.from({ length: options }, (_, row) => at(row, col)), total: at(options, col) });
  }
  for (let row = 0; row <= options; row += 1) {
    relations.push({ members: Array.from({ length: districts }, (_, col) => at(row, col)), total: at(row, districts) });
  }
  const groups = Array.from({ length: districts + 1 }, (_, col) => ({
    base: at(options, col),
    cells: Array.from({ length: options }, (_, row) => at(row, col)),
  }));
  return { values, relations, groups, at };
}

const publishedOf = (values: readonly number[], suppressed: boolean[]) =>
  values.map((value, cell) => (suppressed[cell] ? null : value));

function expectProtected(table: SuppressionTable, suppressed: boolean[], k: number) {
  const published = publishedOf(table.values, suppressed);
  for (const value of published) if (value !== null) expect(value === 0 || value >= k, `published ${value}`).toBe(true);
  const relations = table.relations.map((relation) => ({ members: [...relation.members], total: relation.total }));
  expect(recoverSuppressed(published, relations)).toEqual([]);
  expect(knownSmallSums(published, relations, k)).toEqual([]);
}

describe('suppressSmallCells: primary', () => {
  it('hides every count from 1 to k−1 and nothing else when no relation ties cells together', () => {
    const result = suppressSmallCells({ values: [0, 1, 2, 3, 4, 5, 6, 40], relations: [] }, 5);
    expect(result.suppressed).toEqual([false, true, true, true, true, false, false, false]);
    expect(result.primary).toEqual(result.suppressed);
  });

  it('follows k: with k = 3, a 3 is published and a 2 is not', () => {
    expect(suppressSmallCells({ values: [2, 3, 4], relations: [] }, 3).suppressed).toEqual([true, false, false]);
  });

  it('hides a whole group, zeros included, when its base is from 1 to k−1', () => {
    // Group of 3 people: "nobody chose option 1" would tell something about each of them.
    const table: SuppressionTable = { values: [3, 0, 3], relations: [], groups: [{ base: 0, cells: [1, 2] }] };
    expect(suppressSmallCells(table, 5).suppressed).toEqual([true, true, true]);
  });

  it('multiple choice: hides a count whose "did not choose" complement is small', () => {
    // base 20, 18 ticked the option: the 2 who did not are a small cell too.
    const table: SuppressionTable = { values: [20, 18, 10], relations: [], complements: [{ cell: 1, base: 0 }, { cell: 2, base: 0 }] };
    expect(suppressSmallCells(table, 5).suppressed).toEqual([false, true, false]);
  });

  it('refuses a threshold that protects nobody', () => {
    expect(() => suppressSmallCells({ values: [1], relations: [] }, 1)).toThrow();
  });
});

describe('suppressSmallCells: secondary', () => {
  it('a single hidden option next to a published base gets a partner (the smallest other)', () => {
    // Options 18 and 2 of base 20: hiding only the 2 would leave 20 − 18.
    const table: SuppressionTable = { values: [18, 2, 20], relations: [{ members: [0, 1], total: 2 }] };
    const { suppressed, primary } = suppressSmallCells(table, 5);
    expect(primary).toEqual([false, true, false]);
    expect(suppressed).toEqual([true, true, false]);
    expectProtected(table, suppressed, 5);
  });

  it('chooses the smallest non-zero partner, not the largest', () => {
    const table: SuppressionTable = { values: [50, 7, 2, 0, 59], relations: [{ members: [0, 1, 2, 3], total: 4 }] };
    expect(suppressSmallCells(table, 5).suppressed).toEqual([false, true, true, false, false]);
  });

  it('two small cells that add up to less than k get a third, since their sum is known', () => {
    // 2 + 2 = 4 = 20 − 16 would be published by difference.
    const table: SuppressionTable = { values: [16, 2, 2, 20], relations: [{ members: [0, 1, 2], total: 3 }] };
    const { suppressed } = suppressSmallCells(table, 5);
    expect(suppressed).toEqual([true, true, true, false]);
    expectProtected(table, suppressed, 5);
  });

  it('protects in both directions: within a district across options and within an option across districts', () => {
    //                 Büttelborn  Klein-Gerau  Worfelden
    const table = crossTable([
      [20, 12, 3], // option A: Worfelden's 3 is small
      [15, 9, 11], // option B
    ]);
    const { suppressed } = suppressSmallCells(table, 5);
    expect(suppressed[table.at(0, 2)]).toBe(true);
    // Worfelden's B must go too (options add up to Worfelden's base) …
    expect(suppressed[table.at(1, 2)]).toBe(true);
    // … and another district's A and B (districts add up to the total), the smallest: Klein-Gerau.
    expect(suppressed[table.at(0, 1)]).toBe(true);
    expect(suppressed[table.at(1, 1)]).toBe(true);
    expect(suppressed[table.at(0, 0)]).toBe(false);
    expectProtected(table, suppressed, 5);
  });

  it('a small district (base under k) is hidden whole, and a second district with it', () => {
    const table = crossTable([
      [20, 12, 1],
      [15, 9, 0],
      [8, 7, 2],
    ]);
    const { suppressed } = suppressSmallCells(table, 5);
    for (let row = 0; row <= 3; row += 1) expect(suppressed[table.at(row, 2)], `row ${row}`).toBe(true);
    expectProtected(table, suppressed, 5);
    // The partner cells stay in one district instead of spreading over the table.
    const hiddenColumns = new Set<number>();
    for (let row = 0; row <= 3; row += 1) for (let col = 0; col <= 3; col += 1) if (suppressed[table.at(row, col)]) hiddenColumns.add(col);
    expect(hiddenColumns.size).toBe(2);
  });

  it('catches what a row-by-row rule misses: a hidden cell pinned down by combining many relations', () => {
    // Two 2×2 blocks of hidden cells linked by one hidden cell: every relation holds two hidden cells,
    // yet the linking cell follows from adding and subtracting the block relations.
    const relations = [
      { members: [0, 1], total: 10 },
      { members: [2, 3], total: 11 },
      { members: [0, 2], total: 12 },
      { members: [1, 3, 4], total: 13 },
      { members: [4, 5], total: 14 },
      { members: [5, 6, 7], total: 15 },
      { members: [6, 8], total: 16 },
      { members: [7, 9], total: 17 },
      { members: [8, 9], total: 18 },
    ];
    const hidden = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 4 sits on a bridge between two cycles: disclosed though no relation has it alone.
    expect(disclosedCells(relations, hidden)).toContain(4);
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3, 7, 4, 11, 11, 21, 16, 18, 19];
    const table: SuppressionTable = { values, relations };
    const { suppressed } = suppressSmallCells(table, 2);
    expect(disclosedCells(relations, new Set(suppressed.flatMap((flag, cell) => (flag ? [cell] : []))))).toEqual([]);
  });

  it('in a real option × district table: two blocks of small cells joined by one small cell', () => {
    // Every row and column holds at least two hidden cells, yet the joining 2 at (option 1, district 2)
    // equals (hidden sum of rows 0–1) − (hidden sum of columns 0–1): a row-by-row rule misses it.
    const table = crossTable([
      [2, 2, 30, 30],
      [2, 2, 2, 30],
      [30, 30, 2, 2],
      [30, 30, 2, 2],
    ]);
    const primaryOnly = new Set(suppressSmallCells(table, 3).primary.flatMap((flag, cell) => (flag ? [cell] : [])));
    expect(disclosedCells(table.relations, primaryOnly)).toContain(table.at(1, 2));
    const { suppressed } = suppressSmallCells(table, 3);
    expectProtected(table, suppressed, 3);
  });

  it('is deterministic: the same table gives the same pattern', () => {
    const table = crossTable([
      [5, 2, 9, 30],
      [1, 6, 6, 12],
      [0, 3, 8, 4],
    ]);
    expect(suppressSmallCells(table, 5)).toEqual(suppressSmallCells(table, 5));
  });
});

describe('suppressSmallCells: property — no table gives a small count away', () => {
  it('random option × district tables, k from 3 to 6', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((options) =>
          fc.integer({ min: 1, max: 6 }).chain((districts) =>
            fc.tuple(
              fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 })), { minLength: districts, maxLength: districts }), {
                minLength: options,
                maxLength: options,
              }),
              fc.integer({ min: 3, max: 6 }),
            ),
          ),
        ),
        ([counts, k]) => {
          const table = crossTable(counts);
          const { suppressed } = suppressSmallCells(table, k);
          expectProtected(table, suppressed, k);
          // Groups whose base is small are hidden whole.
          for (const group of table.groups ?? []) {
            const base = table.values[group.base]!;
            if (base >= 1 && base < k) for (const cell of group.cells) expect(suppressed[cell]).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random three-way tables (option × district × mode) with all margins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 2 * 3 * 2, maxLength: 2 * 3 * 2 }),
        (flat) => {
          // Cells (option o ∈ 0..2 where 2 = base, district d ∈ 0..3 where 3 = all, mode m ∈ 0..2 where 2 = all).
          const at = (o: number, d: number, m: number) => (o * 4 + d) * 3 + m;
          const values: number[] = new Array(3 * 4 * 3).fill(0);
          for (let o = 0; o < 2; o += 1) for (let d = 0; d < 3; d += 1) for (let m = 0; m < 2; m += 1) values[at(o, d, m)] = flat[(o * 3 + d) * 2 + m]!;
          for (let o = 0; o < 2; o += 1) for (let d = 0; d < 3; d += 1) values[at(o, d, 2)] = values[at(o, d, 0)]! + values[at(o, d, 1)]!;
          for (let o = 0; o < 2; o += 1) for (let m = 0; m < 3; m += 1) values[at(o, 3, m)] = [0, 1, 2].reduce((s, d) => s + values[at(o, d, m)]!, 0);
          for (let d = 0; d < 4; d += 1) for (let m = 0; m < 3; m += 1) values[at(2, d, m)] = values[at(0, d, m)]! + values[at(1, d, m)]!;
          const relations = [];
          for (let d = 0; d < 4; d += 1) for (let m = 0; m < 3; m += 1) relations.push({ members: [at(0, d, m), at(1, d, m)], total: at(2, d, m) });
          for (let o = 0; o < 3; o += 1) {
            for (let m = 0; m < 3; m += 1) relations.push({ members: [0, 1, 2].map((d) => at(o, d, m)), total: at(o, 3, m) });
            for (let d = 0; d < 4; d += 1) relations.push({ members: [0, 1].map((m) => at(o, d, m)), total: at(o, d, 2) });
          }
          const table: SuppressionTable = { values, relations };
          const { suppressed } = suppressSmallCells(table, 5);
          expectProtected(table, suppressed, 5);
        },
      ),
      { numRuns: 200 },
    );
  });
});
