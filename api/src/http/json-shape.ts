import { ApiError } from './errors.ts';

export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
  /** Object members and array items in the whole body. */
  maxEntries: number;
}

/**
 * Generous for every body this API takes (a synced batch of fifty interviews included), and still
 * far from what it takes to overflow the stack of the recursive code downstream (validation,
 * hashing, JSON.stringify when storing).
 */
export const DEFAULT_JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: 32, maxEntries: 20_000 };

// U+0000 and unpaired UTF-16 surrogates: JSON.parse accepts both, PostgreSQL refuses both (in
// text and in jsonb) and the insert would fail with a 500.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (match) => (match === '\u0000' ? '' : '\uFFFD'));
}

/**
 * Checks a parsed JSON body against `limits` (400 `invalid_request` beyond them) and returns it with
 * every string and key made storable: NUL characters removed, unpaired surrogates (a client that
 * cut an emoji in half) replaced by U+FFFD. Both cannot be typed; dropping them keeps a resident's
 * answer instead of losing it to a database error. A key `__proto__` is refused: JSON.parse makes it
 * an own property, but any later `copy[key] = value` (zod's record parsing does that) would turn it
 * into the object's prototype, and no question is called that.
 */
export function checkJsonShape(value: unknown, limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS): unknown {
  let entries = 0;
  const visit = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') return storableText(node);
    if (node === null || typeof node !== 'object') return node;
    if (depth >= limits.maxDepth) {
      throw new ApiError(400, 'invalid_request', { details: `nested deeper than ${limits.maxDepth} levels` });
    }
    if (Array.isArray(node)) {
      entries += node.length;
      if (entries > limits.maxEntries) throw tooManyEntries(limits);
      return node.map((item) => visit(item, depth + 1));
    }
    const keys = Object.keys(node);
    entries += keys.length;
    if (entries > limits.maxEntries) throw tooManyEntries(limits);
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const cleanKey = storableText(key);
      if (cleanKey === '__proto__') throw new ApiError(400, 'invalid_request', { details: 'the key __proto__ is not allowed' });
      copy[cleanKey] = visit((node as Record<string, unknown>)[key], depth + 1);
    }
    return copy;
  };
  return visit(value, 0);
}

function tooManyEntries(limits: JsonShapeLimits): ApiError {
  return new ApiError(400, 'invalid_request', { details: `more than ${limits.maxEntries} values` });
}
