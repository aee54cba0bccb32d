import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';
import { checkJsonShape, DEFAULT_JSON_SHAPE_LIMITS, type JsonShapeLimits } from './json-shape.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body and checks it against a schema: 415 when it is not declared as JSON
 * (which also keeps cross-site HTML forms out), 400 `invalid_json` when it does not parse, 400
 * `invalid_request` when it is nested too deeply or too large (`shape`), or naming the first problem
 * when it does not fit the schema. Strings come out storable (see `checkJsonShape`).
 */
export async function readJsonBody<T extends z.ZodTypeAny>(
  c: Context<AppEnv>,
  schema: T,
  shape: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS,
): Promise<z.infer<T>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new ApiError(415, 'unsupported_media_type');
  let body: unknown;
  try {
    // Strict UTF-8: bytes that are not UTF-8 make the body malformed, not a string with U+FFFD in it.
    body = JSON.parse(strictUtf8.decode(await c.req.arrayBuffer()));
  } catch {
    throw new ApiError(400, 'invalid_json');
  }
  const parsed = schema.safeParse(checkJsonShape(body, shape));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'invalid_request', { details: `${where}${issue?.message ?? 'invalid body'}` });
  }
  return parsed.data;
}
