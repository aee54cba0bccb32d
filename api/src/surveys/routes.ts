import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listActiveDistricts } from '../districts/index.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { findSurveySchedule, findSurveyVersion, listCurrentVersions } from './repository.ts';

export interface SurveyRoutesDeps {
  db: Kysely<Database>;
}

/** Public read access to the instruments: the list of open surveys and a survey's current version. */
export function createSurveyRoutes({ db }: SurveyRoutesDeps) {
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
      const survey = await findSurveyVersion(db, slug, version);
      if (!survey) {
        if (version !== undefined && (await findSurveyVersion(db, slug))) {
          throw new ApiError(404, 'survey_version_not_found', { slug, version });
        }
        throw new ApiError(404, 'survey_not_found', { slug });
      }
      const [districts, schedule] = await Promise.all([listActiveDistricts(db), findSurveySchedule(db, slug)]);
      return c.json({
        slug: survey.slug,
        kind: survey.kind,
        // Closed also outside its schedule: the page then says so instead of collecting answers in vain.
        status: schedule?.accepting ? 'open' : 'closed',
        opensAt: schedule?.opensAt?.toISOString() ?? null,
        closesAt: schedule?.closesAt?.toISOString() ?? null,
        version: survey.version,
        currentVersion: survey.currentVersion,
        definition: survey.definition,
        locales: survey.locales,
        translationStatus: survey.translationStatus,
        districts: districts.map((district) => ({ code: district.code, name: district.name })),
      });
    });
}
