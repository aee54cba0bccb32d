import type { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { compress } from './adjacency.ts';
import { buildGraph, type AnalysedActor, type AnalysedTie } from './analysis.ts';
import { brokerageScores } from './brokerage.ts';

/**
 * brokerage.ts counts with bit sets and stamps for speed; here it is held to the definition
 * written plainly on graphology: for each actor, every pair of partners that both have a field of
 * action, share none and have no tie with each other.
 */
function plainBrokerage(graph: UndirectedGraph<AnalysedActor>) {
  const scores = new Map<string, { pairs: number; fields: Set<string> }>();
  graph.forEachNode((id) => {
    const partners = graph.neighbors(id);
    let pairs = 0;
    const fields = new Set<string>();
    for (let i = 0; i < partners.length; i += 1) {
      for (let j = i + 1; j < partners.length; j += 1) {
        const u = graph.getNodeAttributes(partners[i]!);
        const w = graph.getNodeAttributes(partners[j]!);
        if (u.fieldsOfAction.length === 0 || w.fieldsOfAction.length === 0) continue;
        if (u.fieldsOfAction.some((field) => w.fieldsOfAction.includes(field))) continue;
        if (graph.areNeighbors(u.id, w.id)) continue;
        pairs += 1;
        for (const field of [...u.fieldsOfAction, ...w.fieldsOfAction]) fields.add(field);
      }
    }
    if (pairs > 0) scores.set(id, { pairs, fields });
  });
  return scores;
}

function randomNetwork(actors: number, ties: number, fieldCount: number, seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const fields = Array.from({ length: fieldCount }, (_, i) => `field${i}`);
  const list: AnalysedActor[] = Array.from({ length: actors }, (_, i) => ({
    id: `a${i}`,
    name: `A${i}`,
    kind: 'club',
    // Some actors name no field at all, some several.
    fieldsOfAction: [...new Set(Array.from({ length: Math.floor(next() * 4) }, () => fields[Math.floor(next() * fields.length)]!))],
    districts: [],
    isPublic: false,
  }));
  const links: AnalysedTie[] = Array.from({ length: ties }, () => ({
    fromActorId: `a${Math.floor(next() * actors)}`,
    toActorId: `a${Math.floor(next() * actors)}`,
    kind: 'information',
    source: 'staff',
    observedOn: '2026-01-01',
  }));
  return buildGraph(list, links).graph;
}

describe('brokerage between fields of action', () => {
  for (const [name, graph] of [
    ['120 actors, 6 fields', randomNetwork(120, 500, 6, 3)],
    ['200 actors, 45 fields (more than one 32-bit word of fields)', randomNetwork(200, 900, 45, 8)],
    ['60 dense actors, 3 fields', randomNetwork(60, 900, 3, 13)],
  ] as const) {
    it(`agrees with the plain definition: ${name}`, () => {
      const compressed = compress(graph);
      const ours = brokerageScores(compressed, compressed.ids.map((id) => graph.getNodeAttribute(id, 'fieldsOfAction')));
      const plain = plainBrokerage(graph);
      expect(plain.size).toBeGreaterThan(0);
      expect(ours).toEqual(plain);
    });
  }
});
