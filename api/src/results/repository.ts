import { sql, type Kysely } from 'kysely';
import type { Database, MeasureStatus, ResultSnapshotStatus } from '../db/schema.ts';
import type { LocalisedText } from '../db/schema.ts';
import type { SnapshotContent } from './snapshot-content.ts';
import type { MeasureRow, MeasureUpdate } from '../shared/results.ts';

export interface SnapshotRow {
  id: string;
  surveySlug: string;
  status: ResultSnapshotStatus;
  weighted: boolean;
  content: SnapshotContent;
  createdAt: Date;
  publishedAt: Date | null;
}

const snapshotColumns = ['id', 'survey_slug', 'status', 'weighted', 'content', 'created_at', 'published_at'] as const;

type RawSnapshot = {
  id: string;
  survey_slug: string;
  status: ResultSnapshotStatus;
  weighted: boolean;
  content: unknown;
  created_at: Date;
  published_at: Date | null;
};

const toSnapshot = (row: RawSnapshot): SnapshotRow => ({
  id: row.id,
  surveySlug: row.survey_slug,
  status: row.status,
  weighted: row.weighted,
  content: row.content as SnapshotContent,
  createdAt: new Date(row.created_at),
  publishedAt: row.published_at === null ? null : new Date(row.published_at),
});

export async function insertSnapshot(db: Kysely<Database>, values: { id: string; surveySlug: string; weighted: boolean; content: SnapshotContent; createdBy: string }) {
  await db
    .insertInto('result_snapshot')
    .values({ id: values.id, survey_slug: values.surveySlug, weighted: values.weighted, content: JSON.stringify(values.content), created_by: values.createdBy, published_by: null })
    .execute();
}

export async function findSnapshot(db: Kysely<Database>, slug: string, id: string): Promise<SnapshotRow | undefined> {
  const row = await db.selectFrom('result_snapshot').select(snapshotColumns).where('survey_slug', '=', slug).where('id', '=', id).executeTakeFirst();
  return row && toSnapshot(row);
}

/** Newest first; the first published one is what the public page shows. */
export async function listSnapshots(db: Kysely<Database>, slug: string, options: { publishedOnly?: boolean } = {}): Promise<SnapshotRow[]> {
  let query = db.selectFrom('result_snapshot').select(snapshotColumns).where('survey_slug', '=', slug);
  if (options.publishedOnly) query = query.where('status', '=', 'published');
  const rows = await query.orderBy(sql`published_at desc nulls first`).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toSnapshot);
}

/** The newest published snapshot of a survey, without its content (what a link to it needs). */
export async function newestPublished(db: Kysely<Database>, slug: string): Promise<{ id: string; publishedAt: Date } | undefined> {
  const row = await db
    .selectFrom('result_snapshot')
    .select(['id', 'published_at'])
    .where('survey_slug', '=', slug)
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, publishedAt: new Date(row.published_at!) };
}

/** Surveys with a published snapshot, and when the newest was published. */
export async function listPublishedSurveys(db: Kysely<Database>): Promise<{ slug: string; publishedAt: Date }[]> {
  const rows = await db
    .selectFrom('result_snapshot')
    .select(['survey_slug', sql<Date>`max(published_at)`.as('published_at')])
    .where('status', '=', 'published')
    .groupBy('survey_slug')
    .orderBy('survey_slug')
    .execute();
  return rows.map((row) => ({ slug: row.survey_slug, publishedAt: new Date(row.published_at) }));
}

/** Publishes a draft; false when it was no draft (published meanwhile, or gone). */
export async function markPublished(db: Kysely<Database>, id: string, by: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('result_snapshot')
    .set({ status: 'published', published_by: by, published_at: at.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteDraft(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('result_snapshot').where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export type { MeasureRow, MeasureUpdate } from '../shared/results.ts';

export interface MeasureValues {
  fieldOfAction: string;
  title: LocalisedText;
  description: LocalisedText;
  status: MeasureStatus;
  surveySlug: string | null;
  resultKeys: string[];
  eventSlugs: string[];
}

const measureRow = (values: MeasureValues) => ({
  field_of_action: values.fieldOfAction,
  title: JSON.stringify(values.title),
  description: JSON.stringify(values.description),
  status: values.status,
  survey_slug: values.surveySlug,
  result_keys: JSON.stringify(values.resultKeys),
  event_slugs: JSON.stringify(values.eventSlugs),
});

export async function insertMeasure(db: Kysely<Database>, id: string, values: MeasureValues) {
  await db.insertInto('measure').values({ id, ...measureRow(values) }).execute();
}

export async function updateMeasure(db: Kysely<Database>, id: string, values: MeasureValues, at: Date): Promise<boolean> {
  const result = await db.updateTable('measure').set({ ...measureRow(values), updated_at: at.toISOString() }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A dated update; the measure takes the update's status. */
export async function insertMeasureUpdate(db: Kysely<Database>, measureId: string, id: string, update: MeasureUpdate, at: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const changed = await tx.updateTable('measure').set({ status: update.status, updated_at: at.toISOString() }).where('id', '=', measureId).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return false;
    await tx.insertInto('measure_update').values({ id, measure_id: measureId, on_date: update.date, status: update.status, text: JSON.stringify(update.text) }).execute();
    return true;
  });
}

/** Measures (of one survey, or all), with their updates oldest first. */
export async function listMeasures(db: Kysely<Database>, options: { surveySlug?: string } = {}): Promise<MeasureRow[]> {
  let query = db.selectFrom('measure').selectAll();
  if (options.surveySlug !== undefined) query = query.where('survey_slug', '=', options.surveySlug);
  const measures = await query.orderBy('field_of_action').orderBy('created_at').orderBy('id').execute();
  if (measures.length === 0) return [];
  const updates = await db
    .selectFrom('measure_update')
    .select(['measure_id', 'status', 'text', sql<string>`to_char(on_date, 'YYYY-MM-DD')`.as('date')])
    .where('measure_id', 'in', measures.map((measure) => measure.id))
    .orderBy('on_date')
    .orderBy('created_at')
    .execute();
  return measures.map((measure) => ({
    id: measure.id,
    fieldOfAction: measure.field_of_action,
    title: measure.title,
    description: measure.description,
    status: measure.status,
    surveySlug: measure.survey_slug,
    resultKeys: measure.result_keys,
    eventSlugs: measure.event_slugs,
    updatedAt: new Date(measure.updated_at),
    updates: updates.filter((update) => update.measure_id === measure.id).map((update) => ({ date: update.date, status: update.status, text: update.text })),
  }));
}
