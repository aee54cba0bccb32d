import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TieFrequency, TieKind, TieSource } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** An actor as staff see it. */
export interface ActorRecord {
  id: string;
  name: string;
  kind: string;
  fieldsOfAction: string[];
  districts: string[];
  isPublic: boolean;
  mergedInto: string | null;
  retiredAt: string | null;
  createdAt: string;
}

export interface TieRecord {
  id: string;
  fromActorId: string;
  toActorId: string;
  kind: TieKind;
  frequency: TieFrequency | null;
  source: TieSource;
  responseId: string | null;
  workshopWave: string | null;
  observedOn: string;
}

const actorColumns = [
  'id',
  'name',
  'kind',
  'fields_of_action',
  'districts',
  'is_public',
  'merged_into',
  'retired_at',
  'created_at',
] as const;

type ActorRow = {
  id: string;
  name: string;
  kind: string;
  fields_of_action: string[];
  districts: string[];
  is_public: boolean;
  merged_into: string | null;
  retired_at: Date | null;
  created_at: Date;
};

function toActor(row: ActorRow): ActorRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    fieldsOfAction: row.fields_of_action,
    districts: row.districts,
    isPublic: row.is_public,
    mergedInto: row.merged_into,
    retiredAt: row.retired_at ? new Date(row.retired_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export interface ActorListFilter {
  includeRetired?: boolean;
  includeMerged?: boolean;
  publicOnly?: boolean;
}

export async function listActors(db: Db, filter: ActorListFilter = {}): Promise<ActorRecord[]> {
  let query = db.selectFrom('actor').select(actorColumns);
  if (!filter.includeMerged) query = query.where('merged_into', 'is', null);
  if (!filter.includeRetired) query = query.where('retired_at', 'is', null);
  if (filter.publicOnly) query = query.where('is_public', '=', true);
  const rows = await query.orderBy('name').orderBy('id').execute();
  return rows.map(toActor);
}

/** How many ties and response links each actor has (actors with none are absent): two grouped counts. */
export async function referenceCounts(db: Db): Promise<Map<string, { ties: number; responses: number }>> {
  const [ties, responses] = await Promise.all([
    sql<{ actor_id: string; n: string | number }>`
      select actor_id, count(*) as n from (
        select from_actor_id as actor_id from actor_tie
        union all
        select to_actor_id as actor_id from actor_tie
      ) as ends group by actor_id`.execute(db),
    db.selectFrom('actor_response').select(['actor_id', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('actor_id').execute(),
  ]);
  const counts = new Map<string, { ties: number; responses: number }>();
  const entry = (id: string) => counts.get(id) ?? counts.set(id, { ties: 0, responses: 0 }).get(id)!;
  for (const row of ties.rows) entry(row.actor_id).ties = Number(row.n);
  for (const row of responses) entry(row.actor_id).responses = Number(row.n);
  return counts;
}

export async function findActor(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<ActorRecord | null> {
  let query = db.selectFrom('actor').select(actorColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toActor(row) : null;
}

export interface ActorValues {
  name: string;
  kind: string;
  fieldsOfAction: string[];
  districts: string[];
  isPublic: boolean;
}

export async function insertActor(db: Db, id: string, values: ActorValues): Promise<void> {
  await db
    .insertInto('actor')
    .values({
      id,
      name: values.name,
      kind: values.kind,
      fields_of_action: JSON.stringify(values.fieldsOfAction),
      districts: JSON.stringify(values.districts),
      is_public: values.isPublic,
    })
    .execute();
}

export async function updateActor(db: Db, id: string, values: Partial<ActorValues>): Promise<void> {
  await db
    .updateTable('actor')
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.kind !== undefined ? { kind: values.kind } : {}),
      ...(values.fieldsOfAction !== undefined ? { fields_of_action: JSON.stringify(values.fieldsOfAction) } : {}),
      ...(values.districts !== undefined ? { districts: JSON.stringify(values.districts) } : {}),
      ...(values.isPublic !== undefined ? { is_public: values.isPublic } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function setActorRetired(db: Db, id: string, retiredAt: Date | null): Promise<void> {
  await db.updateTable('actor').set({ retired_at: retiredAt, updated_at: new Date() }).where('id', '=', id).execute();
}

const tieColumns = [
  'id',
  'from_actor_id',
  'to_actor_id',
  'kind',
  'frequency',
  'source',
  'response_id',
  'workshop_wave',
  sql<string>`observed_on::text`.as('observed_on'),
] as const;

function toTie(row: {
  id: string;
  from_actor_id: string;
  to_actor_id: string;
  kind: TieKind;
  frequency: TieFrequency | null;
  source: TieSource;
  response_id: string | null;
  workshop_wave: string | null;
  observed_on: string;
}): TieRecord {
  return {
    id: row.id,
    fromActorId: row.from_actor_id,
    toActorId: row.to_actor_id,
    kind: row.kind,
    frequency: row.frequency,
    source: row.source,
    responseId: row.response_id,
    workshopWave: row.workshop_wave,
    observedOn: row.observed_on,
  };
}

export interface TieFilter {
  /** Only ties observed on or before this day (`YYYY-MM-DD`). */
  observedBy?: string;
  kinds?: readonly string[];
  actorId?: string;
  /** Only ties from these sources (inventory, workshop, staff). */
  sources?: readonly TieSource[];
  /** Only ties of these workshop waves (by name). */
  waves?: readonly string[];
}

export async function listTies(db: Db, filter: TieFilter = {}): Promise<TieRecord[]> {
  let query = db.selectFrom('actor_tie').select(tieColumns);
  if (filter.observedBy) query = query.where(sql<boolean>`observed_on <= ${filter.observedBy}::date`);
  if (filter.kinds && filter.kinds.length > 0) query = query.where('kind', 'in', filter.kinds as TieKind[]);
  if (filter.sources && filter.sources.length > 0) query = query.where('source', 'in', filter.sources as TieSource[]);
  if (filter.waves && filter.waves.length > 0) query = query.where('workshop_wave', 'in', filter.waves as string[]);
  if (filter.actorId) {
    const id = filter.actorId;
    query = query.where((eb) => eb.or([eb('from_actor_id', '=', id), eb('to_actor_id', '=', id)]));
  }
  const rows = await query.orderBy('observed_on').orderBy('id').execute();
  return rows.map(toTie);
}

export interface NewTie {
  id: string;
  fromActorId: string;
  toActorId: string;
  kind: TieKind;
  frequency: TieFrequency | null;
  source: TieSource;
  responseId: string | null;
  workshopWave: string | null;
  observedOn: string;
  /** The workshop the tie was drawn in (workshop mode); absent for other ties. */
  workshopId?: string | null;
}

export async function insertTie(db: Db, tie: NewTie): Promise<void> {
  await db
    .insertInto('actor_tie')
    .values({
      id: tie.id,
      from_actor_id: tie.fromActorId,
      to_actor_id: tie.toActorId,
      kind: tie.kind,
      frequency: tie.frequency,
      source: tie.source,
      response_id: tie.responseId,
      workshop_wave: tie.workshopWave,
      workshop_id: tie.workshopId ?? null,
      observed_on: tie.observedOn,
    })
    .execute();
}

export async function findTieInResponse(db: Db, tie: Pick<NewTie, 'responseId' | 'fromActorId' | 'toActorId' | 'kind'>): Promise<boolean> {
  if (!tie.responseId) return false;
  const row = await db
    .selectFrom('actor_tie')
    .select('id')
    .where('response_id', '=', tie.responseId)
    .where('from_actor_id', '=', tie.fromActorId)
    .where('to_actor_id', '=', tie.toActorId)
    .where('kind', '=', tie.kind)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether `id` is a stored response to a stakeholder inventory (a survey of kind `stakeholder`). */
export async function inventoryResponseExists(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('response')
    .innerJoin('survey', 'survey.slug', 'response.survey_slug')
    .select('response.id')
    .where('response.id', '=', id)
    .where('survey.kind', '=', 'stakeholder')
    .executeTakeFirst();
  return row !== undefined;
}

export async function linkResponseToActor(db: Db, responseId: string, actorId: string): Promise<void> {
  await db
    .insertInto('actor_response')
    .values({ response_id: responseId, actor_id: actorId })
    .onConflict((oc) => oc.column('response_id').doUpdateSet({ actor_id: actorId }))
    .execute();
}

export async function responsesOfActor(db: Db, actorId: string): Promise<string[]> {
  const rows = await db.selectFrom('actor_response').select('response_id').where('actor_id', '=', actorId).orderBy('response_id').execute();
  return rows.map((row) => row.response_id);
}

export interface MergeCounts {
  tiesMoved: number;
  /** Ties between the two duplicates: after the merge they would join an actor to itself. */
  tiesBetweenDroppedAsSelf: number;
  /** Ties that, once moved, repeat one already there from the same response. */
  tiesDroppedAsRepeat: number;
  responsesMoved: number;
}

/**
 * Moves every tie, response link and workshop-poster place of `from` to `into`. Runs inside the merge's transaction.
 * Ties between the two would become self-ties and ties repeated within one response would break
 * the once-per-response rule; both are deleted (the response still points at `into` through the
 * tie that stays, or through its respondent link).
 */
export async function moveReferences(trx: Transaction<Database>, from: string, into: string): Promise<MergeCounts> {
  const between = await trx
    .deleteFrom('actor_tie')
    .where((eb) =>
      eb.or([
        eb.and([eb('from_actor_id', '=', from), eb('to_actor_id', '=', into)]),
        eb.and([eb('from_actor_id', '=', into), eb('to_actor_id', '=', from)]),
      ]),
    )
    .executeTakeFirst();
  // A tie of `from` that, re-pointed, equals one `into` already has in the same response.
  const repeats = await sql<{ id: string }>`
    delete from actor_tie moved
    using actor_tie kept
    where moved.response_id is not null
      and kept.response_id = moved.response_id
      and kept.kind = moved.kind
      and kept.id <> moved.id
      and (case when moved.from_actor_id = ${from}::uuid then ${into}::uuid else moved.from_actor_id end) = kept.from_actor_id
      and (case when moved.to_actor_id = ${from}::uuid then ${into}::uuid else moved.to_actor_id end) = kept.to_actor_id
      and (moved.from_actor_id = ${from}::uuid or moved.to_actor_id = ${from}::uuid)
      and kept.from_actor_id <> ${from}::uuid and kept.to_actor_id <> ${from}::uuid
    returning moved.id`.execute(trx);
  const movedFrom = await trx.updateTable('actor_tie').set({ from_actor_id: into }).where('from_actor_id', '=', from).executeTakeFirst();
  const movedTo = await trx.updateTable('actor_tie').set({ to_actor_id: into }).where('to_actor_id', '=', from).executeTakeFirst();
  const responses = await trx.updateTable('actor_response').set({ actor_id: into }).where('actor_id', '=', from).executeTakeFirst();
  // Workshop posters: the duplicate's place becomes the actor it became; where both were on one
  // poster, the one kept takes the duplicate's dots too.
  await sql`
    update workshop_actor kept set dots = kept.dots + moved.dots
    from workshop_actor moved
    where moved.actor_id = ${from}::uuid and kept.actor_id = ${into}::uuid and kept.workshop_id = moved.workshop_id`.execute(trx);
  await sql`
    delete from workshop_actor moved
    where moved.actor_id = ${from}::uuid
      and exists (select 1 from workshop_actor kept where kept.workshop_id = moved.workshop_id and kept.actor_id = ${into}::uuid)`.execute(trx);
  await trx.updateTable('workshop_actor').set({ actor_id: into }).where('actor_id', '=', from).execute();
  await trx.updateTable('workshop').set({ key_actor_id: into }).where('key_actor_id', '=', from).execute();
  return {
    tiesMoved: Number(movedFrom.numUpdatedRows) + Number(movedTo.numUpdatedRows),
    tiesBetweenDroppedAsSelf: Number(between.numDeletedRows),
    tiesDroppedAsRepeat: repeats.rows.length,
    responsesMoved: Number(responses.numUpdatedRows),
  };
}

export async function markMerged(trx: Transaction<Database>, from: string, into: string, at: Date): Promise<void> {
  await trx.updateTable('actor').set({ merged_into: into, retired_at: at, updated_at: at }).where('id', '=', from).execute();
}
