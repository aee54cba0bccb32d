import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import type { AppEnv } from '../http/app-env.ts';

export { createWebRoutes, isApiPath } from './routes.ts';
export { PAGE_ROUTES } from './page-routes.ts';

/**
 * Where `npm run build` puts the front end, from the working directory like SURVEYS_DIR's default:
 * the server runs from one bundled file (api/dist/server.mjs), so a path relative to this source
 * file would point elsewhere there. npm start, the tests and the Docker image run from the root.
 */
export const DEFAULT_WEB_DIST_DIR = path.resolve('frontend/dist');

/**
 * gzip for the public survey JSON (`GET /api/surveys[/:slug]`): the baseline questionnaire in nine
 * locales is ~210 KB of JSON and ~43 KB gzipped, and it is part of every respondent's first load.
 * Only GETs: write answers are small, and their tests read them uncompressed.
 */
export const compressSurveyJson = (): MiddlewareHandler<AppEnv> => {
  const gzip = compress({ encoding: 'gzip' });
  return async function compressSurveyJson(c, next) {
    return c.req.method === 'GET' ? gzip(c, next) : next();
  };
};
