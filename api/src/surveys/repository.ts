import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SurveyKind, SurveyStatus } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface SurveyVersionRow {
  slug: string;
  kind: SurveyKind;
  status: SurveyStatus;
  version: number;
  currentVersion: number;
  definition: Record<string, unknown>;
  locales: string[];
  translationStatus: Record<string, string>;
  contentHash: string;
}

const versionColumns = (db: Db) =>
  db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.survey_slug', 'survey.slug')
    .select([
      'survey.slug',
      'survey.kind',
      'survey.status',
      'survey.current_version as currentVersion',
      'survey_version.version',
      'survey_version.definition',
      'survey_version.locales',
      'survey_version.translation_status as translationStatus',
      'survey_version.content_hash as contentHash',
    ]);

/** One version of a survey; the current one when `version` is omitted. */
export async function findSurveyVersion(db: Db, slug: string, version?: number): Promise<SurveyVersionRow | undefined> {
  const row = await versionColumns(db)
    .where('survey.slug', '=', slug)
    .where('survey_version.version', '=', version ?? sql<number>`survey.current_version`)
    .executeTakeFirst();
  return row as SurveyVersionRow | undefined;
}

export async function listCurrentVersions(db: Db, status?: SurveyStatus): Promise<SurveyVersionRow[]> {
  let query = versionColumns(db).whereRef('survey_version.version', '=', 'survey.current_version');
  if (status === 'open') query = query.where(inWindow());
  else if (status) query = query.where('survey.status', '=', status);
  return (await query.orderBy('survey.slug').execute()) as SurveyVersionRow[];
}

