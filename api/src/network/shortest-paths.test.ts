import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compress } from './adjacency.ts';
import { buildGraph, type AnalysedActor, type AnalysedTie } from './analysis.ts';
import { betweennessCentrality, closenessCentrality } from './graphology-modules.ts';
import { pathCentralities } from './shortest-paths.ts';

/**
 * The one-pass betweenness and closeness replace two graphology-metrics calls (for speed): here they
 * are held to graphology-metrics' verdict on graphs with groups, bridges, pendants, isolates, several
 * components and many equally short paths. igraph-reference.test.ts holds them to R igraph as well.
 */
function seededGraph(actors: number, ties: number, seed: number, components = 1): { actors: AnalysedActor[]; ties: AnalysedTie[] } {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const ids = Array.from({ length: actors }, (_, i) => `a${i}`);
  const seen = new Set<string>();
  const list: AnalysedTie[] = [];
  const componentOf = (i: number) => i % components;
  let attempts = 0;
  while (list.length < ties && attempts < ties * 20) {
    attempts += 1;
    const a = Math.floor(next() * actors);
    // Mostly near neighbours (groups and long paths), sometimes anywhere in the same component.
    const b = next() < 0.7 ? (a + components * (1 + Math.floor(next() * 3))) % actors : Math.floor(next() * actors);
    if (a === b || componentOf(a) !== componentOf(b)) continue;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ fromActorId: ids[a]!, toActorId: ids[b]!, kind: 'information', source: 'staff', observedOn: '2026-01-01' });
  }
  return {
    actors: ids.map((id) => ({ id, name: id, kind: 'club', fieldsOfAction: [], districts: [], isPublic: false })),
    ties: list,
  };
}

describe('one-pass betweenness and closeness', () => {
  const cases = [
    { name: 'a path of 5', ...seededGraph(5, 0, 1), extra: [[0, 1], [1, 2], [2, 3], [3, 4]] as [number, number][] },
    { name: '300 actors, one component', ...seededGraph(300, 900, 7), extra: [] as [number, number][] },
    { name: '240 actors in three components with isolates', ...seededGraph(240, 400, 11, 3), extra: [] as [number, number][] },
    { name: 'a grid (many equally short paths)', ...seededGraph(36, 0, 3), extra: gridEdges(6) },
  ];

  for (const graphCase of cases) {
    it(`agrees with graphology-metrics: ${graphCase.name}`, async () => {
      const ties = [
        ...graphCase.ties,
        ...graphCase.extra.map(([a, b]) => ({ fromActorId: `a${a}`, toActorId: `a${b}`, kind: 'information' as const, source: 'staff' as const, observedOn: '2026-01-01' })),
      ];
      const { graph } = buildGraph(graphCase.actors, ties);
      expect(graph.size).toBeGreaterThan(0);
      const ours = await pathCentralities(compress(graph));
      const betweenness = betweennessCentrality(graph, { normalized: true, getEdgeWeight: null });
      const closeness = closenessCentrality(graph);
      let nonZero = 0;
      for (const id of graph.nodes()) {
        expect(ours.betweenness[id], `${id} betweenness`).toBeCloseTo(betweenness[id]!, 12);
        expect(ours.closeness[id], `${id} closeness`).toBeCloseTo(closeness[id]!, 12);
        if (betweenness[id]! > 0) nonZero += 1;
      }
      // The comparison means something only where paths run through actors.
      expect(nonZero).toBeGreaterThan(0);
    });
  }
});

describe('the searches in worker threads', () => {
  const graphCase = seededGraph(400, 1600, 21, 2);
  const { graph } = buildGraph(graphCase.actors, graphCase.ties);

  it('give the same numbers, to the last bit, as the searches in the calling thread', async () => {
    const inThread = await pathCentralities(compress(graph), { workers: 0 });
    for (const workers of [1, 2, 3]) expect(await pathCentralities(compress(graph), { workers }), `${workers} workers`).toEqual(inThread);
    // and those numbers are graphology-metrics' (so the worker ran the real search, not nothing).
    const reference = betweennessCentrality(graph, { normalized: true, getEdgeWeight: null });
    for (const id of graph.nodes()) expect(inThread.betweenness[id]).toBeCloseTo(reference[id]!, 12);
  });

  it('answer several analyses at once, each with its own numbers', async () => {
    const other = buildGraph(...Object.values(seededGraph(300, 900, 5)) as [AnalysedActor[], AnalysedTie[]]).graph;
    const [first, second] = await Promise.all([pathCentralities(compress(graph), { workers: 2 }), pathCentralities(compress(other), { workers: 2 })]);
    expect(first).toEqual(await pathCentralities(compress(graph), { workers: 0 }));
    expect(second).toEqual(await pathCentralities(compress(other), { workers: 0 }));
  });

  it('do not keep a process from ending once the answer is in', async () => {
    // A script that uses the pool and then has nothing left to do must end by itself (the idle
    // workers are unref'd); execFile's timeout fails the test if it hangs.
    const script = `
      import { compress } from './api/src/network/adjacency.ts';
      import { buildGraph } from './api/src/network/analysis.ts';
      import { pathCentralities } from './api/src/network/shortest-paths.ts';
      const actors = Array.from({ length: 50 }, (_, i) => ({ id: 'a' + i, name: 'a' + i, kind: 'club', fieldsOfAction: [], districts: [], isPublic: false }));
      const ties = actors.slice(1).map((a, i) => ({ fromActorId: 'a' + i, toActorId: a.id, kind: 'information', source: 'staff', observedOn: '2026-01-01' }));
      const result = await pathCentralities(compress(buildGraph(actors, ties).graph), { workers: 2 });
      console.log(JSON.stringify(result.betweenness.a25));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000 });
    // The middle of a chain of 50 lies on (25·24) of the (49·48)/2 pairs' paths: 2·600/(49·48).
    expect(Number(stdout.trim())).toBeCloseTo((2 * 25 * 24) / (49 * 48), 12);
  }, 40_000);
});

function gridEdges(side: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let row = 0; row < side; row += 1) {
    for (let column = 0; column < side; column += 1) {
      const i = row * side + column;
      if (column + 1 < side) edges.push([i, i + 1]);
      if (row + 1 < side) edges.push([i, i + side]);
    }
  }
  return edges;
}
