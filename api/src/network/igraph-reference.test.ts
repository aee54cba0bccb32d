import { beforeAll, describe, expect, it } from 'vitest';
import { runRIgraph } from '../../../tests/support/r-igraph.ts';
import { csvFor, readRCsv } from '../../../tests/support/r-survey.ts';
import { analyseNetwork, type AnalysedActor, type AnalysedTie } from './analysis.ts';

/**
 * Every centrality and the community count of api/src/network/analysis.ts against R igraph
 * (Debian's r-cran-igraph), computed in this run. The conventions differ; the test converts
 * nothing silently — each difference is named here and in docs/network.md:
 *
 * - degree: ours `degreeCentrality` = degree/(n−1) = igraph `degree(normalized = TRUE)`.
 * - betweenness: graphology `normalized: true` on an undirected graph = igraph
 *   `betweenness(normalized = TRUE)` = 2B/((n−1)(n−2)), B counting each unordered pair once.
 * - closeness: graphology's default (not Wasserman–Faust) is (reachable−1)/Σ distances over the
 *   reachable actors = igraph ≥ 1.3 `closeness(normalized = TRUE)`; for an isolate igraph gives
 *   NaN and we give 0.
 * - eigenvector: graphology norms the vector to Euclidean length 1; igraph `eigen_centrality`
 *   scales the largest entry to 1. We rescale to igraph's convention (max = 1).
 * - PageRank: both damping 0.85, values summing to 1, dangling actors spread evenly.
 * - communities: both Louvain (graphology with a fixed seed; igraph `cluster_louvain`); Louvain
 *   is a heuristic, so the test compares the number of communities and the modularity on graphs
 *   whose structure is clear, not the labels.
 */

interface Graph {
  name: string;
  nodes: string[];
  edges: [string, string][];
}

/** Three groups of five, each a clique, joined in a ring by single bridges; one pendant, one isolate. */
function threeGroups(): Graph {
  const nodes: string[] = [];
  const edges: [string, string][] = [];
  for (const group of ['a', 'b', 'c']) {
    for (let i = 0; i < 5; i += 1) nodes.push(`${group}${i}`);
    for (let i = 0; i < 5; i += 1) for (let j = i + 1; j < 5; j += 1) edges.push([`${group}${i}`, `${group}${j}`]);
  }
  edges.push(['a0', 'b0'], ['b1', 'c0'], ['c1', 'a1']);
  nodes.push('pendant', 'isolate');
  edges.push(['pendant', 'a4']);
  return { name: 'three groups, a pendant and an isolate', nodes, edges };
}

/** A seeded random graph (60 actors, 150 ties) grown around a ring, so it is connected. */
function seededRandom(): Graph {
  let state = 20261202;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const nodes = Array.from({ length: 60 }, (_, i) => `n${i}`);
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  const add = (a: number, b: number) => {
    if (a === b) return;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push([`n${a}`, `n${b}`]);
  };
  for (let i = 0; i < 60; i += 1) add(i, (i + 1) % 60);
  while (edges.length < 150) add(Math.floor(next() * 60), Math.floor(next() * 60));
  return { name: 'seeded random graph', nodes, edges };
}

const actorsOf = (graph: Graph): AnalysedActor[] =>
  graph.nodes.map((id) => ({ id, name: id, kind: 'club', fieldsOfAction: [], districts: [], isPublic: false }));
const tiesOf = (graph: Graph): AnalysedTie[] =>
  graph.edges.map(([from, to]) => ({ fromActorId: from, toActorId: to, kind: 'information', source: 'staff', observedOn: '2026-01-01' }));

const R_SCRIPT = `
nodes <- read.csv("nodes.csv", colClasses = "character")
edges <- read.csv("edges.csv", colClasses = "character")
g <- graph_from_data_frame(edges, directed = FALSE, vertices = nodes)
set.seed(14)
communities <- cluster_louvain(g)
write.csv(data.frame(
  id = V(g)$name,
  degree = degree(g, normalized = TRUE),
  betweenness = betweenness(g, normalized = TRUE),
  closeness = closeness(g, normalized = TRUE),
  eigenvector = eigen_centrality(g, scale = TRUE)$vector,
  pagerank = page_rank(g, damping = 0.85)$vector
), "metrics.csv", row.names = FALSE)
write.csv(data.frame(count = length(communities), modularity = modularity(communities)), "communities.csv", row.names = FALSE)
`;

