import { sql, type Kysely } from 'kysely';
import type { Database, TieKind, TieSource } from '../db/schema.ts';
import { analyseNetwork, buildGraph, type AnalysedActor, type NetworkAnalysis } from './analysis.ts';
import * as repo from './repository.ts';
import type { ComparedTie, NetworkComparison } from '../shared/network-analysis.ts';

export interface NetworkFilter {
  fieldsOfAction?: string[];
  kinds?: string[];
  districts?: string[];
  tieKinds?: TieKind[];
  /** Only ties from these sources: survey-based (`inventory`), `workshop` waves, `staff` entries. */
  sources?: TieSource[];
  /** Only ties of these workshop waves (their names); implies source `workshop`. */
  waves?: string[];
  /** `YYYY-MM-DD`: the network as it stood at the end of that day. */
  at?: string;
}

/**
 * The actors and ties a filter selects. An actor is in when it matches every given filter (any of
 * the listed fields of action, kinds, districts); a tie is in when both its actors are and its
 * kind is one of `tieKinds`. With `at`, only ties observed by then, and only actors that existed
 * then (registered by then or named in such a tie) and had not been retired. Merged duplicates are
 * never in: their ties have moved to the actor they became. With `sources` or `waves`, only the
 * actors those ties name (and, for waves, every actor on those workshops' posters, tied or not):
 * the wave alone is the workshop's picture, not the whole registry with it.
 */
export async function loadNetwork(db: Kysely<Database>, filter: NetworkFilter = {}) {
  const ties = await repo.listTies(db, { observedBy: filter.at, kinds: filter.tieKinds, sources: filter.sources, waves: filter.waves });
  let query = db
    .selectFrom('actor')
    .select(['id', 'name', 'kind', 'fields_of_action', 'districts', 'is_public', 'retired_at', sql<string>`created_at::date::text`.as('created_on')])
    .where('merged_into', 'is', null);
  if (filter.at) {
    query = query.where(sql<boolean>`(retired_at is null or retired_at::date > ${filter.at}::date)`);
  } else {
    query = query.where('retired_at', 'is', null);
  }
  const rows = await query.orderBy('name').orderBy('id').execute();
  const named = new Set(ties.flatMap((tie) => [tie.fromActorId, tie.toActorId]));
  const bySource = (filter.sources && filter.sources.length > 0) || (filter.waves && filter.waves.length > 0);
  const onPosters = new Set<string>();
  if (filter.waves && filter.waves.length > 0) {
    const members = await db
      .selectFrom('workshop_actor as wa')
      .innerJoin('workshop as w', 'w.id', 'wa.workshop_id')
      .innerJoin('actor as a', 'a.id', 'wa.actor_id')
      // A merged actor's place on the poster is its successor's.
      .select(sql<string>`coalesce(a.merged_into, a.id)`.as('id'))
      .where('w.name', 'in', filter.waves)
      .$if(Boolean(filter.at), (q) => q.where(sql<boolean>`w.held_on <= ${filter.at}::date`))
      .execute();
    for (const member of members) onPosters.add(member.id);
  }
  const anyOf = (wanted: string[] | undefined, have: string[]) => !wanted || wanted.length === 0 || wanted.some((code) => have.includes(code));
  const actors: AnalysedActor[] = rows
    .filter((row) => !filter.at || row.created_on <= filter.at || named.has(row.id) || onPosters.has(row.id))
    .filter((row) => !bySource || named.has(row.id) || onPosters.has(row.id))
    .filter((row) => anyOf(filter.fieldsOfAction, row.fields_of_action))
    .filter((row) => anyOf(filter.kinds, [row.kind]))
    .filter((row) => anyOf(filter.districts, row.districts))
    .map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      fieldsOfAction: row.fields_of_action,
      districts: row.districts,
      isPublic: row.is_public,
    }));
  return { actors, ties };
}

export async function networkAnalysis(db: Kysely<Database>, filter: NetworkFilter = {}): Promise<NetworkAnalysis> {
  const { actors, ties } = await loadNetwork(db, filter);
  return analyseNetwork(actors, ties);
}

/** The shown network (filter, `at` or today) against the same filter at `date`: which ties and actors came and went. */
export async function compareNetwork(db: Kysely<Database>, filter: NetworkFilter, shown: NetworkAnalysis, date: string): Promise<NetworkComparison> {
  const other = await loadNetwork(db, { ...filter, at: date });
  const { edges: otherEdges } = buildGraph(other.actors, other.ties);
  const names = new Map([...other.actors.map((a) => [a.id, a.name] as const), ...shown.nodes.map((n) => [n.id, n.name] as const)]);
  const key = (edge: { source: string; target: string }) => `${edge.source}\u0000${edge.target}`;
  const shownKeys = new Set(shown.edges.map(key));
  const otherKeys = new Set(otherEdges.map(key));
  const describe = (edge: { source: string; target: string }): ComparedTie => ({
    source: edge.source,
    target: edge.target,
    sourceName: names.get(edge.source) ?? edge.source,
    targetName: names.get(edge.target) ?? edge.target,
  });
  const byNames = (a: ComparedTie, b: ComparedTie) => a.sourceName.localeCompare(b.sourceName) || a.targetName.localeCompare(b.targetName);
  const shownIds = new Set(shown.nodes.map((node) => node.id));
  const otherIds = new Set(other.actors.map((actor) => actor.id));
  return {
    date,
    newEdges: shown.edges.filter((edge) => !otherKeys.has(key(edge))).map(describe).sort(byNames),
    lostEdges: otherEdges.filter((edge) => !shownKeys.has(key(edge))).map(describe).sort(byNames),
    newActors: shown.nodes.filter((node) => !otherIds.has(node.id)).map((node) => ({ id: node.id, name: node.name })),
    lostActors: other.actors.filter((actor) => !shownIds.has(actor.id)).map((actor) => ({ id: actor.id, name: actor.name })),
  };
}
