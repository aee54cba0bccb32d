/**
 * Local suppression to k-anonymity (as sdcMicro's `localSuppression`, greedy and deterministic):
 * records are grouped by their released quasi-identifier values; while a group has fewer than k
 * records, the quasi-identifier that is cheapest to lose is withheld for the records of the small
 * groups, then the next, in a fixed order. A withheld value is a category of its own
 * (`WITHHELD`), not a wildcard, so the guarantee can be checked on the released file alone:
 * grouped by every quasi-identifier column as written, no group has fewer than k rows.
 * Records that are still alone with every quasi-identifier withheld are left out of the file.
 */

export const WITHHELD = '_withheld';

/** One record's quasi-identifier values (already coarsened), in the order of `QuasiIdentifierPlan.names`. */
export type QuasiIdentifierValues = (string | null)[];

export interface SuppressionResult {
  /** Per record: the released values (WITHHELD where suppressed), or null when the record is left out. */
  released: (QuasiIdentifierValues | null)[];
  /** How many values were withheld per quasi-identifier (same order). */
  withheldPerDimension: number[];
  /** Records left out because not even with everything withheld did they have k − 1 companions. */
  omitted: number;
}

const groupKey = (values: QuasiIdentifierValues) => JSON.stringify(values);

function smallGroupMembers(records: QuasiIdentifierValues[], alive: boolean[], k: number): number[] {
  const sizes = new Map<string, number>();
  const keys = records.map((values, index) => (alive[index] ? groupKey(values) : ''));
  keys.forEach((key, index) => {
    if (alive[index]) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  });
  return keys.flatMap((key, index) => (alive[index] && sizes.get(key)! < k ? [index] : []));
}

/**
 * Withholds values until every combination of released values is shared by at least k records.
 * `order` lists the dimensions (indices into each record's values) from first to last withheld:
 * the last is what analysts need most (the district).
 */
export function withholdUntilKAnonymous(records: readonly QuasiIdentifierValues[], order: readonly number[], k: number): SuppressionResult {
  const released = records.map((values) => [...values]);
  const alive = released.map(() => true);
  const withheldPerDimension = records[0]?.map(() => 0) ?? order.map(() => 0);
  for (const dimension of order) {
    const small = smallGroupMembers(released, alive, k);
    if (small.length === 0) break;
    for (const index of small) {
      if (released[index]![dimension] !== WITHHELD) {
        released[index]![dimension] = WITHHELD;
        withheldPerDimension[dimension] = (withheldPerDimension[dimension] ?? 0) + 1;
      }
    }
  }
  // Whoever is still in a small group has everything in `order` withheld: they are one group of
  // fewer than k, which no further withholding can merge with anyone. They are left out.
  const rest = smallGroupMembers(released, alive, k);
  for (const index of rest) alive[index] = false;
  return { released: released.map((values, index) => (alive[index] ? values : null)), withheldPerDimension, omitted: rest.length };
}
