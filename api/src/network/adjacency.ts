import type { UndirectedGraph } from 'graphology';

/**
 * A graph as compressed adjacency (CSR) over actor indices 0 … n − 1: the neighbours of i are
 * neighbours[starts[i] … starts[i + 1]). Typed arrays instead of graphology look-ups for the loops
 * that visit every edge many times (shortest paths, brokerage), and a shape a worker thread can take.
 */
export interface CompressedGraph {
  /** Actor ids in graphology's node order; index i is ids[i]. */
  ids: string[];
  n: number;
  starts: Int32Array;
  neighbours: Int32Array;
}

export function compress(graph: UndirectedGraph): CompressedGraph {
  const ids = graph.nodes();
  const n = ids.length;
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const starts = new Int32Array(n + 1);
  ids.forEach((id, i) => (starts[i + 1] = starts[i]! + graph.degree(id)));
  const neighbours = new Int32Array(starts[n]!);
  ids.forEach((id, i) => {
    let at = starts[i]!;
    graph.forEachNeighbor(id, (neighbour) => (neighbours[at++] = indexOf.get(neighbour)!));
  });
  return { ids, n, starts, neighbours };
}
