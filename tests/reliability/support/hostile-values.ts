import fc from 'fast-check';

/**
 * Building blocks for hostile requests: strings that try SQL, script, template and formula
 * injection, path tricks, NUL bytes, unpaired surrogates and bidi overrides; numbers at every
 * edge; JSON trees with prototype-pollution keys; and ways to mangle a body on the wire.
 */

export const PAYLOADS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE response; --",
  '1; DELETE FROM contact WHERE true; --',
  "' UNION SELECT password_hash, email FROM app_user --",
  "'); UPDATE setting SET value = '1'; --",
  '" OR ""="',
  '\\',
  "\\'",
  '$1',
  '%s%s%s%n',
  "{{constructor.constructor('return process')()}}",
  '${7*7}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '=HYPERLINK("https://evil.example","click")',
  '+SUM(1,1)',
  '-2+3',
  '@SUM(A1)',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  'C:\\Windows\\System32',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Eevil\u202C',
  '\uFEFF',
  '🙂'.repeat(50),
  'A'.repeat(5_000),
  '',
  ' ',
  '\r\n\t',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 10 })).map(([payload, tail]) => payload + tail),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const FIELD_NAMES = [
  'id',
  'version',
  'locale',
  'answers',
  'district',
  'channel',
  'email',
  'password',
  'code',
  'consent',
  'status',
  'label',
  'expression',
  'interviews',
  'age_band',
  'years_in_town',
  'improvement_ideas',
];

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', ...FIELD_NAMES),
  hostileString,
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 3, arbitrary: leaf },
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('json'), { maxKeys: 4 }),
  ),
})).json;

/** A JSON object of hostile members (the shape most bodies at least start with). */
export const hostileObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(hostileKey, hostileJson, { maxKeys: 5 });

// ---------------------------------------------------------------------------------------------
// On the wire

export type Encoding = 'json' | 'truncated' | 'invalid-utf8' | 'wrong-content-type' | 'deep' | 'wide' | 'oversized' | 'not-json';

export const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Encoding>('json') },
  fc.constantFrom<Encoding>('truncated', 'invalid-utf8', 'wrong-content-type', 'deep', 'wide', 'oversized', 'not-json'),
);

export interface WireBody {
  body: string | Uint8Array;
  contentType: string | null;
  encoding: Encoding;
}

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'text/html',
  'application/xml',
  'application/jsonp',
  'json',
  null,
];
const NOT_JSON = ['', 'undefined', 'NaN', "{'id': 1}", '[1,]', '{"a":1,}', '{"version": 1e999', '\u0000', 'id=1&version=1', '<xml/>'];
const INVALID_UTF8 = [Uint8Array.of(0xff), Uint8Array.of(0xc3, 0x28), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0xf8, 0x88, 0x80, 0x80, 0x80)];

/** Variation numbers for an encoding: where to cut, which bytes, how deep. */
export const wireVariation = fc.nat({ max: 1_000_000 });

/**
 * Serialises a (top-level object) value the way the encoding asks; every encoding but `json`
 * makes the body unacceptable on its own (`oversized` needs the route's byte limit).
 */
export function onTheWire(value: Record<string, unknown>, how: Encoding, variation: number, maxBytes: number): WireBody {
  const text = JSON.stringify(value);
  switch (how) {
    case 'json':
      return { body: text, contentType: 'application/json', encoding: how };
    case 'truncated':
      // Every strict prefix of an object's JSON text is malformed.
      return { body: text.slice(0, variation % text.length), contentType: 'application/json', encoding: how };
    case 'invalid-utf8': {
      const bytes = new TextEncoder().encode(text);
      const at = variation % (bytes.length + 1);
      const bad = INVALID_UTF8[variation % INVALID_UTF8.length]!;
      const body = new Uint8Array(bytes.length + bad.length);
      body.set(bytes.subarray(0, at), 0);
      body.set(bad, at);
      body.set(bytes.subarray(at), at + bad.length);
      return { body, contentType: 'application/json', encoding: how };
    }
    case 'wrong-content-type':
      return { body: text, contentType: WRONG_CONTENT_TYPES[variation % WRONG_CONTENT_TYPES.length]!, encoding: how };
    case 'deep': {
      const depth = 33 + (variation % 20_000);
      return { body: `{"answers":${'['.repeat(depth)}${']'.repeat(depth)},"id":1}`, contentType: 'application/json', encoding: how };
    }
    case 'wide': {
      const keys = Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',');
      return { body: `{${keys},"x":${text}}`, contentType: 'application/json', encoding: how };
    }
    case 'oversized':
      return { body: text + ' '.repeat(Math.max(0, maxBytes + 1 - Buffer.byteLength(text))), contentType: 'application/json', encoding: how };
    case 'not-json':
      return { body: NOT_JSON[variation % NOT_JSON.length]!, contentType: 'application/json', encoding: how };
  }
}
