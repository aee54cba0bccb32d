import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompressedGraph } from './adjacency.ts';

/**
 * Betweenness and closeness from one breadth-first search per actor (Brandes 2001), on typed arrays,
 * spread over worker threads for large graphs. graphology-metrics runs two separate all-pairs
 * searches over JavaScript objects; on the 2,000-actor benchmark graph those took 1.2 of the
 * analysis's 1.4 s (docs/benchmarks.md). Both results are held to graphology-metrics' own output and
 * to R igraph in `shortest-paths.test.ts` and `igraph-reference.test.ts`.
 *
 * Conventions (the same as the graphology calls they replace, on an undirected simple graph):
 * - betweenness normalised as graphology `normalized: true`: the dependency summed over every
 *   source (each unordered pair counted from both ends) divided by (n−1)(n−2), which equals igraph's
 *   `betweenness(normalized = TRUE)`;
 * - closeness as graphology's default: (reachable − 1) / (sum of distances to the reachable), 0 for
 *   an actor that reaches no one.
 */

/**
 * The sources are dealt round-robin into this many chunks, whatever the number of threads, and the
 * chunks' sums are added in chunk order: the result is the same to the last bit on one core or on
 * sixteen, in a worker or in the calling thread.
 */
const CHUNKS = 8;

/**
 * Below this much work (sources × directed edges) starting a worker (some 30 ms) costs more than it
 * saves; such graphs are searched in the calling thread. The benchmark graph is 2,000 × 40,000.
 */
const WORKER_THRESHOLD = 2_000_000;

export interface PathCentralityOptions {
  /** Threads to search in; default: one per core for large graphs, none (the calling thread) for small ones. */
  workers?: number;
}

/**
 * The searches from sources chunk, chunk + CHUNKS, chunk + 2·CHUNKS, … Returns the summed (unscaled)
 * dependency per actor and the closeness of the chunk's own sources (0 elsewhere).
 *
 * Self-contained on purpose: a worker runs this function's source text (`toString()`), so it may use
 * nothing from outside its body and declare no inner functions (a bundler would wrap those with
 * helpers the worker does not have). The predecessors found on the way out are kept in a scratch
 * copy of the adjacency layout, so the way back visits only them rather than every neighbour.
 */
export function searchChunk(n: number, starts: Int32Array, neighbours: Int32Array, chunk: number, chunks: number): { between: Float64Array; closeness: Float64Array } {
  const between = new Float64Array(n);
  const closeness = new Float64Array(n);
  const distance = new Int32Array(n);
  const paths = new Float64Array(n);
  const dependency = new Float64Array(n);
  const order = new Int32Array(n);
  const predecessorsEnd = new Int32Array(n);
  const predecessors = new Int32Array(neighbours.length);
  for (let source = chunk; source < n; source += chunks) {
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
          predecessors[starts[w]!] = v;
          predecessorsEnd[w] = starts[w]! + 1;
        } else if (known === next) {
          paths[w]! += pathsOfV;
          predecessors[predecessorsEnd[w]!++] = v;
        }
      }
    }
    closeness[source] = total > 0 ? (tail - 1) / total : 0;
    // Dependencies in order of decreasing distance.
    for (let at = tail - 1; at > 0; at -= 1) {
      const w = order[at]!;
      const share = (1 + dependency[w]!) / paths[w]!;
      for (let j = starts[w]!, end = predecessorsEnd[w]!; j < end; j += 1) {
        const v = predecessors[j]!;
        dependency[v]! += paths[v]! * share;
      }
      between[w]! += dependency[w]!;
    }
  }
  return { between, closeness };
}

/** A worker: runs the chunks of each job with the very function above, and sends back the arrays. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const searchChunk = ${searchChunk.toString()};
parentPort.on('message', ({ job, n, starts, neighbours, chunks, mine }) => {
  const results = mine.map((chunk) => ({ chunk, ...searchChunk(n, starts, neighbours, chunk, chunks) }));
  parentPort.postMessage({ job, results }, results.flatMap((r) => [r.between.buffer, r.closeness.buffer]));
});
`;

type ChunkResult = { chunk: number; between: Float64Array; closeness: Float64Array };

interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (results: ChunkResult[]) => void; reject: (error: Error) => void }>;
}

/**
 * Workers are started once and kept: starting one costs some 50 ms and its compiler warms up
 * again each time. An idle worker is unref'd, so it never keeps a process (a test, a script) from
 * ending; it is ref'd while it has a job, so a process waiting for the answer stays. A worker that
 * fails is dropped with its jobs rejected, and a new one is started for the next job.
 */
const pool: PooledWorker[] = [];
let jobs = 0;

function pooledWorker(slot: number): PooledWorker {
  const existing = pool[slot];
  if (existing) return existing;
  // No loader flags (tsx, vitest): the worker runs plain JavaScript and starts faster without them.
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  const entry: PooledWorker = { worker, pending: new Map() };
  const fail = (error: Error) => {
    if (pool[slot] === entry) delete pool[slot];
    for (const { reject } of entry.pending.values()) reject(error);
    entry.pending.clear();
  };
  // The listener comes before unref(): one added after it would ref the worker again (nodejs/node#53036).
  worker.on('message', ({ job, results }: { job: number; results: ChunkResult[] }) => {
    entry.pending.get(job)?.resolve(results);
    entry.pending.delete(job);
    if (entry.pending.size === 0) worker.unref();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`path search worker stopped with code ${code}`)));
  worker.unref();
  pool[slot] = entry;
  return entry;
}

function inWorker(slot: number, { n, starts, neighbours }: CompressedGraph, mine: number[]): Promise<ChunkResult[]> {
  const entry = pooledWorker(slot);
  const job = (jobs += 1);
  return new Promise((resolve, reject) => {
    entry.pending.set(job, { resolve, reject });
    entry.worker.ref();
    entry.worker.postMessage({ job, n, starts, neighbours, chunks: CHUNKS, mine });
  });
}

export async function pathCentralities(
  graph: CompressedGraph,
  options: PathCentralityOptions = {},
): Promise<{ betweenness: Record<string, number>; closeness: Record<string, number> }> {
  const { ids, n, starts, neighbours } = graph;
  const large = n * neighbours.length >= WORKER_THRESHOLD;
  const workers = Math.min(CHUNKS, options.workers ?? (large ? availableParallelism() : 0));

  const chunks = Array.from({ length: CHUNKS }, (_, chunk) => chunk);
  let results: ChunkResult[];
  if (workers <= 0 || n === 0) {
    results = chunks.map((chunk) => ({ chunk, ...searchChunk(n, starts, neighbours, chunk, CHUNKS) }));
  } else {
    const dealt = Array.from({ length: workers }, (_, w) => chunks.filter((chunk) => chunk % workers === w));
    results = (await Promise.all(dealt.map((mine, slot) => inWorker(slot, graph, mine)))).flat();
  }
  results.sort((a, b) => a.chunk - b.chunk);

  const between = new Float64Array(n);
  const closeness = new Float64Array(n);
  for (const result of results) {
    for (let i = 0; i < n; i += 1) between[i]! += result.between[i]!;
    for (let source = result.chunk; source < n; source += CHUNKS) closeness[source] = result.closeness[source]!;
  }
  const scale = n > 2 ? 1 / ((n - 1) * (n - 2)) : 0;
  const out = { betweenness: {} as Record<string, number>, closeness: {} as Record<string, number> };
  ids.forEach((id, i) => {
    out.betweenness[id] = between[i]! * scale;
    out.closeness[id] = closeness[i]!;
  });
  return out;
}
