import { UndirectedGraph } from 'graphology';
import type { NetworkPosition } from '../shared/network-map.ts';
import { forceAtlas2 } from './graphology-modules.ts';

/** What the layout needs: the points and the lines between them. */
export interface LayoutInput {
  nodes: readonly { id: string }[];
  edges: readonly { source: string; target: string }[];
}

/** FNV-1a of a text: the seed of an actor's starting point, so it does not depend on who else is shown. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: two numbers in [0, 1) from a seed. */
function startingPoint(seed: number): [number, number] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return [next(), next()];
}

export interface LayoutOptions {
  /** ForceAtlas2 rounds; more settle large networks better and cost time (≈ linear). */
  iterations?: number;
  /** Changes every starting point; the same seed gives the same map. */
  seed?: number;
}

/**
 * ForceAtlas2 (graphology-layout-forceatlas2, the layout Gephi uses) on the network: partners pull
 * together, everyone pushes apart, gravity keeps isolates and small pieces near the middle.
 * Deterministic: starting points come from each actor's id and the seed, the points and lines are
 * visited in sorted order, and the synchronous layout uses no randomness of its own. The result is
 * scaled into the unit square (y downwards), keeping the aspect ratio, centred.
 */
export function forceLayout(input: LayoutInput, options: LayoutOptions = {}): Map<string, NetworkPosition> {
  const seed = options.seed ?? 14;
  const ids = input.nodes.map((node) => node.id).sort();
  const out = new Map<string, NetworkPosition>();
  if (ids.length === 0) return out;
  if (ids.length === 1) return out.set(ids[0]!, { x: 0.5, y: 0.5 });

  const graph = new UndirectedGraph();
  const spread = Math.sqrt(ids.length) * 10;
  for (const id of ids) {
    const [x, y] = startingPoint(hash(id) ^ Math.imul(seed, 0x9e3779b1));
    graph.addNode(id, { x: (x - 0.5) * spread, y: (y - 0.5) * spread });
  }
  const edges = input.edges
    .map((edge) => (edge.source < edge.target ? [edge.source, edge.target] : [edge.target, edge.source]) as [string, string])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  for (const [source, target] of edges) if (source !== target && graph.hasNode(source) && graph.hasNode(target) && !graph.hasEdge(source, target)) graph.addEdge(source, target);

  const settings = { ...forceAtlas2.inferSettings(graph), gravity: 1, strongGravityMode: true, scalingRatio: 4 };
  const iterations = options.iterations ?? (ids.length <= 300 ? 500 : ids.length <= 1000 ? 200 : 80);
  const positions = forceAtlas2(graph, { iterations, settings, getEdgeWeight: null });

  const xs = ids.map((id) => positions[id]!.x);
  const ys = ids.map((id) => positions[id]!.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const extent = Math.max(maxX - minX, maxY - minY) || 1;
  const offsetX = (1 - (maxX - minX) / extent) / 2;
  const offsetY = (1 - (maxY - minY) / extent) / 2;
  // Rounded: the map needs no more, and the JSON and the tests stay readable.
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  for (const id of ids) {
    const { x, y } = positions[id]!;
    // FA2's y points up; SVG's and the screen's down.
    out.set(id, { x: round(offsetX + (x - minX) / extent), y: round(offsetY + (maxY - y) / extent) });
  }
  return out;
}
