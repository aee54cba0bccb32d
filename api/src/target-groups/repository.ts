import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, LocalisedText, SurveyKind } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface TargetGroup {
  code: string;
  label: LocalisedText;
  expression: string;
  sortOrder: number;
  surveyKind: SurveyKind | null;
}

export type NewTargetGroup = TargetGroup;

const columns = [
  'code',
  'label',
  'expression',
  'sort_order as sortOrder',
  'survey_kind as surveyKind',
] as const;

export async function listTargetGroups(db: Db): Promise<TargetGroup[]> {
  return db.selectFrom('target_group').select(columns).orderBy('sort_order').orderBy('code').execute();
}

export interface RuleSet {
  /** The value of `target_group_revision` these rules were read at (see rules-cache.ts). */
  revision: string;
  rules: TargetGroup[];
}

/** Every rule and the revision counter, read in one statement so that both come from one moment. */
export async function readRuleSet(db: Db): Promise<RuleSet> {
  const rows = await db
    .selectFrom('target_group_revision as r')
    .leftJoin('target_group as t', (join) => join.onTrue())
    .select([sql<string>`r.revision::text`.as('revision'), 't.code', 't.label', 't.expression', 't.sort_order as sortOrder', 't.survey_kind as surveyKind'])
    .orderBy('t.sort_order')
    .orderBy('t.code')
    .execute();
  const revision = rows[0]?.revision;
  if (revision === undefined) throw new Error('target_group_revision has no row: migrations incomplete');
  const rules = rows.flatMap(({ code, label, expression, sortOrder, surveyKind }) =>
    code === null || label === null || expression === null || sortOrder === null ? [] : [{ code, label, expression, sortOrder, surveyKind }],
  );
  return { revision, rules };
}

/** A condition for a write: true while the rules are still at `revision`. */
export function rulesRevisionIs(revision: string): RawBuilder<boolean> {
  return sql<boolean>`(select revision from target_group_revision) = ${revision}::bigint`;
}

export async function currentRulesRevision(db: Db): Promise<string> {
  const row = await db.selectFrom('target_group_revision').select(sql<string>`revision::text`.as('revision')).executeTakeFirstOrThrow();
  return row.revision;
}

/**
 * Runs a change to the rules in a transaction that first waits for every response being stored
 * right now and holds new ones back until it commits (a lock on `response` that conflicts with
 * inserts only). So each response is either committed before the change, and re-tagged by the
 * recomputation that follows it, or written after it, when its insert sees the new revision and
 * refuses rules read before (see insertResponseIfCurrent).
 */
export async function changeRules<T>(db: Kysely<Database>, change: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table response in share row exclusive mode`.execute(trx);
    return change(trx);
  });
}

export async function findTargetGroup(db: Db, code: string): Promise<TargetGroup | undefined> {
  return db.selectFrom('target_group').select(columns).where('code', '=', code).executeTakeFirst();
}

/** Inserts a rule; false when the code exists already. */
export async function insertTargetGroup(db: Db, group: NewTargetGroup): Promise<boolean> {
  const result = await db
    .insertInto('target_group')
    .values({
      code: group.code,
      label: JSON.stringify(group.label),
      expression: group.expression,
      sort_order: group.sortOrder,
      survey_kind: group.surveyKind,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateTargetGroup(db: Db, group: TargetGroup): Promise<boolean> {
  const result = await db
    .updateTable('target_group')
    .set({
      label: JSON.stringify(group.label),
      expression: group.expression,
      sort_order: group.sortOrder,
      survey_kind: group.surveyKind,
      updated_at: sql<Date>`now()`,
    })
    .where('code', '=', group.code)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteTargetGroup(db: Db, code: string): Promise<boolean> {
  const result = await db.deleteFrom('target_group').where('code', '=', code).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface StoredMembership {
  id: string;
  surveyKind: SurveyKind;
  answers: Record<string, unknown>;
  targetGroups: string[];
}

/**
 * One page of stored responses in id order (keyset paging: flat memory however many there are).
 * Re-tagging is the one write the analysis side makes to responses; it touches `target_groups` only.
 */
export async function responsePage(db: Db, afterId: string | null, limit: number): Promise<StoredMembership[]> {
  let query = db
    .selectFrom('response')
    .innerJoin('survey', 'survey.slug', 'response.survey_slug')
    .select(['response.id', 'survey.kind as surveyKind', 'response.answers', 'response.target_groups as targetGroups'])
    .orderBy('response.id')
    .limit(limit);
  if (afterId !== null) query = query.where('response.id', '>', afterId);
  return (await query.execute()) as StoredMembership[];
}

/** Writes new memberships in one statement; rows whose membership is unchanged are not touched. */
export async function writeMemberships(db: Db, rows: { id: string; targetGroups: string[] }[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    update response as r
    set target_groups = v.groups::jsonb
    from unnest(${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => JSON.stringify(row.targetGroups))}::text[])
      as v(id, groups)
    where r.id = v.id and r.target_groups <> v.groups::jsonb`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** One page of responses with their record keys, for counting a rule's matches through the cell key method. */
export async function responseKeyPage(db: Db, afterId: string | null, limit: number): Promise<{ id: string; surveyKind: SurveyKind; answers: Record<string, unknown>; recordKey: number }[]> {
  let query = db
    .selectFrom('response')
    .innerJoin('survey', 'survey.slug', 'response.survey_slug')
    .select(['response.id', 'survey.kind as surveyKind', 'response.answers', 'response.record_key as recordKey'])
    .orderBy('response.id')
    .limit(limit);
  if (afterId !== null) query = query.where('response.id', '>', afterId);
  return (await query.execute()).map((row) => ({ ...row, recordKey: Number(row.recordKey) })) as { id: string; surveyKind: SurveyKind; answers: Record<string, unknown>; recordKey: number }[];
}
