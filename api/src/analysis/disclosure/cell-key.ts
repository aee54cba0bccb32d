/**
 * The cell key method (ABS TableBuilder; Destatis for the Zensus 2022; R package `cellKey`): every
 * response carries a fixed random record key (`response.record_key`, 0 … 2^31−1). A published
 * count's cell key is the sum of its members' record keys modulo 2^31, which the database adds up
 * beside the count; the noise added to the count is a fixed function of that cell key. The same set
 * of respondents therefore gets the same noise in every table anyone downloads, however it is
 * crossed, so downloading a table again or in another breakdown teaches nothing new.
 *
 * The one place where a count becomes a published count: aggregate-table.ts (aggregate JSON and
 * CSV, crosstab, charts, representativeness, and through them the weighted estimates) and returns.ts
 * call `publishCount`; shares, means, medians and weighted estimates are derived from published
 * counts or withheld (`showsStatistics`). docs/analysis.md states the guarantee and its cost.
 */

/** Record keys and cell keys live in 0 … 2^31−1 (an `integer` column; sums are taken modulo this). */
export const KEY_MODULUS = 2 ** 31;

/**
 * The largest noise added to a count, as a function of k: published counts differ from the true
 * ones by at most this much. 3k, because k was not wide enough: an integer program over every
 * published table (disclosure/lp-attack.test.ts) narrowed about one small count in ten to an
 * interval inside 1 … k−1 with D = k, by combining margins whose noise happened to be near −D, and
 * still a few in a thousand with 2k (docs/reliability.md).
 */
export const perturbationBound = (k: number): number => 3 * k;

/**
 * The perturbation table: noise −D … D with weights (D + 1 − |noise|)², mean 0. Squared rather than
 * triangular weights make the noise near ±D rare (for k = 5, D = 15: |noise| ≥ 12 about one count in
 * fifty, standard deviation 5), and a small count is narrowed only where counts around it have noise
 * near −D. Cumulative probabilities, looked up with the cell key.
 */
function noiseTable(bound: number): { noise: number; upTo: number }[] {
  const values = Array.from({ length: 2 * bound + 1 }, (_, i) => i - bound);
  const weights = values.map((noise) => (bound + 1 - Math.abs(noise)) ** 2);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  return values.map((noise, i) => {
    cumulative += weights[i]!;
    return { noise, upTo: cumulative / total };
  });
}

const tables = new Map<number, { noise: number; upTo: number }[]>();

/** The noise for a cell key (the members' key sum modulo 2^31). */
export function noiseFor(cellKey: number, k: number): number {
  const bound = perturbationBound(k);
  let table = tables.get(bound);
  if (!table) tables.set(bound, (table = noiseTable(bound)));
  const position = (((cellKey % KEY_MODULUS) + KEY_MODULUS) % KEY_MODULUS) / KEY_MODULUS;
  return table.find((entry) => position < entry.upTo)?.noise ?? bound;
}

/**
 * The published value of a count n whose members' record keys add up to `keySum`:
 * 0 stays 0 (an empty cell has no members and no key; "nobody" is not a secret), every other count
 * becomes n + noise, and never less than k — a count from 1 to k−1 is never published, it is shown
 * as k or more, indistinguishable from a count of k … k + D.
 *
 * What an analyst (or an attacker) can conclude from a published value p: p = 0 ⇒ n = 0; p = k ⇒
 * 1 ≤ n ≤ k + D; p > k ⇒ p − D ≤ n ≤ p + D (and n ≥ 1).
 */
export function publishCount(n: number, keySum: number, k: number): number {
  if (n <= 0) return 0;
  return Math.max(k, n + noiseFor(keySum, k));
}

/** The range of true counts a published value is consistent with (what the attacker test uses). */
export function feasibleRange(published: number, k: number): { low: number; high: number } {
  const bound = perturbationBound(k);
  if (published === 0) return { low: 0, high: 0 };
  if (published === k) return { low: 1, high: k + bound };
  return { low: Math.max(1, published - bound), high: published + bound };
}

/**
 * Means and medians are published only where the published n shows the group has at least k
 * members whatever the noise (p ≥ k + D ⇒ n ≥ k). Gating on the true n would give small groups away
 * by the missing mean.
 */
export const showsStatistics = (publishedN: number, k: number): boolean => publishedN >= k + perturbationBound(k);
