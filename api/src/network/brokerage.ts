import type { CompressedGraph } from './adjacency.ts';

export interface Brokerage {
  /** Pairs of partners with no tie between them and no field of action in common. */
  pairs: number;
  /** The fields of action of the partners in those pairs. */
  fields: Set<string>;
}

/**
 * A broker between fields of action: an actor two of whose partners have no tie with each other
 * and no field of action in common, so that what passes between those fields passes through it.
 * The score is the number of such pairs (Gould and Fernandez's idea of brokerage, by field).
 * Partners without any field of action are left out. Only actors with a score are in the result.
 *
 * On 2,000 actors with 20 partners each this is some 400,000 pairs, so fields are bit sets and
 * "are u and w tied" is a stamp on u's neighbours instead of a set look-up per pair;
 * `brokerage.test.ts` holds it to the definition written plainly on graphology.
 */
export function brokerageScores(graph: CompressedGraph, fieldsOf: readonly (readonly string[])[]): Map<string, Brokerage> {
  const { ids, n, starts, neighbours } = graph;
  const fields = [...new Set(fieldsOf.flat())];
  const bitOf = new Map(fields.map((field, i) => [field, i]));
  const words = Math.max(1, Math.ceil(fields.length / 32));
  const masks = new Int32Array(n * words);
  const hasFields = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    for (const field of fieldsOf[i]!) {
      const bit = bitOf.get(field)!;
      masks[i * words + (bit >>> 5)]! |= 1 << (bit & 31);
      hasFields[i] = 1;
    }
  }
  // tiedStamp[x] === stamp: x is a neighbour of the partner u being looked at (stamp counts up per u).
  const tiedStamp = new Int32Array(n).fill(-1);
  const bridgedBy = new Int32Array(n).fill(-1);
  const bridgedMask = new Int32Array(words);
  let stamp = 0;

  const scores = new Map<string, Brokerage>();
  for (let v = 0; v < n; v += 1) {
    const first = starts[v]!;
    const last = starts[v + 1]!;
    let pairs = 0;
    bridgedMask.fill(0);
    for (let i = first; i < last; i += 1) {
      const u = neighbours[i]!;
      if (!hasFields[u]) continue;
      stamp += 1;
      for (let k = starts[u]!, end = starts[u + 1]!; k < end; k += 1) tiedStamp[neighbours[k]!] = stamp;
      for (let j = i + 1; j < last; j += 1) {
        const w = neighbours[j]!;
        if (!hasFields[w] || tiedStamp[w] === stamp) continue;
        let share = false;
        for (let word = 0; word < words && !share; word += 1) share = (masks[u * words + word]! & masks[w * words + word]!) !== 0;
        if (share) continue;
        pairs += 1;
        for (const x of [u, w]) {
          if (bridgedBy[x] === v) continue;
          bridgedBy[x] = v;
          for (let word = 0; word < words; word += 1) bridgedMask[word]! |= masks[x * words + word]!;
        }
      }
    }
    if (pairs > 0) {
      const bridged = new Set(fields.filter((_, bit) => (bridgedMask[bit >>> 5]! & (1 << (bit & 31))) !== 0));
      scores.set(ids[v]!, { pairs, fields: bridged });
    }
  }
  return scores;
}