async function igraphMetrics(graph: Graph) {
  const out = await runRIgraph(
    R_SCRIPT,
    { 'nodes.csv': csvFor(['name'], graph.nodes.map((id) => [id])), 'edges.csv': csvFor(['from', 'to'], graph.edges) },
    ['metrics.csv', 'communities.csv'],
  );
  const metrics = new Map(readRCsv(out['metrics.csv']!).map((row) => [row.id!, row]));
  const [communities] = readRCsv(out['communities.csv']!);
  return { metrics, count: Number(communities!.count), modularity: Number(communities!.modularity) };
}

/** Zachary's karate club, taken from igraph itself so that the edge list is the standard one. */
async function karateClub(): Promise<Graph> {
  const out = await runRIgraph(
    'g <- make_graph("Zachary"); e <- as_edgelist(g); write.csv(data.frame(from = paste0("k", e[,1]), to = paste0("k", e[,2])), "edges.csv", row.names = FALSE)',
    {},
    ['edges.csv'],
  );
  const edges = readRCsv(out['edges.csv']!).map((row) => [row.from!, row.to!] as [string, string]);
  return { name: "Zachary's karate club", nodes: Array.from({ length: 34 }, (_, i) => `k${i + 1}`), edges };
}

describe('network metrics agree with R igraph', () => {
  const graphs: Graph[] = [threeGroups(), seededRandom()];
  beforeAll(async () => {
    graphs.push(await karateClub());
  }, 60_000);

  it('has the karate club from igraph (34 actors, 78 ties)', () => {
    const karate = graphs.find((graph) => graph.name.startsWith('Zachary'))!;
    expect(karate.edges).toHaveLength(78);
  });

  for (const index of [0, 1, 2]) {
    it(`every centrality per actor, graph ${index + 1}`, async () => {
      const graph = graphs[index]!;
      const ours = await analyseNetwork(actorsOf(graph), tiesOf(graph));
      const reference = await igraphMetrics(graph);
      expect(ours.nodes).toHaveLength(graph.nodes.length);
      for (const node of ours.nodes) {
        const r = reference.metrics.get(node.id)!;
        const where = `${graph.name}, ${node.id}`;
        expect(node.degreeCentrality, `${where} degree`).toBeCloseTo(Number(r.degree), 10);
        expect(node.betweenness, `${where} betweenness`).toBeCloseTo(Number(r.betweenness), 10);
        if (node.isolate) {
          // igraph: NaN (no one to be close to); we report 0 so that JSON carries a number.
          expect(Number.isNaN(Number(r.closeness)), `${where} closeness in igraph`).toBe(true);
          expect(node.closeness).toBe(0);
        } else {
          expect(node.closeness, `${where} closeness`).toBeCloseTo(Number(r.closeness), 10);
        }
        expect(node.eigenvector, `${where} eigenvector`).toBeCloseTo(Number(r.eigenvector), 5);
        expect(node.pagerank, `${where} pagerank`).toBeCloseTo(Number(r.pagerank), 6);
      }
    }, 60_000);
  }

  it('finds as many communities as igraph where the structure is clear, with the same modularity', async () => {
    for (const graph of [graphs[0]!, graphs[2]!]) {
      const ours = await analyseNetwork(actorsOf(graph), tiesOf(graph));
      const reference = await igraphMetrics(graph);
      expect(ours.metrics.communities.count, graph.name).toBe(reference.count);
      expect(ours.metrics.communities.modularity!, graph.name).toBeCloseTo(reference.modularity, 2);
    }
  }, 60_000);

  it('finds the three groups and the isolate as four communities, the pendant with its group', async () => {
    const graph = graphs[0]!;
    const ours = await analyseNetwork(actorsOf(graph), tiesOf(graph));
    const communityOf = new Map(ours.nodes.map((node) => [node.id, node.community]));
    expect(ours.metrics.communities.count).toBe(4);
    for (const group of ['a', 'b', 'c']) expect(new Set([0, 1, 2, 3, 4].map((i) => communityOf.get(`${group}${i}`))).size).toBe(1);
    expect(communityOf.get('pendant')).toBe(communityOf.get('a4'));
    expect(ours.metrics.isolates).toEqual(['isolate']);
  });

  it('gives the density igraph gives', async () => {
    const graph = graphs[1]!;
    const out = await runRIgraph(
      'e <- read.csv("edges.csv", colClasses = "character"); g <- graph_from_data_frame(e, directed = FALSE); write.csv(data.frame(d = edge_density(g)), "d.csv", row.names = FALSE)',
      { 'edges.csv': csvFor(['from', 'to'], graph.edges) },
      ['d.csv'],
    );
    expect((await analyseNetwork(actorsOf(graph), tiesOf(graph))).metrics.density).toBeCloseTo(Number(readRCsv(out['d.csv']!)[0]!.d), 12);
  }, 60_000);
});
