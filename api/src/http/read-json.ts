import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';

/**
 * Reads a JSON request body and checks it against a schema: 415 when it is not declared as JSON
 * (which also keeps cross-site HTML forms out), 400 `invalid_json` when it does not parse, 400
 * `invalid_request` naming the first problem when it does not fit the schema.
 */
export async function readJsonBody<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new ApiError(415, 'unsupported_media_type');
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'invalid_request', { details: `${where}${issue?.message ?? 'invalid body'}` });
  }
  return parsed.data;
}
