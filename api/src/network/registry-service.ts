import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database, TieFrequency, TieKind } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { suggestDuplicates } from './name-similarity.ts';
import * as repo from './repository.ts';
import type { ActorRecord, ActorValues, MergeCounts, TieRecord } from './repository.ts';

export async function createActor(db: Kysely<Database>, staffId: string, values: ActorValues): Promise<ActorRecord> {
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    await repo.insertActor(trx, id, values);
    await recordAudit(trx, { actorId: staffId, action: 'actor.create', target: id, details: { kind: values.kind } });
    return (await repo.findActor(trx, id))!;
  });
}

/** The actor, or 404 `actor_not_found`. */
export async function requireActor(db: Kysely<Database>, id: string): Promise<ActorRecord> {
  const actor = await repo.findActor(db, id);
  if (!actor) throw new ApiError(404, 'actor_not_found');
  return actor;
}

export async function editActor(db: Kysely<Database>, staffId: string, id: string, values: Partial<ActorValues>): Promise<ActorRecord> {
  return db.transaction().execute(async (trx) => {
    const actor = await repo.findActor(trx, id, { forUpdate: true });
    if (!actor) throw new ApiError(404, 'actor_not_found');
    // A merged duplicate is a forwarding address; its data lives in the actor it became.
    if (actor.mergedInto) throw new ApiError(409, 'actor_merged', { name: actor.name });
    await repo.updateActor(trx, id, values);
    await recordAudit(trx, { actorId: staffId, action: 'actor.edit', target: id, details: { fields: Object.keys(values) } });
    return (await repo.findActor(trx, id))!;
  });
}

export async function setRetired(db: Kysely<Database>, staffId: string, id: string, retired: boolean): Promise<ActorRecord> {
  return db.transaction().execute(async (trx) => {
    const actor = await repo.findActor(trx, id, { forUpdate: true });
    if (!actor) throw new ApiError(404, 'actor_not_found');
    if (actor.mergedInto) throw new ApiError(409, 'actor_merged', { name: actor.name });
    await repo.setActorRetired(trx, id, retired ? new Date() : null);
    await recordAudit(trx, { actorId: staffId, action: retired ? 'actor.retire' : 'actor.reinstate', target: id });
    return (await repo.findActor(trx, id))!;
  });
}

export interface DuplicateSuggestion {
  a: ActorRecord;
  b: ActorRecord;
  similarity: number;
}

/** Pairs of current actors whose names look like one organisation written two ways. */
export async function duplicateSuggestions(db: Kysely<Database>, threshold?: number): Promise<DuplicateSuggestion[]> {
  const actors = await repo.listActors(db);
  return suggestDuplicates(actors, threshold);
}

export interface MergeResult extends MergeCounts {
  from: string;
  into: ActorRecord;
}

/**
 * Merges duplicate `fromId` into `intoId`: every tie and response link moves to `intoId`, which
 * also gains the duplicate's fields of action and districts; the duplicate stays as a retired row
 * pointing at `intoId`. All in one transaction, audited; refused (no change) for a merge into
 * itself, from or into a merged actor, or into a retired one.
 */
export async function mergeActors(db: Kysely<Database>, staffId: string, fromId: string, intoId: string): Promise<MergeResult> {
  if (fromId === intoId) throw new ApiError(422, 'actor_merge_self');
  return db.transaction().execute(async (trx) => {
    // Both rows locked, in id order so that two merges of the same pair cannot deadlock.
    const [firstId, secondId] = [fromId, intoId].sort();
    const locked = new Map<string, ActorRecord | null>();
    for (const id of [firstId!, secondId!]) locked.set(id, await repo.findActor(trx, id, { forUpdate: true }));
    const from = locked.get(fromId);
    const into = locked.get(intoId);
    if (!from || !into) throw new ApiError(404, 'actor_not_found');
    if (from.mergedInto) throw new ApiError(409, 'actor_merged', { name: from.name });
    if (into.mergedInto) throw new ApiError(409, 'actor_merged', { name: into.name });
    if (into.retiredAt) throw new ApiError(409, 'actor_merge_into_retired', { name: into.name });

    const counts = await repo.moveReferences(trx, fromId, intoId);
    const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
    await repo.updateActor(trx, intoId, {
      fieldsOfAction: union(into.fieldsOfAction, from.fieldsOfAction),
      districts: union(into.districts, from.districts),
    });
    await repo.markMerged(trx, fromId, intoId, new Date());
    await recordAudit(trx, { actorId: staffId, action: 'actor.merge', target: intoId, details: { from: fromId, ...counts } });
    return { from: fromId, into: (await repo.findActor(trx, intoId))!, ...counts };
  });
}

