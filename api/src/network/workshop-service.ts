import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database, TieFrequency, TieKind } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import * as repo from './repository.ts';
import type { WorkshopSync } from './workshop-schema.ts';

/**
 * The workshop mode's server side (Partizipative Netzwerkanalyse): the tablet sends a whole poster
 * once, under its own id, and it is stored in one transaction as a dated *workshop wave*:
 * - actors added on the poster become registry actors (non-public, under the id the tablet made);
 * - ties go to `actor_tie` with source `workshop`, `workshop_wave` = the workshop's name,
 *   `workshop_id`, observed on the workshop's day — so the network at that date includes them,
 *   and `source=`/`wave=` show them alone or beside the inventory's;
 * - the poster itself (places, clusters, dot votes) to `workshop`, `workshop_actor`, `workshop_cluster`.
 * The same id with the same content again is a repeat (`duplicate`, nothing changes); with other
 * content a conflict. Bad input is refused whole, with nothing stored.
 */

export interface WorkshopSummary {
  id: string;
  name: string;
  heldOn: string;
  topic: string | null;
  fieldOfAction: string | null;
  keyActorId: string;
  keyActorName: string;
  actorCount: number;
  tieCount: number;
  clusterCount: number;
  syncedAt: string;
}

export interface WorkshopDetail extends Omit<WorkshopSummary, 'actorCount' | 'tieCount' | 'clusterCount'> {
  actors: { id: string; name: string; kind: string; fieldsOfAction: string[]; x: number; y: number; clusterId: string | null; dots: number; addedHere: boolean; mergedInto: string | null }[];
  clusters: { id: string; name: string; dots: number; actorIds: string[] }[];
  ties: { id: string; from: string; to: string; kind: TieKind; frequency: TieFrequency | null }[];
}

export type WorkshopSyncResult = { status: 'stored' | 'duplicate'; workshop: WorkshopDetail };

/** The hash of what was synced: zod's output has a fixed key order, so equal content hashes equal. */
function contentHash(input: WorkshopSync): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/** Rules within the poster itself, checked before anything is read or written. */
function checkPoster(input: WorkshopSync): void {
  const actorIds = new Set<string>();
  for (const actor of input.actors) {
    if (actorIds.has(actor.id)) throw new ApiError(422, 'workshop_duplicate_id', { id: actor.id });
    actorIds.add(actor.id);
  }
  const clusterIds = new Set<string>();
  for (const cluster of input.clusters) {
    if (clusterIds.has(cluster.id) || actorIds.has(cluster.id)) throw new ApiError(422, 'workshop_duplicate_id', { id: cluster.id });
    clusterIds.add(cluster.id);
  }
  const key = input.actors.find((actor) => actor.id === input.keyActorId);
  if (!key || key.new) throw new ApiError(422, 'workshop_key_actor');
  for (const actor of input.actors) {
    if (actor.clusterId && !clusterIds.has(actor.clusterId)) throw new ApiError(422, 'workshop_unknown_cluster', { id: actor.clusterId });
  }
  const seen = new Set<string>();
  for (const tie of input.ties) {
    if (tie.from === tie.to) throw new ApiError(422, 'workshop_self_tie');
    for (const end of [tie.from, tie.to]) if (!actorIds.has(end)) throw new ApiError(422, 'workshop_tie_unknown_actor', { id: end });
    // A line on the poster has no direction: A–B and B–A of one kind are the same tie.
    const pair = [tie.from, tie.to].sort().join(' ') + ` ${tie.kind}`;
    // The ids for now; syncWorkshop puts the registry's names in.
    if (seen.has(pair)) throw new ApiError(422, 'workshop_tie_duplicate', { from: tie.from, to: tie.to });
    seen.add(pair);
  }
}

