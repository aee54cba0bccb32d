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
  const limiterFor = (maxBytes: number) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError(413, 'payload_too_large');
      },
    });
  const defaultLimiter = limiterFor(defaultMaxBytes);
  // Longest prefix first, so a specific rule wins over a general one.
  const limiters = [...rules]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((rule) => ({ prefix: rule.prefix, limit: limiterFor(rule.maxBytes) }));

  return async function bodyLimits(c, next) {
    const limiter = limiters.find((entry) => ruleMatches(entry.prefix, c.req.path))?.limit ?? defaultLimiter;
    return limiter(c, next);
  };
};
