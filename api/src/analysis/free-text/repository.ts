import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { NO_DISTRICT } from '../breakdown.ts';
import { TOWN_TIME_ZONE } from '../repository.ts';

/** What the reader reads from: a survey's responses, in one district and/or one target group. */
export interface ReaderFilter {
  district: string | null;
  targetGroup: string | null;
}

/** Responses of a survey per district, and whether they fall into the target group asked about. */
export async function countResponsesByDistrict(db: Kysely<Database>, slug: string, targetGroup: string | null): Promise<{ district: string; inGroup: boolean; n: number }[]> {
  const inGroup = targetGroup === null ? sql<boolean>`false` : sql<boolean>`r.target_groups @> jsonb_build_array(${targetGroup}::text)`;
  const result = await sql<{ district: string; in_group: boolean; n: number }>`
    select coalesce(r.district, ${NO_DISTRICT}::text) as district, ${inGroup} as in_group, count(*)::int as n
    from response r
    where r.survey_slug = ${slug}
    group by 1, 2`.execute(db);
  return result.rows.map((row) => ({ district: row.district, inGroup: row.in_group, n: row.n }));
}

function textConditions(slug: string, key: string, filter: ReaderFilter): RawBuilder<unknown> {
  const conditions = [
    sql`r.survey_slug = ${slug}`,
    sql`jsonb_typeof(r.answers -> ${key}::text) = 'string'`,
    sql`btrim(r.answers ->> ${key}::text) <> ''`,
  ];
  if (filter.district !== null) conditions.push(sql`coalesce(r.district, ${NO_DISTRICT}::text) = ${filter.district}::text`);
  if (filter.targetGroup !== null) conditions.push(sql`r.target_groups @> jsonb_build_array(${filter.targetGroup}::text)`);
  return sql.join(conditions, sql` and `);
}

export interface TextRow {
  /** Only to look up an interview's photos; never leaves the server. */
  responseId: string;
  text: string;
  month: string;
}

/**
 * One page of the non-empty texts under `key`, in a stable shuffle: ordered by a hash of the
 * viewer's `order` seed, the question and each response's secret record key (the cell key method's,
 * never exported). The same seed pages consistently; another question gives an unrelated order, so
 * two lists cannot be laid side by side to line up one person's answers, and knowing response ids
 * does not give the order either.
 */
export async function readTextPage(
  db: Kysely<Database>,
  slug: string,
  key: string,
  filter: ReaderFilter,
  page: { order: string; offset: number; limit: number },
): Promise<{ total: number; rows: TextRow[] }> {
  const where = textConditions(slug, key, filter);
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from response r where ${where}`.execute(db),
    sql<{ response_id: string; text: string; month: string }>`
      select r.id as response_id, r.answers ->> ${key}::text as text,
        to_char(r.submitted_at at time zone ${sql.lit(TOWN_TIME_ZONE)}, 'YYYY-MM') as month
      from response r
      where ${where}
      order by md5(${page.order}::text || ':' || ${key}::text || ':' || r.record_key::text), r.id
      limit ${page.limit} offset ${page.offset}`.execute(db),
  ]);
  return { total: count.rows[0]?.n ?? 0, rows: rows.rows.map((row) => ({ responseId: row.response_id, text: row.text, month: row.month })) };
}

export interface PhotoRow {
  contentHash: string;
  width: number;
  height: number;
}

/** The photos of these interviews (those whose bytes are stored), in the tablet's order. */
export async function photosOfInterviews(db: Kysely<Database>, responseIds: readonly string[]): Promise<Map<string, PhotoRow[]>> {
  const photos = new Map<string, PhotoRow[]>();
  if (responseIds.length === 0) return photos;
  const rows = await db
    .selectFrom('interview_photo')
    .innerJoin('media', 'media.content_hash', 'interview_photo.content_hash')
    .select(['interview_photo.response_id', 'interview_photo.content_hash', 'media.width', 'media.height'])
    .where('interview_photo.response_id', 'in', [...responseIds])
    .where('media.image', 'is not', null)
    .orderBy('interview_photo.response_id')
    .orderBy('interview_photo.position')
    .execute();
  for (const row of rows) {
    let list = photos.get(row.response_id);
    if (!list) photos.set(row.response_id, (list = []));
    list.push({ contentHash: row.content_hash, width: row.width, height: row.height });
  }
  return photos;
}

/** Whether a photo belongs to an interview of this survey (the only photos its reader shows). */
export async function isPhotoOfSurvey(db: Kysely<Database>, slug: string, contentHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('interview_photo')
    .innerJoin('response', 'response.id', 'interview_photo.response_id')
    .select('interview_photo.position')
    .where('interview_photo.content_hash', '=', contentHash)
    .where('response.survey_slug', '=', slug)
    .executeTakeFirst();
  return row !== undefined;
}
