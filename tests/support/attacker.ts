/**
 * The attacker of the suppression tests, written apart from the production code on purpose: exact
 * rational arithmetic (BigInt fractions) instead of floating point, dense instead of sparse, so a
 * mistake in one is unlikely to hide the same mistake in the other.
 *
 * Given published values (null = suppressed) and additive relations (members add up to total), it
 * tries to recompute every suppressed value: by single differences, and by solving all relations
 * together.
 */

export interface Relation {
  members: number[];
  total: number;
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/** Divides a row by the gcd of its entries, so integers stay small during elimination. */
function normalise(row: bigint[]): void {
  let g = 0n;
  for (const value of row) if (value !== 0n) g = gcd(g, value);
  if (g > 1n) for (let i = 0; i < row.length; i += 1) row[i] = row[i]! / g;
}

export interface Recovered {
  cell: number;
  value: number;
  how: 'difference' | 'system';
}

/** Every suppressed cell whose value the published ones pin down, with the value found. */
export function recoverSuppressed(published: (number | null)[], relations: Relation[]): Recovered[] {
  const recovered: Recovered[] = [];
  // The analyst with a pocket calculator: one relation, one unknown.
  for (const relation of relations) {
    const cells = [...relation.members, relation.total];
    const unknown = cells.filter((cell) => published[cell] === null);
    if (unknown.length !== 1) continue;
    const cell = unknown[0]!;
    const membersSum = relation.members.reduce((sum, member) => sum + (published[member] ?? 0), 0);
    const value = cell === relation.total ? membersSum : published[relation.total]! - membersSum;
    recovered.push({ cell, value, how: 'difference' });
  }
  // The patient attacker: every relation at once, exact integer arithmetic (fraction-free elimination),
  // one group of connected unknowns at a time.
  const unknowns = published.flatMap((value, cell) => (value === null ? [cell] : []));
  const equations: { coefficients: Map<number, bigint>; constant: bigint }[] = [];
  for (const relation of relations) {
    const coefficients = new Map<number, bigint>();
    let constant = 0n;
    const add = (cell: number, sign: bigint) => {
      if (published[cell] === null) coefficients.set(cell, (coefficients.get(cell) ?? 0n) + sign);
      else constant -= BigInt(published[cell]!) * sign;
    };
    for (const member of relation.members) add(member, 1n);
    add(relation.total, -1n);
    for (const [cell, coefficient] of coefficients) if (coefficient === 0n) coefficients.delete(cell);
    if (coefficients.size > 0) equations.push({ coefficients, constant });
  }
  const parent = new Map<number, number>(unknowns.map((cell) => [cell, cell]));
  const find = (cell: number): number => (parent.get(cell) === cell ? cell : find(parent.get(cell)!));
  for (const { coefficients } of equations) {
    const [first, ...rest] = [...coefficients.keys()];
    for (const other of rest) parent.set(find(other), find(first!));
  }
  const components = new Map<number, typeof equations>();
  for (const equation of equations) {
    const root = find(equation.coefficients.keys().next().value as number);
    if (!components.has(root)) components.set(root, []);
    components.get(root)!.push(equation);
  }
  for (const component of components.values()) {
    const columns = [...new Set(component.flatMap((equation) => [...equation.coefficients.keys()]))];
    const width = columns.length;
    const rows = component.map((equation) => [...columns.map((cell) => equation.coefficients.get(cell) ?? 0n), equation.constant]);
    let next = 0;
    const pivots: { row: number; col: number }[] = [];
    for (let col = 0; col < width && next < rows.length; col += 1) {
      const found = rows.findIndex((row, index) => index >= next && row[col] !== 0n);
      if (found < 0) continue;
      [rows[next], rows[found]] = [rows[found]!, rows[next]!];
      const pivot = rows[next]!;
      rows.forEach((row, index) => {
        if (index === next || row[col] === 0n) return;
        const factor = row[col]!;
        const scale = pivot[col]!;
        for (let j = 0; j <= width; j += 1) row[j] = row[j]! * scale - pivot[j]! * factor;
        normalise(row);
      });
      pivots.push({ row: next, col });
      next += 1;
    }
    for (const { row, col } of pivots) {
      const values = rows[row]!;
      const others = values.slice(0, width).some((value, j) => j !== col && value !== 0n);
      if (!others) recovered.push({ cell: columns[col]!, value: Number(values[width]!) / Number(values[col]!), how: 'system' });
    }
  }
  return recovered;
}

/** Suppressed members of a relation whose total is published add up to a known count. */
export function knownSmallSums(published: (number | null)[], relations: Relation[], k: number): Relation[] {
  return relations.filter((relation) => {
    if (published[relation.total] === null) return false;
    const hidden = relation.members.filter((member) => published[member] === null);
    if (hidden.length === 0) return false;
    const known = relation.members.reduce((sum, member) => sum + (published[member] ?? 0), 0);
    const hiddenSum = published[relation.total]! - known;
    return hiddenSum >= 1 && hiddenSum <= k - 1;
  });
}
