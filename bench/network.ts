/**
 * `npm run bench:network` — the network analysis on 2,000 actors and 20,000 ties (BENCH_ACTORS,
 * BENCH_TIES), beside a baseline measured in the same run: R igraph (C code) computing the same
 * centralities and Louvain on the same graph, timed inside R so that R's start-up is not counted.
 *
 * 1. Generates a seeded graph: actors in groups of 100 (most ties inside a group, the rest
 *    anywhere), 13 fields of action, 20 districts; every tie joins a new pair, so edges = ties.
 * 2. Times analyseNetwork() in-process (median of 5) and each metric on its own.
 * 3. Times `GET /api/analysis/network` through the app (median of 3), the actors and ties loaded
 *    from the database: PGlite in memory, or a scratch database on the server in DATABASE_URL.
 * Not part of `npm test`.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { runRIgraph } from '../tests/support/r-igraph.ts';
import { csvFor, readRCsv } from '../tests/support/r-survey.ts';
import { loginAsDemo } from '../tests/support/staff-session.ts';
import { openTestPlatform } from '../tests/support/test-platform.ts';
import { analyseNetwork, buildGraph, type AnalysedActor, type AnalysedTie } from '../api/src/network/analysis.ts';
import { ACTOR_KINDS, FIELDS_OF_ACTION, TIE_KINDS } from '../api/src/network/codes.ts';
import { betweennessCentrality, closenessCentrality, eigenvectorCentrality, louvain, pagerank } from '../api/src/network/graphology-modules.ts';
import { pathCentralities } from '../api/src/network/shortest-paths.ts';
import { compress } from '../api/src/network/adjacency.ts';

const ACTORS = Number(process.env.BENCH_ACTORS ?? 2000);
const TIES = Number(process.env.BENCH_TIES ?? 20_000);

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function generate(): { actors: AnalysedActor[]; ties: AnalysedTie[] } {
  const random = seeded(14);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const actors: AnalysedActor[] = Array.from({ length: ACTORS }, (_, i) => ({
    id: randomUUID(),
    name: `Akteur ${i + 1}`,
    kind: pick(ACTOR_KINDS),
    fieldsOfAction: [...new Set([pick(FIELDS_OF_ACTION), ...(random() < 0.4 ? [pick(FIELDS_OF_ACTION)] : [])])],
    districts: [`d${Math.floor(random() * 20)}`],
    isPublic: random() < 0.5,
  }));
  const seen = new Set<string>();
  const ties: AnalysedTie[] = [];
  while (ties.length < TIES) {
    const a = Math.floor(random() * ACTORS);
    const group = Math.floor(a / 100) * 100;
    const b = random() < 0.7 ? Math.min(ACTORS - 1, group + Math.floor(random() * 100)) : Math.floor(random() * ACTORS);
    if (a === b) continue;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const month = 1 + Math.floor(random() * 12);
    ties.push({ fromActorId: actors[a]!.id, toActorId: actors[b]!.id, kind: pick(TIE_KINDS), source: 'staff', observedOn: `2026-${String(month).padStart(2, '0')}-01` });
  }
  return { actors, ties };
}

function seconds<T>(work: () => T): { seconds: number; result: T } {
  const started = performance.now();
  const result = work();
  return { seconds: (performance.now() - started) / 1000, result };
}

async function secondsAsync<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

async function medianOf(runs: number, work: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push((await secondsAsync(work)).seconds);
  return median(times);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function igraphSeconds(actors: AnalysedActor[], ties: AnalysedTie[]) {
  const index = new Map(actors.map((actor, i) => [actor.id, `a${i}`]));
  const script = `
nodes <- read.csv("nodes.csv", colClasses = "character"); edges <- read.csv("edges.csv", colClasses = "character")
g <- graph_from_data_frame(edges, directed = FALSE, vertices = nodes)
t <- function(expr) { r <- system.time(expr)[["elapsed"]]; r }
set.seed(14)
times <- c(
  betweenness = t(betweenness(g, normalized = TRUE)),
  closeness = t(closeness(g, normalized = TRUE)),
  eigenvector = t(eigen_centrality(g, scale = TRUE)),
  pagerank = t(page_rank(g, damping = 0.85)),
  louvain = t(cluster_louvain(g))
)
write.csv(data.frame(metric = names(times), seconds = unname(times)), "times.csv", row.names = FALSE)`;
  const out = await runRIgraph(
    script,
    { 'nodes.csv': csvFor(['name'], actors.map((a) => [index.get(a.id)!])), 'edges.csv': csvFor(['from', 'to'], ties.map((t) => [index.get(t.fromActorId)!, index.get(t.toActorId)!])) },
    ['times.csv'],
  );
  return Object.fromEntries(readRCsv(out['times.csv']!).map((row) => [row.metric!, Number(row.seconds)]));
}

async function throughTheApp(actors: AnalysedActor[], ties: AnalysedTie[]) {
  const platform = await openTestPlatform();
  try {
    const db = platform.database.db;
    for (let start = 0; start < actors.length; start += 500) {
      await db
        .insertInto('actor')
        .values(actors.slice(start, start + 500).map((a) => ({ id: a.id, name: a.name, kind: a.kind, fields_of_action: JSON.stringify(a.fieldsOfAction), districts: JSON.stringify([]), is_public: a.isPublic })))
        .execute();
    }
    for (let start = 0; start < ties.length; start += 1000) {
      await db
        .insertInto('actor_tie')
        .values(ties.slice(start, start + 1000).map((t) => ({ id: randomUUID(), from_actor_id: t.fromActorId, to_actor_id: t.toActorId, kind: t.kind, source: 'staff' as const, observed_on: t.observedOn })))
        .execute();
    }
    const analyst = await loginAsDemo(platform.app, 'analyst');
    const runs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const response = await platform.app.request('/api/analysis/network', { headers: analyst.headers() });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`network answered ${response.status}: ${text.slice(0, 200)}`);
      runs.push((performance.now() - started) / 1000);
      bytes = text.length;
    }
    return { seconds: median(runs), bytes, database: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite' };
  } finally {
    await platform.close();
  }
}

const { actors, ties } = generate();
const { graph } = buildGraph(actors, ties);
const compressed = compress(graph);
console.log(`graph: ${graph.order} actors, ${graph.size} edges (${ties.length} ties)`);

const full: number[] = [];
let analysis = await analyseNetwork(actors, ties);
for (let i = 0; i < 5; i += 1) {
  const run = await secondsAsync(() => analyseNetwork(actors, ties));
  full.push(run.seconds);
  analysis = run.result;
}
const ours = {
  betweenness: seconds(() => betweennessCentrality(graph, { normalized: true, getEdgeWeight: null })).seconds,
  closeness: seconds(() => closenessCentrality(graph)).seconds,
  eigenvector: seconds(() => eigenvectorCentrality(graph, { getEdgeWeight: null, maxIterations: 10_000, tolerance: 1e-10 })).seconds,
  pagerank: seconds(() => pagerank(graph, { alpha: 0.85, getEdgeWeight: null, maxIterations: 10_000, tolerance: 1e-10 })).seconds,
  louvain: seconds(() => louvain.detailed(graph, { getEdgeWeight: null })).seconds,
};
// What analyseNetwork() uses instead of the two graphology calls above (held to them by a test).
const onePass = await medianOf(3, () => pathCentralities(compressed));
const onePassInThread = await medianOf(3, () => pathCentralities(compressed, { workers: 0 }));
const igraph = await igraphSeconds(actors, ties);
const app = await throughTheApp(actors, ties);

console.log(`communities: ${analysis.metrics.communities.count}, brokers: ${analysis.metrics.brokers.length}, isolates: ${analysis.metrics.isolates.length}`);
console.log('\n| step | graphology (s) | igraph (s) | ratio |');
console.log('| --- | ---: | ---: | ---: |');
let igraphTotal = 0;
for (const [metric, value] of Object.entries(ours)) {
  const reference = igraph[metric] ?? NaN;
  igraphTotal += reference;
  console.log(`| ${metric} | ${value.toFixed(3)} | ${reference.toFixed(3)} | ${(value / Math.max(reference, 0.001)).toFixed(1)}× |`);
}
const pathsReference = (igraph.betweenness ?? NaN) + (igraph.closeness ?? NaN);
console.log(`| betweenness + closeness in one pass, calling thread only (shortest-paths.ts; median of 3) | ${onePassInThread.toFixed(3)} | ${pathsReference.toFixed(3)} | ${(onePassInThread / Math.max(pathsReference, 0.001)).toFixed(1)}× |`);
console.log(`| betweenness + closeness in one pass, ${availableParallelism()} worker threads (shortest-paths.ts, used by the analysis; median of 3) | ${onePass.toFixed(3)} | ${((igraph.betweenness ?? NaN) + (igraph.closeness ?? NaN)).toFixed(3)} | ${(onePass / Math.max((igraph.betweenness ?? 0) + (igraph.closeness ?? 0), 0.001)).toFixed(1)}× |`);
const total = median(full);
console.log(`| analyseNetwork() in full (median of 5; adds degree, brokers, field density) | ${total.toFixed(3)} | ${igraphTotal.toFixed(3)} | ${(total / Math.max(igraphTotal, 0.001)).toFixed(1)}× |`);
console.log(`| GET /api/analysis/network on ${app.database} (median of 3, ${(app.bytes / 1e6).toFixed(1)} MB JSON) | ${app.seconds.toFixed(3)} | | |`);
console.log(`\ngoal: analysis under 1 s — ${total < 1 ? 'met' : 'NOT met'}`);
