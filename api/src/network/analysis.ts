import { UndirectedGraph } from 'graphology';
import { undirectedDensity } from 'graphology-metrics/graph/density.js';
import type { AnalysedActor, AnalysedTie, FieldDensity, NetworkAnalysis, NetworkEdge, NetworkNode } from '../shared/network-analysis.ts';
import { eigenvectorCentrality, louvain, pagerank } from './graphology-modules.ts';
import { compress } from './adjacency.ts';
import { brokerageScores } from './brokerage.ts';
import { pathCentralities } from './shortest-paths.ts';

// The shapes of `GET /api/analysis/network`, which the dashboard reads too, live in the shared folder.
export type { AnalysedActor, AnalysedTie, FieldDensity, NetworkAnalysis, NetworkEdge, NetworkMetrics, NetworkNode } from '../shared/network-analysis.ts';

/** A small, fixed pseudo-random generator (mulberry32), so that Louvain gives the same answer each time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The undirected, unweighted simple graph of the actors: a tie named by either side joins the two,
 * and several ties between the same two (of several kinds, from several sources) are one edge.
 * Ties to actors not in `actors` are left out, so filtering the actors filters the ties too.
 */
export function buildGraph(actors: readonly AnalysedActor[], ties: readonly AnalysedTie[]) {
  const graph = new UndirectedGraph<AnalysedActor>();
  for (const actor of actors) graph.addNode(actor.id, actor);
  // A pair of actors is keyed by its two indices (a number) rather than by its two ids joined (a
  // string of 73 characters): 20,000 ties are looked up here.
  const indexOf = new Map(actors.map((actor, i) => [actor.id, i]));
  const n = actors.length;
  const edges = new Map<number, NetworkEdge>();
  for (const tie of ties) {
    const from = indexOf.get(tie.fromActorId);
    const to = indexOf.get(tie.toActorId);
    if (from === undefined || to === undefined || from === to) continue;
    const key = from < to ? from * n + to : to * n + from;
    const edge = edges.get(key);
    if (!edge) {
      const [source, target] = tie.fromActorId < tie.toActorId ? [tie.fromActorId, tie.toActorId] : [tie.toActorId, tie.fromActorId];
      edges.set(key, { source, target, kinds: [tie.kind], ties: 1, sources: [tie.source], firstObservedOn: tie.observedOn, lastObservedOn: tie.observedOn });
      graph.addEdge(source, target);
    } else {
      edge.ties += 1;
      if (!edge.kinds.includes(tie.kind)) edge.kinds.push(tie.kind);
      if (!edge.sources.includes(tie.source)) edge.sources.push(tie.source);
      if (tie.observedOn < edge.firstObservedOn) edge.firstObservedOn = tie.observedOn;
      if (tie.observedOn > edge.lastObservedOn) edge.lastObservedOn = tie.observedOn;
    }
  }
  for (const edge of edges.values()) {
    edge.kinds.sort();
    edge.sources.sort();
  }
  return { graph, edges: [...edges.values()] };
}

/** Every metric of the network map, computed with graphology and shortest-paths.ts (see docs/network.md for each). */
export async function analyseNetwork(actors: readonly AnalysedActor[], ties: readonly AnalysedTie[]): Promise<NetworkAnalysis> {
  const { graph, edges } = buildGraph(actors, ties);
  const n = graph.order;
  // For a large graph the shortest-path searches start in worker threads here, and the other
  // metrics are computed in this thread while they run.
  const compressed = compress(graph);
  const searches = pathCentralities(compressed);
  const eigenvector = eigenvectorOrNull(graph);
  const eigenMax = eigenvector ? Math.max(0, ...Object.values(eigenvector)) : 0;
  const rank = n > 0 ? pagerank(graph, { alpha: 0.85, getEdgeWeight: null, maxIterations: 10_000, tolerance: 1e-10 }) : {};
  const { communityOf, count, modularity } = communities(graph);
  const brokerage = brokerageScores(
    compressed,
    compressed.ids.map((id) => graph.getNodeAttribute(id, 'fieldsOfAction')),
  );
  const { betweenness, closeness } = await searches;

  const nodes: NetworkNode[] = actors
    .filter((actor) => graph.hasNode(actor.id))
    .map((actor) => {
      const degree = graph.degree(actor.id);
      return {
        ...actor,
        degree,
        degreeCentrality: n > 1 ? degree / (n - 1) : 0,
        betweenness: betweenness[actor.id] ?? 0,
        closeness: degree === 0 ? 0 : (closeness[actor.id] ?? 0),
        eigenvector: eigenvector === null ? null : eigenMax > 0 ? (eigenvector[actor.id] ?? 0) / eigenMax : 0,
        pagerank: rank[actor.id] ?? 0,
        community: communityOf.get(actor.id) ?? 0,
        isolate: degree === 0,
        brokerage: brokerage.get(actor.id)?.pairs ?? 0,
      };
    });

  const brokers = nodes
    .filter((node) => node.brokerage > 0)
    .sort((a, b) => b.brokerage - a.brokerage || b.betweenness - a.betweenness || a.name.localeCompare(b.name))
    .map((node) => ({
      id: node.id,
      name: node.name,
      brokerage: node.brokerage,
      betweenness: node.betweenness,
      bridgedFields: [...(brokerage.get(node.id)?.fields ?? [])].sort(),
    }));

  return {
    nodes,
    edges,
    metrics: {
      actors: n,
      edges: graph.size,
      density: n > 1 ? undirectedDensity(graph) : null,
      communities: { count, modularity },
      isolates: nodes.filter((node) => node.isolate).map((node) => node.id),
      brokers,
      fieldDensity: fieldDensities(actors.filter((actor) => graph.hasNode(actor.id)), edges),
    },
  };
}

