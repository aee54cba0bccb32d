import type { UndirectedGraph } from 'graphology';

/**
 * Betweenness and closeness from one breadth-first search per actor (Brandes 2001), on typed arrays.
 * graphology-metrics runs two separate all-pairs searches over JavaScript objects; on the 2,000-actor
 * benchmark graph those two took 1.2 of the analysis's 1.4 s (docs/benchmarks.md). Both results are
 * held to graphology-metrics' own output and to R igraph in `igraph-reference.test.ts`.
 *
 * Conventions (the same as the graphology calls they replace, on an undirected simple graph):
 * - betweenness normalised as graphology `normalized: true`: the dependency summed over every
 *   source (each unordered pair counted from both ends) divided by (n−1)(n−2), which equals igraph's
 *   `betweenness(normalized = TRUE)`;
 * - closeness as graphology's default: (reachable − 1) / (sum of distances to the reachable), 0 for
 *   an actor that reaches no one.
 */
export function pathCentralities(graph: UndirectedGraph): { betweenness: Record<string, number>; closeness: Record<string, number> } {
  const ids = graph.nodes();
  const n = ids.length;
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  // Compressed adjacency: the neighbours of i are neighbours[starts[i] … starts[i + 1]).
  const starts = new Int32Array(n + 1);
  ids.forEach((id, i) => (starts[i + 1] = starts[i]! + graph.degree(id)));
  const neighbours = new Int32Array(starts[n]!);
  ids.forEach((id, i) => {
    let at = starts[i]!;
    graph.forEachNeighbor(id, (neighbour) => (neighbours[at++] = indexOf.get(neighbour)!));
  });

  const between = new Float64Array(n);
  const closeness = new Float64Array(n);
  const distance = new Int32Array(n);
  const paths = new Float64Array(n);
  const dependency = new Float64Array(n);
  const order = new Int32Array(n);
  for (let source = 0; source < n; source += 1) {
    distance.fill(-1);
    dependency.fill(0);
    distance[source] = 0;
    paths[source] = 1;
    order[0] = source;
    let head = 0;
    let tail = 1;
    let total = 0;
    while (head < tail) {
      const v = order[head++]!;
      const next = distance[v]! + 1;
      const pathsOfV = paths[v]!;
      for (let j = starts[v]!, end = starts[v + 1]!; j < end; j += 1) {
        const w = neighbours[j]!;
        const known = distance[w]!;
        if (known < 0) {
          distance[w] = next;
          total += next;
          order[tail++] = w;
          paths[w] = pathsOfV;
        } else if (known === next) paths[w]! += pathsOfV;
      }
    }
    closeness[source] = total > 0 ? (tail - 1) / total : 0;
    // Dependencies in order of decreasing distance; a predecessor of w is a neighbour one step closer.
    for (let at = tail - 1; at > 0; at -= 1) {
      const w = order[at]!;
      const share = (1 + dependency[w]!) / paths[w]!;
      const previous = distance[w]! - 1;
      for (let j = starts[w]!, end = starts[w + 1]!; j < end; j += 1) {
        const v = neighbours[j]!;
        if (distance[v] === previous) dependency[v]! += paths[v]! * share;
      }
      between[w]! += dependency[w]!;
    }
  }
  const scale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 0;
  const result = { betweenness: {} as Record<string, number>, closeness: {} as Record<string, number> };
  ids.forEach((id, i) => {
    result.betweenness[id] = between[i]! * scale;
    result.closeness[id] = closeness[i]!;
  });
  return result;
}
