import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { InventoryResponse } from './normalise.ts';

/**
 * Every response to a stakeholder inventory (a survey of kind `stakeholder`), with the actor it is
 * linked to in the registry. A merged actor's links were moved to the surviving actor by the merge;
 * `publicOnly` keeps responses linked to a current (not retired) actor marked public.
 */
export async function listInventoryResponses(db: Kysely<Database>, options: { publicOnly?: boolean } = {}): Promise<InventoryResponse[]> {
  let query = db
    .selectFrom('response')
    .innerJoin('survey', 'survey.slug', 'response.survey_slug')
    .leftJoin('actor_response', 'actor_response.response_id', 'response.id')
    .leftJoin('actor', 'actor.id', 'actor_response.actor_id')
    .select([
      'response.id as id',
      'response.survey_version as version',
      'response.answers as answers',
      'actor.id as actor_id',
      'actor.name as actor_name',
      'actor.kind as actor_kind',
      'actor.is_public as actor_is_public',
      'actor.retired_at as actor_retired_at',
    ])
    .where('survey.kind', '=', 'stakeholder');
  if (options.publicOnly) {
    query = query.where('actor.is_public', '=', true).where('actor.retired_at', 'is', null).where('actor.merged_into', 'is', null);
  }
  const rows = await query.orderBy('response.submitted_at').orderBy('response.id').execute();
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    answers: (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, unknown>,
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name!, kind: row.actor_kind!, isPublic: row.actor_is_public === true } : null,
  }));
}

export interface DistrictName {
  code: string;
  name: Record<string, string>;
  retired: boolean;
}

export async function listDistrictNames(db: Kysely<Database>): Promise<DistrictName[]> {
  const rows = await db.selectFrom('district').select(['code', 'name', 'retired_at']).orderBy('sort_order').orderBy('code').execute();
  return rows.map((row) => ({
    code: row.code,
    name: (typeof row.name === 'string' ? JSON.parse(row.name) : row.name) as Record<string, string>,
    retired: row.retired_at !== null,
  }));
}

/** The resident survey the offers are crossed with: `resident-baseline` when it exists, else the first of kind `resident`. */
export async function findBaselineSlug(db: Kysely<Database>, requested?: string): Promise<string | null> {
  const rows = await db.selectFrom('survey').select('slug').where('kind', '=', 'resident').orderBy('slug').execute();
  const slugs = rows.map((row) => row.slug);
  if (requested !== undefined) return slugs.includes(requested) ? requested : null;
  return slugs.includes('resident-baseline') ? 'resident-baseline' : (slugs[0] ?? null);
}