/**
 * graphology's power iteration (on A + I, as networkx does, so bipartite graphs converge too),
 * Euclidean-normed. A graph without edges has no principal eigenvector: every actor gets 0. When
 * the two largest eigenvalues lie close together (a chain of a few hundred actors) the iteration
 * would need millions of rounds; graphology then throws, and the answer is null rather than a
 * failed request. A chain of 100 settles within the 10,000 rounds; one of 300 does not.
 */
function eigenvectorOrNull(graph: UndirectedGraph<AnalysedActor>): Record<string, number> | null {
  if (graph.size === 0) return {};
  try {
    return eigenvectorCentrality(graph, { getEdgeWeight: null, maxIterations: 10_000, tolerance: 1e-10 });
  } catch (error) {
    if (error instanceof Error && /failed to converge/.test(error.message)) return null;
    throw error;
  }
}

/**
 * Louvain communities with a fixed seed (the algorithm visits nodes in random order), renumbered
 * so that community 0 is the largest. Isolates are communities of their own, as in igraph.
 */
function communities(graph: UndirectedGraph<AnalysedActor>) {
  const communityOf = new Map<string, number>();
  if (graph.order === 0) return { communityOf, count: 0, modularity: null };
  if (graph.size === 0) {
    graph.forEachNode((id) => communityOf.set(id, communityOf.size));
    return { communityOf, count: graph.order, modularity: null };
  }
  const detailed = louvain.detailed(graph, { rng: seededRandom(14), getEdgeWeight: null });
  const sizes = new Map<number, number>();
  for (const community of Object.values(detailed.communities)) sizes.set(community, (sizes.get(community) ?? 0) + 1);
  const order = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([community]) => community);
  const renumber = new Map(order.map((community, index) => [community, index]));
  for (const [id, community] of Object.entries(detailed.communities)) communityOf.set(id, renumber.get(community)!);
  return { communityOf, count: detailed.count, modularity: detailed.modularity };
}

/**
 * Density within each field of action and between each two. An actor in several fields counts in
 * each; a pair of actors is counted once for a pair of fields however many fields they share.
 * Possible pairs between F and G: nF·nG − nFG − nFG(nFG − 1)/2, where nFG actors are in both.
 */
function fieldDensities(actors: readonly AnalysedActor[], edges: readonly NetworkEdge[]): FieldDensity[] {
  const fieldsOf = new Map(actors.map((actor) => [actor.id, actor.fieldsOfAction]));
  const fields = [...new Set(actors.flatMap((actor) => actor.fieldsOfAction))].sort();
  const members = new Map(fields.map((field) => [field, new Set(actors.filter((a) => a.fieldsOfAction.includes(field)).map((a) => a.id))]));
  const tieCounts = new Map<string, number>();
  for (const edge of edges) {
    const seen = new Set<string>();
    for (const f of fieldsOf.get(edge.source) ?? []) {
      for (const g of fieldsOf.get(edge.target) ?? []) {
        const key = f <= g ? `${f}|${g}` : `${g}|${f}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tieCounts.set(key, (tieCounts.get(key) ?? 0) + 1);
      }
    }
  }
  const out: FieldDensity[] = [];
  for (let i = 0; i < fields.length; i += 1) {
    for (let j = i; j < fields.length; j += 1) {
      const f = fields[i]!;
      const g = fields[j]!;
      const inF = members.get(f)!;
      const inG = members.get(g)!;
      const both = [...inF].filter((id) => inG.has(id)).length;
      const possible = f === g ? (inF.size * (inF.size - 1)) / 2 : inF.size * inG.size - both - (both * (both - 1)) / 2;
      const ties = tieCounts.get(`${f}|${g}`) ?? 0;
      out.push({ fields: [f, g], actors: [inF.size, inG.size], ties, possible, density: possible > 0 ? ties / possible : null });
    }
  }
  return out;
}
