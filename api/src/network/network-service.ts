import { sql, type Kysely } from 'kysely';
import type { Database, TieKind } from '../db/schema.ts';
import { analyseNetwork, type AnalysedActor, type NetworkAnalysis } from './analysis.ts';
import * as repo from './repository.ts';

export interface NetworkFilter {
  fieldsOfAction?: string[];
  kinds?: string[];
  districts?: string[];
  tieKinds?: TieKind[];
  /** `YYYY-MM-DD`: the network as it stood at the end of that day. */
  at?: string;
}

/**
 * The actors and ties a filter selects. An actor is in when it matches every given filter (any of
 * the listed fields of action, kinds, districts); a tie is in when both its actors are and its
 * kind is one of `tieKinds`. With `at`, only ties observed by then, and only actors that existed
 * then (registered by then or named in such a tie) and had not been retired. Merged duplicates are
 * never in: their ties have moved to the actor they became.
 */
export async function loadNetwork(db: Kysely<Database>, filter: NetworkFilter = {}) {
  const ties = await repo.listTies(db, { observedBy: filter.at, kinds: filter.tieKinds });
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
  const anyOf = (wanted: string[] | undefined, have: string[]) => !wanted || wanted.length === 0 || wanted.some((code) => have.includes(code));
  const actors: AnalysedActor[] = rows
    .filter((row) => !filter.at || row.created_on <= filter.at || named.has(row.id))
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