export async function findVersionByHash(db: Db, slug: string, contentHash: string) {
  return db
    .selectFrom('survey_version')
    .select(['version'])
    .where('survey_slug', '=', slug)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

/** The current version's number and where it came from (a file name, or `upload:<name>`). */
export async function findSurveyVersionSource(db: Db, slug: string): Promise<{ version: number; sourceFile: string } | undefined> {
  return db
    .selectFrom('survey')
    .innerJoin('survey_version', (join) =>
      join.onRef('survey_version.survey_slug', '=', 'survey.slug').onRef('survey_version.version', '=', 'survey.current_version'),
    )
    .select(['survey_version.version', 'survey_version.source_file as sourceFile'])
    .where('survey.slug', '=', slug)
    .executeTakeFirst();
}

export async function latestVersionNumber(db: Db, slug: string): Promise<number> {
  const row = await db
    .selectFrom('survey_version')
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('survey_slug', '=', slug)
    .executeTakeFirst();
  return Number(row?.latest ?? 0);
}

export interface NewSurveyVersion {
  slug: string;
  kind: SurveyKind;
  version: number;
  definition: Record<string, unknown>;
  locales: string[];
  translationStatus: Record<string, string>;
  contentHash: string;
  sourceFile: string;
  /** The status when the survey is new (a later version never changes it). */
  initialStatus?: SurveyStatus;
}

export async function insertSurveyVersion(trx: Transaction<Database>, v: NewSurveyVersion): Promise<void> {
  await trx
    .insertInto('survey')
    .values({ slug: v.slug, kind: v.kind, status: v.initialStatus ?? 'open', current_version: v.version })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  await trx
    .insertInto('survey_version')
    .values({
      survey_slug: v.slug,
      version: v.version,
      definition: JSON.stringify(v.definition),
      locales: JSON.stringify(v.locales),
      translation_status: JSON.stringify(v.translationStatus),
      content_hash: v.contentHash,
      source_file: v.sourceFile,
    })
    .execute();
  await setCurrentVersion(trx, v.slug, v.version, v.kind);
}

export async function setCurrentVersion(db: Db, slug: string, version: number, kind: SurveyKind): Promise<void> {
  await db.updateTable('survey').set({ current_version: version, kind }).where('slug', '=', slug).execute();
}

export async function setSurveyStatus(db: Db, slug: string, status: SurveyStatus): Promise<boolean> {
  const result = await db.updateTable('survey').set({ status }).where('slug', '=', slug).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface SurveyVersionMeta {
  slug: string;
  kind: SurveyKind;
  status: SurveyStatus;
  currentVersion: number;
  /** null when the survey has no such version. */
  contentHash: string | null;
}

/**
 * What a submission needs to know about a survey and one of its versions, without the (large)
 * definition: the definition of a version never changes, so callers cache it by content hash.
 */
export async function findSurveyVersionMeta(db: Db, slug: string, version: number): Promise<SurveyVersionMeta | undefined> {
  return db
    .selectFrom('survey')
    .leftJoin('survey_version', (join) =>
      join.onRef('survey_version.survey_slug', '=', 'survey.slug').on('survey_version.version', '=', version),
    )
    .select([
      'survey.slug',
      'survey.kind',
      'survey.status',
      'survey.current_version as currentVersion',
      'survey_version.content_hash as contentHash',
    ])
    .where('survey.slug', '=', slug)
    .executeTakeFirst();
}

/**
 * A condition for other features' statements: true while the survey accepts answers. Put into an
 * INSERT it makes "is it open?" and "store it" one atomic step.
 */
/** Open by status and inside its schedule, by the database's clock (the same for every process). */
export function inWindow() {
  return sql<boolean>`(survey.status = 'open' and (survey.opens_at is null or survey.opens_at <= now()) and (survey.closes_at is null or survey.closes_at > now()))`;
}

export interface SurveySchedule {
  status: SurveyStatus;
  opensAt: Date | null;
  closesAt: Date | null;
  /** Whether it takes answers right now. */
  accepting: boolean;
  /** Its own answers deletion date (`YYYY-MM-DD`), or null: the town's applies. */
  answersDeletedBy: string | null;
}

export async function findSurveySchedule(db: Db, slug: string): Promise<SurveySchedule | undefined> {
  const row = await db
    .selectFrom('survey')
    .select(['status', 'opens_at as opensAt', 'closes_at as closesAt', inWindow().as('accepting'), answersDeletedByText().as('answersDeletedBy')])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row ? { ...row, accepting: Boolean(row.accepting) } : undefined;
}

/** Every survey's status and window, for the admin's survey list. */
export async function listSurveySchedules(db: Db): Promise<(SurveySchedule & { slug: string })[]> {
  const rows = await db
    .selectFrom('survey')
    .select(['slug', 'status', 'opens_at as opensAt', 'closes_at as closesAt', inWindow().as('accepting'), answersDeletedByText().as('answersDeletedBy')])
    .orderBy('slug')
    .execute();
  return rows.map((row) => ({ ...row, accepting: Boolean(row.accepting) }));
}

/** A survey's own answers deletion date as `YYYY-MM-DD` (null: the town's applies). */
const answersDeletedByText = () => sql<string | null>`to_char(answers_deleted_by, 'YYYY-MM-DD')`;

/** The survey's own answers deletion date, or undefined when there is no such survey. */
export async function findSurveyDeletionDate(db: Db, slug: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('survey').select(answersDeletedByText().as('date')).where('slug', '=', slug).executeTakeFirst();
  return row ? row.date : undefined;
}

/** Sets a survey's own answers deletion date; returns the one before (undefined: no such survey). */
export async function setSurveyDeletionDate(db: Db, slug: string, date: string | null): Promise<string | null | undefined> {
  const previous = await findSurveyDeletionDate(db, slug);
  if (previous === undefined) return undefined;
  await db.updateTable('survey').set({ answers_deleted_by: date }).where('slug', '=', slug).execute();
  return previous;
}

export async function setSurveySchedule(db: Db, slug: string, schedule: { opensAt: Date | null; closesAt: Date | null }): Promise<boolean> {
  const result = await db
    .updateTable('survey')
    .set({ status: 'open', opens_at: schedule.opensAt, closes_at: schedule.closesAt })
    .where('slug', '=', slug)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function surveyIsOpen(slug: string) {
  return sql<boolean>`exists (select 1 from survey where survey.slug = ${slug} and ${inWindow()})`;
}

/** The day (in the town) a version was registered: nothing can have answered it before. */
export async function findVersionFirstDay(db: Db, slug: string, version: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('survey_version')
    .select(sql<string>`to_char((created_at at time zone 'Europe/Berlin')::date, 'YYYY-MM-DD')`.as('day'))
    .where('survey_slug', '=', slug)
    .where('version', '=', version)
    .executeTakeFirst();
  return row?.day;
}

/** A version's identity without its (large) definition: what a cached reply is looked up by. */
export async function findSurveyVersionHeader(db: Db, slug: string, version?: number) {
  return db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.survey_slug', 'survey.slug')
    .select(['survey.current_version as currentVersion', 'survey.kind', 'survey_version.version', 'survey_version.content_hash as contentHash'])
    .where('survey.slug', '=', slug)
    .where('survey_version.version', '=', version ?? sql<number>`survey.current_version`)
    .executeTakeFirst();
}

/** The current version's translation status per locale (empty for a survey not stored yet). */
export async function findCurrentTranslationStatus(db: Db, slug: string): Promise<Record<string, string>> {
  const row = await db
    .selectFrom('survey')
    .innerJoin('survey_version', (join) =>
      join.onRef('survey_version.survey_slug', '=', 'survey.slug').onRef('survey_version.version', '=', 'survey.current_version'),
    )
    .select('survey_version.translation_status as translationStatus')
    .where('survey.slug', '=', slug)
    .executeTakeFirst();
  return (row?.translationStatus as Record<string, string> | undefined) ?? {};
}

/** Records who set each of these locales' statuses (null: the file in surveys/) with version `version`. */
export async function recordTranslationMarks(
  trx: Transaction<Database>,
  slug: string,
  version: number,
  marks: { locale: string; status: 'draft' | 'reviewed' }[],
  markedBy: string | null,
): Promise<void> {
  if (marks.length === 0) return;
  await trx
    .insertInto('translation_review')
    .values(marks.map((mark) => ({ survey_slug: slug, locale: mark.locale, status: mark.status, version, marked_by: markedBy })))
    .onConflict((oc) =>
      oc.columns(['survey_slug', 'locale']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        version: eb.ref('excluded.version'),
        marked_by: eb.ref('excluded.marked_by'),
        marked_at: sql`now()`,
      })),
    )
    .execute();
}

export interface TranslationMark {
  locale: string;
  status: string;
  version: number;
  markedAt: Date;
  /** The staff account that marked it; null when it came from the file in surveys/ (or the account is gone). */
  markedBy: { email: string; displayName: string | null } | null;
}

export async function listTranslationMarks(db: Db, slug: string): Promise<TranslationMark[]> {
  const rows = await db
    .selectFrom('translation_review')
    .leftJoin('app_user', 'app_user.id', 'translation_review.marked_by')
    .select([
      'translation_review.locale',
      'translation_review.status',
      'translation_review.version',
      'translation_review.marked_at as markedAt',
      'app_user.email',
      'app_user.display_name as displayName',
    ])
    .where('translation_review.survey_slug', '=', slug)
    .execute();
  return rows.map((row) => ({
    locale: row.locale,
    status: row.status,
    version: Number(row.version),
    markedAt: new Date(row.markedAt),
    markedBy: row.email ? { email: row.email, displayName: row.displayName } : null,
  }));
}