async function existingOutcome(db: Kysely<Database> | Transaction<Database>, id: string, hash: string): Promise<'duplicate' | null> {
  const existing = await db.selectFrom('workshop').select('content_hash').where('id', '=', id).executeTakeFirst();
  if (!existing) return null;
  if (existing.content_hash !== hash) throw new ApiError(409, 'workshop_conflict');
  return 'duplicate';
}

export async function syncWorkshop(db: Kysely<Database>, staffId: string, input: WorkshopSync): Promise<WorkshopSyncResult> {
  try {
    checkPoster(input);
  } catch (error) {
    // A duplicate tie is named by its actors' names: the poster's new ones, else the registry's.
    if (error instanceof ApiError && error.code === 'workshop_tie_duplicate') {
      const name = async (id: string) => input.actors.find((actor) => actor.id === id)?.new?.name ?? (await repo.findActor(db, id))?.name ?? id;
      throw new ApiError(422, 'workshop_tie_duplicate', { from: await name(String(error.params.from)), to: await name(String(error.params.to)) });
    }
    throw error;
  }
  const hash = contentHash(input);
  const status = await db.transaction().execute(async (trx): Promise<'stored' | 'duplicate'> => {
    if ((await existingOutcome(trx, input.id, hash)) === 'duplicate') return 'duplicate';
    // The registry's actors on the poster must be current ones; the poster's new ones must be new.
    for (const actor of input.actors) {
      const found = await repo.findActor(trx, actor.id);
      if (actor.new) {
        if (found) throw new ApiError(409, 'workshop_conflict');
        continue;
      }
      if (!found) throw new ApiError(422, 'workshop_unknown_actor', { id: actor.id });
      if (found.mergedInto) throw new ApiError(409, 'workshop_actor_merged', { name: found.name });
      if (found.retiredAt) throw new ApiError(409, 'workshop_actor_retired', { name: found.name });
    }
    if (input.clusters.length > 0) {
      const taken = await trx.selectFrom('workshop_cluster').select('id').where('id', 'in', input.clusters.map((cluster) => cluster.id)).executeTakeFirst();
      if (taken) throw new ApiError(409, 'workshop_conflict');
    }
    // Two tablets sending the same workshop at once: the second waits here for the first's commit.
    const inserted = await trx
      .insertInto('workshop')
      .values({
        id: input.id,
        name: input.name,
        held_on: input.heldOn,
        topic: input.topic,
        field_of_action: input.fieldOfAction,
        key_actor_id: input.keyActorId,
        content_hash: hash,
        synced_by: staffId,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      if ((await existingOutcome(trx, input.id, hash)) === 'duplicate') return 'duplicate';
    }
    for (const actor of input.actors) {
      if (actor.new) await repo.insertActor(trx, actor.id, { name: actor.new.name, kind: actor.new.kind, fieldsOfAction: actor.new.fieldsOfAction, districts: [], isPublic: false });
    }
    for (const [position, cluster] of input.clusters.entries()) {
      await trx.insertInto('workshop_cluster').values({ id: cluster.id, workshop_id: input.id, name: cluster.name, dots: cluster.dots, position }).execute();
    }
    for (const actor of input.actors) {
      await trx
        .insertInto('workshop_actor')
        .values({ workshop_id: input.id, actor_id: actor.id, cluster_id: actor.clusterId, x: actor.x, y: actor.y, dots: actor.dots, added_here: actor.new !== null })
        .execute();
    }
    for (const tie of input.ties) {
      await repo.insertTie(trx, {
        id: randomUUID(),
        fromActorId: tie.from,
        toActorId: tie.to,
        kind: tie.kind,
        frequency: tie.frequency,
        source: 'workshop',
        responseId: null,
        workshopWave: input.name,
        observedOn: input.heldOn,
        workshopId: input.id,
      });
    }
    await recordAudit(trx, {
      actorId: staffId,
      action: 'workshop.sync',
      target: input.id,
      details: {
        status: 'stored',
        actors: input.actors.length,
        newActors: input.actors.filter((actor) => actor.new).length,
        ties: input.ties.length,
        clusters: input.clusters.length,
        dots: input.actors.reduce((sum, actor) => sum + actor.dots, 0) + input.clusters.reduce((sum, cluster) => sum + cluster.dots, 0),
      },
    });
    return 'stored';
  });
  if (status === 'duplicate') await recordAudit(db, { actorId: staffId, action: 'workshop.sync', target: input.id, details: { status: 'duplicate' } });
  return { status, workshop: (await getWorkshop(db, input.id))! };
}

function summaryQuery(db: Kysely<Database>) {
  return db
    .selectFrom('workshop as w')
    .innerJoin('actor as k', 'k.id', 'w.key_actor_id')
    .select([
      'w.id',
      'w.name',
      sql<string>`w.held_on::text`.as('held_on'),
      'w.topic',
      'w.field_of_action',
      'w.key_actor_id',
      'k.name as key_actor_name',
      'w.synced_at',
      sql<number>`(select count(*)::int from workshop_actor a where a.workshop_id = w.id)`.as('actor_count'),
      sql<number>`(select count(*)::int from actor_tie t where t.workshop_id = w.id)`.as('tie_count'),
      sql<number>`(select count(*)::int from workshop_cluster c where c.workshop_id = w.id)`.as('cluster_count'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;
const toSummary = (row: SummaryRow): WorkshopSummary => ({
  id: row.id,
  name: row.name,
  heldOn: row.held_on,
  topic: row.topic,
  fieldOfAction: row.field_of_action,
  keyActorId: row.key_actor_id,
  keyActorName: row.key_actor_name,
  actorCount: Number(row.actor_count),
  tieCount: Number(row.tie_count),
  clusterCount: Number(row.cluster_count),
  syncedAt: new Date(row.synced_at).toISOString(),
});

/** Every synced workshop, the latest first. */
export async function listWorkshops(db: Kysely<Database>): Promise<WorkshopSummary[]> {
  const rows = await summaryQuery(db).orderBy('w.held_on', 'desc').orderBy('w.name').execute();
  return rows.map(toSummary);
}

export async function getWorkshop(db: Kysely<Database>, id: string): Promise<WorkshopDetail | null> {
  const row = await summaryQuery(db).where('w.id', '=', id).executeTakeFirst();
  if (!row) return null;
  const { actorCount: _a, tieCount: _t, clusterCount: _c, ...summary } = toSummary(row);
  const actors = await db
    .selectFrom('workshop_actor as wa')
    .innerJoin('actor as a', 'a.id', 'wa.actor_id')
    .select(['a.id', 'a.name', 'a.kind', 'a.fields_of_action', 'a.merged_into', 'wa.x', 'wa.y', 'wa.cluster_id', 'wa.dots', 'wa.added_here'])
    .where('wa.workshop_id', '=', id)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
  const clusters = await db.selectFrom('workshop_cluster').select(['id', 'name', 'dots']).where('workshop_id', '=', id).orderBy('position').execute();
  const ties = await db
    .selectFrom('actor_tie')
    .select(['id', 'from_actor_id', 'to_actor_id', 'kind', 'frequency'])
    .where('workshop_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    ...summary,
    actors: actors.map((actor) => ({
      id: actor.id,
      name: actor.name,
      kind: actor.kind,
      fieldsOfAction: actor.fields_of_action,
      x: Number(actor.x),
      y: Number(actor.y),
      clusterId: actor.cluster_id,
      dots: actor.dots,
      addedHere: actor.added_here,
      mergedInto: actor.merged_into,
    })),
    clusters: clusters.map((cluster) => ({ ...cluster, actorIds: actors.filter((actor) => actor.cluster_id === cluster.id).map((actor) => actor.id) })),
    ties: ties.map((tie) => ({ id: tie.id, from: tie.from_actor_id, to: tie.to_actor_id, kind: tie.kind, frequency: tie.frequency })),
  };
}
