import { describe, expect, it } from 'vitest';
import { forceLayout } from './layout.ts';

/** A fixed graph: two rings of eight joined by one edge, and an isolate. */
function rings() {
  const nodes = Array.from({ length: 17 }, (_, i) => ({ id: `actor-${String(i).padStart(2, '0')}` }));
  const edges: { source: string; target: string }[] = [];
  for (let i = 0; i < 8; i += 1) {
    edges.push({ source: nodes[i]!.id, target: nodes[(i + 1) % 8]!.id });
    edges.push({ source: nodes[8 + i]!.id, target: nodes[8 + ((i + 1) % 8)]!.id });
  }
  edges.push({ source: nodes[0]!.id, target: nodes[8]!.id });
  return { nodes, edges };
}

const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('the map layout (ForceAtlas2, seeded)', () => {
  it('gives the same positions every time, whatever the order of the points and lines', () => {
    const graph = rings();
    const first = forceLayout(graph);
    const again = forceLayout(graph);
    const shuffled = forceLayout({ nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse().map((e) => ({ source: e.target, target: e.source })) });
    expect([...again]).toEqual([...first]);
    expect(Object.fromEntries(shuffled)).toEqual(Object.fromEntries(first));
  });

  it('gives another picture for another seed, the same for the same seed', () => {
    const graph = rings();
    expect(Object.fromEntries(forceLayout(graph, { seed: 7 }))).toEqual(Object.fromEntries(forceLayout(graph, { seed: 7 })));
    expect(Object.fromEntries(forceLayout(graph, { seed: 7 }))).not.toEqual(Object.fromEntries(forceLayout(graph, { seed: 14 })));
  });

  it('places every actor in the unit square and keeps partners nearer than strangers', () => {
    const graph = rings();
    const positions = forceLayout(graph);
    expect(positions.size).toBe(17);
    for (const { x, y } of positions.values()) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(1);
    }
    const at = (i: number) => positions.get(graph.nodes[i]!.id)!;
    // Neighbours on a ring lie closer together than actors on the far side of the other ring.
    const neighbours = [1, 2, 3].map((i) => distance(at(i), at(i + 1)));
    const across = [1, 2, 3].map((i) => distance(at(i + 2), at(12 + i)));
    expect(Math.max(...neighbours)).toBeLessThan(Math.min(...across));
  });

  it('handles the empty network and a single actor', () => {
    expect(forceLayout({ nodes: [], edges: [] }).size).toBe(0);
    expect(Object.fromEntries(forceLayout({ nodes: [{ id: 'a' }], edges: [] }))).toEqual({ a: { x: 0.5, y: 0.5 } });
  });
});
