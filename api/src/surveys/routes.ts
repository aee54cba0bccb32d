import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listActiveDistricts } from '../districts/index.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { matchesEtag } from '../http/etag.ts';
import { listActors } from '../network/repository.ts';
import { preferredEncoding } from '../web/accept-encoding.ts';
import { findSurveySchedule, findSurveyVersion, findSurveyVersionHeader, listCurrentVersions } from './repository.ts';
import { fingerprint, SurveyJsonCache, type PreparedSurveyJson } from './survey-json-cache.ts';

export interface SurveyRoutesDeps {
  db: Kysely<Database>;
}

/** Public read access to the instruments: the list of open surveys and a survey's current version. */
export function createSurveyRoutes({ db }: SurveyRoutesDeps) {
  const replies = new SurveyJsonCache();
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const surveys = await listCurrentVersions(db, 'open');
      return c.json({
        surveys: surveys.map((survey) => ({
          slug: survey.slug,
          kind: survey.kind,
          version: survey.version,
          title: survey.definition.title ?? survey.slug,
          locales: survey.locales,
          translationStatus: survey.translationStatus,
        })),
      });
    })
    .get('/:slug', async (c) => {
      const slug = c.req.param('slug');
      const versionParam = c.req.query('version');
      const version = versionParam === undefined ? undefined : Number(versionParam);
      // The version column is a 32-bit integer: `?version=1e21` is a bad request, not a database error.
      if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= 2_147_483_647)) {
        throw new ApiError(400, 'invalid_request', { details: 'version must be a positive whole number' });
      }
      const header = await findSurveyVersionHeader(db, slug, version);
      if (!header) {
        if (version !== undefined && (await findSurveyVersionHeader(db, slug))) {
          throw new ApiError(404, 'survey_version_not_found', { slug, version });
        }
        throw new ApiError(404, 'survey_not_found', { slug });
      }
      const [districts, schedule, actorNames] = await Promise.all([
        listActiveDistricts(db),
        findSurveySchedule(db, slug),
        header.kind === 'stakeholder' ? publicActorNames(db) : Promise.resolve([]),
      ]);
      const publicDistricts = districts.map((district) => ({ code: district.code, name: district.name }));
      // Closed also outside its schedule: the page then says so instead of collecting answers in vain.
      const status = schedule?.accepting ? 'open' : 'closed';
      const opensAt = schedule?.opensAt?.toISOString() ?? null;
      const closesAt = schedule?.closesAt?.toISOString() ?? null;
      // The survey's own answers deletion date (never later than the town's): the welcome page names it.
      const answersDeletedBy = schedule?.answersDeletedBy ?? null;
      const key = `${slug}|${header.version}|${header.contentHash}|${header.currentVersion}|${fingerprint([status, opensAt, closesAt, answersDeletedBy, publicDistricts, actorNames])}`;
      const prepared = await replies.get(key, async () => {
        const survey = (await findSurveyVersion(db, slug, header.version))!;
        return {
          slug: survey.slug,
          kind: survey.kind,
          status,
          opensAt,
          closesAt,
          answersDeletedBy,
          version: survey.version,
          currentVersion: header.currentVersion,
          definition: actorNames.length > 0 ? withActorNames(survey.definition, actorNames) : survey.definition,
          locales: survey.locales,
          translationStatus: survey.translationStatus,
          districts: publicDistricts,
        };
      });
      return sendPrepared(c, prepared);
    });
}

/** Questions that name an organisation of the registry: their `dataList` offers the public actors' names. */
export const ACTOR_NAME_QUESTIONS: ReadonlySet<string> = new Set(['org_name', 'partner_name']);

/**
 * The names of current public actors, for the stakeholder inventory's name questions. Read on every
 * request (one small query, like the districts) and part of the reply's cache key, so an actor made
 * public or renamed is offered at once; a non-public actor's name never leaves the server here.
 */
async function publicActorNames(db: Kysely<Database>): Promise<string[]> {
  const actors = await listActors(db, { publicOnly: true });
  return [...new Set(actors.map((actor) => actor.name))];
}

/** A copy of the definition whose organisation-name questions suggest `names` (SurveyJS `dataList`). */
export function withActorNames<T>(definition: T, names: readonly string[]): T {
  const copy = structuredClone(definition);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (typeof element.name === 'string' && ACTOR_NAME_QUESTIONS.has(element.name) && element.type === 'text') element.dataList = [...names];
      for (const key of ['pages', 'elements', 'templateElements']) if (key in element) walk(element[key]);
    }
  };
  walk(copy);
  return copy;
}

/**
 * The prepared reply in the best encoding the client takes, or 304 when it holds this one already.
 * `no-cache`: a client may keep it but asks again each time, so a closed survey or a new district
 * is seen at once, at the price of a 304.
 */
function sendPrepared(c: Context<AppEnv>, prepared: PreparedSurveyJson): Response {
  const encoding = preferredEncoding(c.req.header('accept-encoding'), ['br', 'gzip']);
  const etag = encoding ? `${prepared.etag.slice(0, -1)}-${encoding}"` : prepared.etag;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-cache',
    vary: 'Accept-Encoding',
    etag,
  };
  if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  const body = encoding ? prepared.variants[encoding] : prepared.body;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  return c.body(body as Uint8Array as Uint8Array<ArrayBuffer>, 200, headers);
}
