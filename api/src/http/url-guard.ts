import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';

/**
 * Refuses an address with an encoded NUL (`%00`) in its path or query with 400. Routers hand path
 * parameters and query values to SQL as text, which PostgreSQL cannot hold a NUL in: without this,
 * `/api/surveys/a%00b` is a 500 instead of a plain "bad request".
 */
export const refuseNulInUrl = (): MiddlewareHandler<AppEnv> =>
  async function refuseNulInUrl(c, next) {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    if (/%00/i.test(start >= 0 ? url.slice(start) : url)) {
      throw new ApiError(400, 'invalid_request', { details: 'the address contains a NUL character' });
    }
    await next();
  };
