import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';

export interface BodyLimitRule {
  /** Path prefix the rule applies to (`/api/media` covers `/api/media/…`). */
  prefix: string;
  maxBytes: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * The largest request body each part of the API takes. A resident's whole questionnaire with long
 * free-text answers is a few KiB; the default leaves ample room and still stops a client from
 * making the server buffer megabytes of JSON. Routers may set tighter limits of their own.
 */
export const DEFAULT_BODY_LIMIT = 256 * KIB;
export const BODY_LIMIT_RULES: readonly BodyLimitRule[] = [
  // A tablet's day of interviews (open answers and notes per section), synced in one batch.
  { prefix: '/api/interviews', maxBytes: 8 * MIB },
  // Photos of pin boards straight from a tablet camera; sharp re-encodes them smaller.
  { prefix: '/api/media', maxBytes: 25 * MIB },
  // A town's logo as an office has it (a print-quality PNG); sharp makes it small.
  { prefix: '/api/admin/town/logo', maxBytes: 10 * MIB },
  // A new version of an instrument (the resident baseline is about 330 KB in nine languages).
  { prefix: '/api/admin/surveys', maxBytes: 4 * MIB },
];

function ruleMatches(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Refuses request bodies above the limit of the longest matching rule (else the default) with 413
 * `payload_too_large`, counting the bytes actually received when there is no Content-Length.
 */
export const bodyLimits = (
  rules: readonly BodyLimitRule[] = BODY_LIMIT_RULES,
  defaultMaxBytes = DEFAULT_BODY_LIMIT,
): MiddlewareHandler<AppEnv> => {
  const defaultLimiter = limitBody(defaultMaxBytes);
  // Longest prefix first, so a specific rule wins over a general one.
  const limiters = [...rules]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((rule) => ({ prefix: rule.prefix, limit: limitBody(rule.maxBytes) }));

  return async function bodyLimits(c, next) {
    const limiter = limiters.find((entry) => ruleMatches(entry.prefix, c.req.path))?.limit ?? defaultLimiter;
    return limiter(c, next);
  };
};

/**
 * Refuses bodies over `maxBytes` with 413: at once when Content-Length says so (Node's HTTP parser
 * then delivers no more than that), otherwise as soon as the streamed body passes the limit, so an
 * oversized request is never read whole.
 *
 * The Content-Length case is decided from the header alone, without touching `c.req.raw.body`:
 * asking for the body stream makes @hono/node-server build a whole web Request around the socket,
 * which costs more than validating a response does, and every resident's submission has a length.
 */
export const limitBody = (maxBytes: number): MiddlewareHandler<AppEnv> => {
  const streamedLimit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large');
    },
  });
  return async function limitBody(c, next) {
    const declaredLength = c.req.header('content-length');
    if (declaredLength !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(declaredLength)) {
      if (Number(declaredLength) > maxBytes) throw new ApiError(413, 'payload_too_large');
      return next();
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return streamedLimit(c, next);
  };
};
