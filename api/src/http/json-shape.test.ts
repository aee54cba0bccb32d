import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { checkJsonShape } from './json-shape.ts';

const limits = { maxDepth: 4, maxEntries: 10 };

function refusal(value: unknown): string {
  try {
    checkJsonShape(value, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return String((error as ApiError).params.details);
  }
  throw new Error('accepted');
}

describe('checkJsonShape', () => {
  it('passes ordinary bodies through unchanged', () => {
    const body = { id: 'x', answers: { a: [1, 2], b: { c: 'Ä ö 🙂' } }, n: null, t: true };
    expect(checkJsonShape(body, limits)).toEqual(body);
  });

  it('refuses nesting deeper than the limit, and more values than the limit', () => {
    expect(refusal([[[[[1]]]]])).toMatch(/nested deeper than 4/);
    expect(refusal({ a: { b: { c: { d: {} } } } })).toMatch(/nested deeper than 4/);
    expect(refusal(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])))).toMatch(/more than 10 values/);
    expect(refusal({ a: [1, 2, 3, 4, 5], b: [6, 7, 8, 9] })).toMatch(/more than 10 values/);
  });

  it('refuses a __proto__ key at any depth, and leaves Object.prototype alone', () => {
    expect(refusal(JSON.parse('{"__proto__": {"polluted": 1}}'))).toMatch(/__proto__/);
    expect(refusal(JSON.parse('{"a": [{"__proto__": {"polluted": 1}}]}'))).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(checkJsonShape(JSON.parse('{"constructor": {"prototype": 1}}'), limits)).toEqual({ constructor: { prototype: 1 } });
  });

  it('makes strings and keys storable: NUL removed, unpaired surrogates replaced, pairs kept', () => {
    const body = JSON.parse('{"a\\u0000b": "x\\u0000y", "c": ["\\ud800", "\\udfff z", "\\ud83d\\ude42"]}');
    expect(checkJsonShape(body, limits)).toEqual({ ab: 'xy', c: ['\uFFFD', '\uFFFD z', '🙂'] });
  });
});
