import { disclosedCells, type AdditiveRelation } from './linear-disclosure.ts';

export type { AdditiveRelation };

/**
 * A table to protect, as plain numbers: cell values (counts ≥ 0) and how they hang together.
 * Builders turn a question × breakdown into this shape; this module knows nothing of surveys.
 */
export interface SuppressionTable {
  values: readonly number[];
  /** "Options add up to the base", "districts add up to the total": both directions of a table. */
  relations: readonly AdditiveRelation[];
  /** A group (its base and its cells): a base from 1 to k−1 hides the whole group, zeros included. */
  groups?: readonly { base: number; cells: readonly number[] }[];
  /**
   * Multiple choice: "did not choose" (base − n) is a count too, though no relation publishes it.
   * Hiding n when base − n is from 1 to k−1 protects the few who did not tick an option.
   */
  complements?: readonly { cell: number; base: number }[];
  /** Cells hidden before anything else (e.g. hidden in a coarser table that shares them). */
  forced?: readonly number[];
  /**
   * Cells to take as secondary partners only when nothing else will do: cells another, coarser
   * table publishes too. Hiding them here but not there would hand the attacker their value.
   */
  avoid?: ReadonlySet<number>;
}

export interface SuppressionResult {
  /** Every cell that must not be published (primary and secondary). */
  suppressed: boolean[];
  /** Cells hidden for their own small value or their group's small base. */
  primary: boolean[];
}

const isSmall = (value: number, k: number) => value >= 1 && value <= k - 1;

/**
 * Small-cell suppression with threshold k.
 *
 * Primary: every count from 1 to k−1, every cell of a group whose base is from 1 to k−1, every
 * multiple-choice count whose complement is from 1 to k−1.
 * Secondary, repeated to a fixed point: (1) a relation with exactly one hidden cell gives that cell
 * away as a difference, so a second cell of that relation is hidden; (2) when a relation's total is
 * published, its hidden members add up to a known number, which must not itself be from 1 to k−1;
 * (3) any hidden cell that the whole system of relations still pins down (linear algebra over all
 * relations at once; catches chains a row-by-row rule misses) gets another partner.
 * The partner is the smallest non-zero published cell of that relation, preferring one whose other
 * relations already hold a hidden cell (so one hidden cell does not start a new chain), members
 * before the total, and cells in `avoid` only as a last resort.
 */
export function suppressSmallCells(table: SuppressionTable, k: number): SuppressionResult {
  if (!Number.isInteger(k) || k < 2) throw new Error(`suppression threshold must be a whole number ≥ 2, got ${k}`);
  const { values, relations } = table;
  const primary = values.map((value) => isSmall(value, k));
  for (const group of table.groups ?? []) {
    if (isSmall(values[group.base]!, k)) {
      primary[group.base] = true;
      for (const cell of group.cells) primary[cell] = true;
    }
  }
  for (const { cell, base } of table.complements ?? []) {
    if (isSmall(values[base]! - values[cell]!, k)) primary[cell] = true;
  }

  const suppressed = [...primary];
  for (const cell of table.forced ?? []) suppressed[cell] = true;
  const avoid = table.avoid ?? new Set<number>();
  const relationsOf: number[][] = values.map(() => []);
  relations.forEach((relation, index) => {
    for (const cell of [...relation.members, relation.total]) relationsOf[cell]!.push(index);
  });
  const cellsOf = (relation: AdditiveRelation) => [...relation.members, relation.total];
  const hiddenCount = (relation: AdditiveRelation) => cellsOf(relation).filter((cell) => suppressed[cell]).length;

  const choosePartner = (relationIndex: number): number | null => {
    const relation = relations[relationIndex]!;
    const candidates = cellsOf(relation).filter((cell) => !suppressed[cell]);
    if (candidates.length === 0) return null;
    const score = (cell: number) => {
      const newChains = relationsOf[cell]!.filter((other) => other !== relationIndex && hiddenCount(relations[other]!) === 0).length;
      return [avoid.has(cell) ? 1 : 0, values[cell] === 0 ? 1 : 0, newChains, cell === relation.total ? 1 : 0, values[cell]!, cell];
    };
    const scored = candidates.map((cell) => ({ cell, key: score(cell) }));
    scored.sort((a, b) => {
      for (let i = 0; i < a.key.length; i += 1) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
      return 0;
    });
    return scored[0]!.cell;
  };

  // Each pass hides at least one more cell or stops, so this ends after at most values.length passes.
  for (let pass = 0; pass <= values.length; pass += 1) {
    let changed = false;
    for (let index = 0; index < relations.length; index += 1) {
      const relation = relations[index]!;
      // Several partners may be needed in one relation (rule 2); each round re-reads the state.
      for (;;) {
        const hidden = cellsOf(relation).filter((cell) => suppressed[cell]);
        const totalPublished = !suppressed[relation.total];
        const hiddenSum = relation.members.filter((cell) => suppressed[cell]).reduce((sum, cell) => sum + values[cell]!, 0);
        const givesAway = hidden.length === 1 || (totalPublished && hidden.length > 0 && isSmall(hiddenSum, k));
        if (!givesAway) break;
        const partner = choosePartner(index);
        if (partner === null) break;
        suppressed[partner] = true;
        changed = true;
      }
    }
    if (changed) continue;
    const hiddenSet = new Set(suppressed.flatMap((flag, cell) => (flag ? [cell] : [])));
    const disclosed = disclosedCells(relations, hiddenSet);
    if (disclosed.length === 0) break;
    for (const cell of disclosed) {
      if (!suppressed[cell]) continue;
      const relationIndex = relationsOf[cell]!.find((index) => cellsOf(relations[index]!).some((other) => !suppressed[other]));
      if (relationIndex === undefined) continue;
      const partner = choosePartner(relationIndex);
      if (partner !== null) {
        suppressed[partner] = true;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { suppressed, primary };
}
