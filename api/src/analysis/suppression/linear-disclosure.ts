/**
 * Which hidden cells of a table can still be worked out exactly from what is published.
 *
 * A table is a list of cell values and additive relations ("these members add up to that total").
 * Every relation that touches a hidden cell becomes one linear equation in the hidden cells, with
 * the published cells moved to the right-hand side. A hidden cell is disclosed exactly when every
 * solution of that system gives it the same value: after reduction to row echelon form it is a
 * pivot whose row has no other unknown. That is the attacker who subtracts margins and options,
 * and also the one who combines many relations at once.
 */

export interface AdditiveRelation {
  /** Cells that add up to `total` (indexes into the table's values). */
  members: readonly number[];
  total: number;
}

const EPSILON = 1e-9;

type SparseRow = Map<number, number>;

/** Indexes of hidden cells whose value follows uniquely from the published cells and the relations. */
export function disclosedCells(relations: readonly AdditiveRelation[], hidden: ReadonlySet<number>): number[] {
  if (hidden.size === 0) return [];
  const equations: SparseRow[] = [];
  for (const relation of relations) {
    const row: SparseRow = new Map();
    const add = (cell: number, coefficient: number) => {
      if (!hidden.has(cell)) return;
      const next = (row.get(cell) ?? 0) + coefficient;
      if (Math.abs(next) < EPSILON) row.delete(cell);
      else row.set(cell, next);
    };
    for (const member of relation.members) add(member, 1);
    add(relation.total, -1);
    if (row.size > 0) equations.push(row);
  }
  const disclosed: number[] = [];
  for (const component of connectedComponents(equations)) {
    disclosed.push(...disclosedInComponent(component));
  }
  return disclosed.sort((a, b) => a - b);
}

/** Equations sharing an unknown belong together; solving them apart keeps each elimination small. */
function connectedComponents(equations: SparseRow[]): SparseRow[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = x;
    while (parent.get(node) !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const equation of equations) {
    let first: number | null = null;
    for (const cell of equation.keys()) {
      if (!parent.has(cell)) parent.set(cell, cell);
      if (first === null) first = cell;
      else {
        const a = find(first);
        const b = find(cell);
        if (a !== b) parent.set(a, b);
      }
    }
  }
  const byRoot = new Map<number, SparseRow[]>();
  for (const equation of equations) {
    const root = find(equation.keys().next().value as number);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(equation);
  }
  return [...byRoot.values()];
}

/** Gauss–Jordan elimination on sparse rows; a pivot row left with one unknown pins that unknown. */
function disclosedInComponent(equations: SparseRow[]): number[] {
  const rows = equations.map((row) => new Map(row));
  const pivotRows: { column: number; row: SparseRow }[] = [];
  const columns = [...new Set(rows.flatMap((row) => [...row.keys()]))].sort((a, b) => a - b);
  let remaining = rows;
  for (const column of columns) {
    // Partial pivoting: the largest coefficient keeps rounding small.
    let best = -1;
    let bestMagnitude = EPSILON;
    remaining.forEach((row, index) => {
      const magnitude = Math.abs(row.get(column) ?? 0);
      if (magnitude > bestMagnitude) {
        best = index;
        bestMagnitude = magnitude;
      }
    });
    if (best < 0) continue;
    const pivot = remaining[best]!;
    const scale = pivot.get(column)!;
    for (const [cell, value] of pivot) pivot.set(cell, value / scale);
    const eliminate = (row: SparseRow) => {
      const factor = row.get(column);
      if (factor === undefined) return;
      for (const [cell, value] of pivot) {
        const next = (row.get(cell) ?? 0) - factor * value;
        if (Math.abs(next) < EPSILON) row.delete(cell);
        else row.set(cell, next);
      }
    };
    remaining = remaining.filter((_, index) => index !== best);
    remaining.forEach(eliminate);
    for (const done of pivotRows) eliminate(done.row);
    pivotRows.push({ column, row: pivot });
  }
  return pivotRows.filter(({ row }) => row.size === 1).map(({ column }) => column);
}