export interface TieInput {
  fromActorId: string;
  toActorId: string;
  kind: TieKind;
  frequency: TieFrequency | null;
  observedOn: string;
  source: { kind: 'inventory'; responseId: string } | { kind: 'workshop'; wave: string } | { kind: 'staff' };
}

/**
 * Records one tie. Refused with no change: a tie of an actor to itself, to an unknown, merged or
 * retired actor, to a response that is not a stored stakeholder-inventory response, or the same
 * tie twice in one response.
 */
export async function addTie(db: Kysely<Database>, staffId: string, input: TieInput): Promise<TieRecord> {
  if (input.fromActorId === input.toActorId) throw new ApiError(422, 'tie_self');
  return db.transaction().execute(async (trx) => {
    for (const id of [input.fromActorId, input.toActorId]) {
      const actor = await repo.findActor(trx, id);
      if (!actor) throw new ApiError(422, 'tie_unknown_actor', { id });
      if (actor.mergedInto) throw new ApiError(409, 'actor_merged', { name: actor.name });
      if (actor.retiredAt) throw new ApiError(409, 'tie_actor_retired', { name: actor.name });
    }
    const responseId = input.source.kind === 'inventory' ? input.source.responseId : null;
    if (responseId && !(await repo.inventoryResponseExists(trx, responseId))) throw new ApiError(422, 'tie_unknown_response');
    const tie = {
      id: randomUUID(),
      fromActorId: input.fromActorId,
      toActorId: input.toActorId,
      kind: input.kind,
      frequency: input.frequency,
      source: input.source.kind,
      responseId,
      workshopWave: input.source.kind === 'workshop' ? input.source.wave : null,
      observedOn: input.observedOn,
    };
    if (await repo.findTieInResponse(trx, tie)) throw new ApiError(409, 'tie_duplicate_in_response');
    await repo.insertTie(trx, tie);
    await recordAudit(trx, { actorId: staffId, action: 'actor_tie.create', target: tie.id, details: { source: tie.source, kind: tie.kind } });
    return tie;
  });
}

export interface SeedActor extends ActorValues {
  /** A name of the demo's own for the ties below (not stored). */
  key: string;
}

export interface SeedTie {
  from: string;
  to: string;
  kind: TieKind;
  frequency: TieFrequency | null;
  observedOn: string;
  wave: string | null;
}

/**
 * Writes a fixed set of actors and ties (the demo town's network) into an empty registry, in one
 * transaction; returns false and writes nothing when the registry has any actor.
 */
export async function seedNetwork(db: Kysely<Database>, actors: readonly SeedActor[], ties: readonly SeedTie[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if ((await repo.listActors(trx, { includeRetired: true, includeMerged: true })).length > 0) return false;
    const ids = new Map(actors.map((actor) => [actor.key, randomUUID()]));
    for (const { key, ...values } of actors) await repo.insertActor(trx, ids.get(key)!, values);
    for (const tie of ties) {
      await repo.insertTie(trx, {
        id: randomUUID(),
        fromActorId: ids.get(tie.from)!,
        toActorId: ids.get(tie.to)!,
        kind: tie.kind,
        frequency: tie.frequency,
        source: tie.wave ? 'workshop' : 'staff',
        responseId: null,
        workshopWave: tie.wave,
        observedOn: tie.observedOn,
      });
    }
    return true;
  });
}
