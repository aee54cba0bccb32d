import type { Context } from 'hono';
import { z } from 'zod';
import { isLocale } from '../shared/locales.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';
import type { JsonShapeLimits } from './json-shape.ts';
import { readJsonBody } from './read-json.ts';

/**
 * A whole baseline questionnaire is a few hundred values; a resident's body with thousands is not one
 * (drafts keep answers unvalidated, so this is their bound).
 */
const RESIDENT_JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: 32, maxEntries: 2_000 };

/**
 * Reads a JSON body for a resident-facing route. A body that names a supported `locale` switches the
 * reply's messages to it before anything else is checked: a person answering in Turkish gets even a
 * "bad request" in Turkish, whatever their browser's Accept-Language says.
 */
export async function readLocalisedJsonBody<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const raw = await readJsonBody(c, z.unknown(), RESIDENT_JSON_SHAPE_LIMITS);
  if (typeof raw === 'object' && raw !== null && 'locale' in raw && isLocale(raw.locale)) c.set('locale', raw.locale);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'invalid_request', { details: `${where}${issue?.message ?? 'invalid body'}` });
  }
  return parsed.data;
}

/**
 * An answers object as JSON.parse made it: a plain object, checked in place. (`z.record` would copy
 * every answer into a new object on each request, for nothing.)
 */
export const answersObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be an object of answers',
);
