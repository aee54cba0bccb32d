import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseHumanCode } from '../../api/src/codes/human-code.ts';
import { FIELDS_OF_ACTION, PARTICIPATION_FORMATS } from '../../api/src/shared/contact-options.ts';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { storableText } from '../../api/src/http/json-shape.ts';
import { SUPPORTED_LOCALES } from '../../api/src/shared/locales.ts';
import { MAX_SUPPRESSION_K, MIN_SUPPRESSION_K } from '../../api/src/settings/index.ts';
import { loginAsDemo, type StaffSession } from '../support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { BASELINE_SLUG, baselineAnswers, readBaselineDefinition, seededRandom } from './support/baseline-answers.ts';
import { databaseFingerprint, type DatabaseFingerprint } from './support/database-fingerprint.ts';
import {
  encoding,
  hostileJson,
  hostileKey,
  hostileNumber,
  hostileObject,
  hostileString,
  onTheWire,
  PAYLOADS,
  wireVariation,
  type WireBody,
} from './support/hostile-values.ts';
import { isStandardError } from './support/submission-load.ts';

// Every public endpoint, and the staff writes with a valid session, get random and hostile input:
// wrong types, edge numbers, prototype-pollution keys, SQL/script/formula payloads in every string,
// NUL bytes and unpaired surrogates, bodies cut short, not UTF-8, nested 20,000 deep, 10,000 keys
// wide, over the size limit, or declared as something other than JSON. Each case is built to be
// unacceptable (a valid base with at least one change that must be refused, or a body broken on
// the wire), so each must get a 4xx in the standard error shape, never a 500, and leave every
// table exactly as it was (row counts and checksums compared around each endpoint's run).

const onPostgres = Boolean(process.env.DATABASE_URL);
const KIB = 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Bounded so the suite stays fast; HOSTILE_INPUT_SCALE=10 runs ten times as many cases on demand.
const SCALE = Math.max(1, Number(process.env.HOSTILE_INPUT_SCALE) || 1);
const RUNS = { endpoint: 200 * SCALE, small: 80 * SCALE, login: 120 * SCALE };

type Definition = ReturnType<typeof readBaselineDefinition>;
interface QuestionDomain {
  name: string;
  /** True when the server could take this value as an answer (conservatively: when in doubt, true). */
  mightAccept(value: unknown): boolean;
}

/** The baseline's always-visible questions with a closed set of answers, and what each could accept. */
function closedQuestions(definition: Definition, districtCodes: string[]): QuestionDomain[] {
  // Objects from fast-check may have no prototype, so String() cannot be used on them.
  const text = (value: unknown) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  const same = (allowed: unknown[]) => (value: unknown) => allowed.some((option) => String(option) === text(value));
  const domains: QuestionDomain[] = [];
  for (const page of definition.pages) {
    if (page.visibleIf) continue;
    for (const element of page.elements as Record<string, any>[]) {
      if (element.visibleIf) continue;
      const values = (items: any[] = []) => items.map((item) => (typeof item === 'object' ? item.value : item));
      const name = element.name as string;
      if (element.type === 'radiogroup' || element.type === 'dropdown') {
        const inChoices = same(name === 'district' ? districtCodes : values(element.choices));
        domains.push({ name, mightAccept: (value) => value === null || inChoices(value) });
      } else if (element.type === 'rating') {
        const inScale = same(values(element.rateValues));
        domains.push({ name, mightAccept: (value) => value === null || inScale(value) });
      } else if (element.type === 'checkbox') {
        const inChoices = same(values(element.choices));
        domains.push({
          name,
          mightAccept: (value) => value === null || inChoices(value) || (Array.isArray(value) && value.every(inChoices)),
        });
      } else if (element.type === 'matrix') {
        const rows = values(element.rows);
        const inColumns = same(values(element.columns));
        domains.push({
          name,
          mightAccept: (value) =>
            value === null ||
            (typeof value === 'object' &&
              !Array.isArray(value) &&
              Object.entries(value as object).every(([row, column]) => rows.includes(row) && inColumns(column))),
        });
      } else if (element.type === 'text' && element.inputType === 'number') {
        const min = element.min ?? -Infinity;
        const max = element.max ?? Infinity;
        domains.push({
          name,
          mightAccept: (value) => {
            if (value === null || typeof value === 'boolean') return true;
            const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
            return typeof number === 'number' && !(number < min || number > max);
          },
        });
      }
    }
  }
  return domains;
}

/**
 * A value as the server sees it after `checkJsonShape` (NUL removed, unpaired surrogates replaced,
 * in keys too): filters that keep a case unacceptable must judge this, not the raw value, or
 * `"de\u0000"` would pass for an unknown locale.
 */
function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [storableText(key), clean(member)]));
  }
  return value;
}

/** Applies `apply` to a deep copy, so cases never share (and corrupt) a base. */
function withChanges(base: Record<string, unknown>, apply: (body: Record<string, unknown>) => void): Record<string, unknown> {
  const body = structuredClone(base);
  apply(body);
  return body;
}

/**
 * A path segment for any string: unpaired surrogates (which encodeURIComponent refuses) become
 * U+FFFD, everything else (NUL included) is percent-encoded as is.
 */
function segment(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Sets a member even when its name is `__proto__` (as JSON.parse would). */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

describe(onPostgres ? 'hostile input on every endpoint (PostgreSQL)' : 'hostile input on every endpoint (embedded database, PGlite)', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let interviewer: StaffSession;
  let baselineVersion: number;
  let districtCodes: string[];
  let validAnswers: Record<string, unknown>[];
  let draftCode: string;
  let withdrawCode: string;
  let targetGroupCodes: string[];
  const casesByEndpoint: Record<string, number> = {};
  const statuses: Record<number, number> = {};
  const changedTables: Record<string, string[]> = {};
  let addressCounter = 0;

  beforeAll(async () => {
    platform = await openTestPlatform();
    const survey = (await (await platform.app.request(`/api/surveys/${BASELINE_SLUG}`)).json()) as {
      version: number;
      districts: { code: string }[];
    };
    baselineVersion = survey.version;
    districtCodes = survey.districts.map((district) => district.code);
    const definition = readBaselineDefinition();
    validAnswers = Array.from({ length: 20 }, (_, i) => baselineAnswers(definition, { districtCodes, random: seededRandom(900 + i) }));

    // Something in every table a hostile request could touch, so that "unchanged" means something.
    for (const answers of validAnswers.slice(0, 3)) {
      const stored = await post(`/api/surveys/${BASELINE_SLUG}/responses`, { id: randomUUID(), version: baselineVersion, locale: 'de', answers });
      expect(stored.status).toBe(201);
    }
    const draft = await post(`/api/surveys/${BASELINE_SLUG}/drafts`, { version: baselineVersion, locale: 'de', answers: validAnswers[3] });
    expect(draft.status).toBe(201);
    draftCode = JSON.parse(draft.text).code;
    const contact = await post('/api/contacts', validContact());
    expect(contact.status).toBe(201);
    withdrawCode = JSON.parse(contact.text).withdrawCode;
    admin = await loginAsDemo(platform.app, 'admin');
    interviewer = await loginAsDemo(platform.app, 'interviewer');
    const groups = (await (await platform.app.request('/api/target-groups', { headers: admin.headers() })).json()) as {
      targetGroups: { code: string }[];
    };
    targetGroupCodes = groups.targetGroups.map((group) => group.code);
  });

  afterAll(async () => {
    const cases = Object.values(casesByEndpoint).reduce((sum, n) => sum + n, 0);
    console.log(
      JSON.stringify({
        scenario: `hostile-input/${onPostgres ? 'postgres' : 'pglite'}`,
        cases,
        byEndpoint: casesByEndpoint,
        requests: Object.values(statuses).reduce((sum, n) => sum + n, 0),
        byStatus: statuses,
        tablesChanged: Object.values(changedTables).flat().length,
        objectPrototypeClean: Object.getOwnPropertyNames(Object.prototype).length === BASELINE_PROTOTYPE_NAMES,
      }),
    );
    await platform?.close();
  });

  const BASELINE_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).length;

  /** A request from an address of its own (the login limiter counts per address). */
  function send(method: string, path: string, wire: WireBody | null, headers: Record<string, string> = {}) {
    addressCounter += 1;
    const address = `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
    const allHeaders: Record<string, string> = { ...headers };
    if (wire?.contentType) allHeaders['content-type'] = wire.contentType;
    return Promise.resolve(
      platform.app.request(
        path,
        { method, headers: allHeaders, ...(wire ? { body: wire.body as BodyInit } : {}) },
        { incoming: { socket: { remoteAddress: address } } },
      ),
    ).then(async (response) => {
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      return { status: response.status, text: await response.text(), headers: response.headers };
    });
  }

  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return send('POST', path, { body: JSON.stringify(body), contentType: 'application/json', encoding: 'json' }, headers);
  }

  function validContact(): Record<string, unknown> {
    return { locale: 'de', consent: true, consentVersion: '2026-11', email: 'mitmachen@example.org', topics: ['encounter'], formats: [] };
  }

  function expectRefused(result: { status: number; text: string; headers: Headers }, context: unknown, allow: number[] = []) {
    const described = `${result.status} ${result.text.slice(0, 300)} for ${JSON.stringify(context)?.slice(0, 300)}`;
    expect(result.status >= 400 && result.status < 500 && (result.status !== 429 || allow.includes(429)), described).toBe(true);
    expect(isStandardError(result.text), described).toBe(true);
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
  }

  /** Runs a property with a fingerprint of the whole database before and after. */
  async function leavesDatabaseUnchanged(endpoint: string, run: () => Promise<number>) {
    const before: DatabaseFingerprint = await databaseFingerprint(platform.database.db);
    const cases = await run();
    const after = await databaseFingerprint(platform.database.db);
    casesByEndpoint[endpoint] = (casesByEndpoint[endpoint] ?? 0) + cases;
    changedTables[endpoint] = Object.keys(after).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]));
    expect(after).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).toHaveLength(BASELINE_PROTOTYPE_NAMES);
  }

  async function check<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<void>): Promise<number> {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        cases += 1;
        await predicate(value);
      }),
      { numRuns },
    );
    return cases;
  }

  /** Members that never coincide with a route's own fields (so they cannot repair a broken body). */
  const decoration = (fields: string[]) =>
    fc.array(fc.tuple(hostileKey.filter((key) => !fields.includes(storableText(key))), hostileJson), { maxLength: 3 });

  it('POST /api/surveys/:slug/responses refuses every broken submission', { timeout: 180_000 * SCALE }, async () => {
    const closed = closedQuestions(readBaselineDefinition(), districtCodes);
    const questionNames = new Set(readBaselineDefinition().pages.flatMap((page) => page.elements.map((element) => element.name)));
    const fields = ['id', 'version', 'locale', 'district', 'channel', 'answers'];
    type Mutation = { slug?: string; apply?: (body: Record<string, unknown>) => void; label: string };
    type Body = Record<string, unknown>;
    const mutation: fc.Arbitrary<Mutation> = fc.oneof<fc.Arbitrary<Mutation>[]>(
      hostileJson.filter((v) => !(typeof v === 'string' && UUID.test(storableText(v)))).map((v) => ({ label: 'id', apply: (b: Body) => (b.id = v) })),
      fc
        .oneof(hostileJson, hostileNumber, fc.constantFrom(999, 2_147_483_647))
        .filter((v) => v !== baselineVersion)
        .map((v) => ({ label: 'version', apply: (b: Body) => (b.version = v) })),
      hostileJson.filter((v) => !SUPPORTED_LOCALES.includes(clean(v) as never)).map((v) => ({ label: 'locale', apply: (b: Body) => (b.locale = v) })),
      hostileJson
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => ({ label: 'answers', apply: (b: Body) => (b.answers = v) })),
      fc
        .tuple(hostileKey.filter((key) => !questionNames.has(storableText(key))), hostileJson)
        .map(([key, v]) => ({ label: `unknown question ${key}`, apply: (b: Body) => setMember(b.answers as Record<string, unknown>, key, v) })),
      fc
        .tuple(fc.constantFrom(...closed), fc.oneof(hostileJson, hostileNumber))
        .filter(([question, v]) => !question.mightAccept(clean(v)))
        .map(([question, v]) => ({ label: `bad answer to ${question.name}`, apply: (b: Body) => ((b.answers as Record<string, unknown>)[question.name] = v) })),
      hostileString
        .filter((slug) => !['resident-baseline', 'interview-guide', 'stakeholder-inventory'].includes(slug))
        .map((slug) => ({ label: 'slug', slug })),
    );
    const submission = fc.record({
      base: fc.nat({ max: validAnswers.length - 1 }),
      decorations: decoration(fields),
      freeText: fc.option(hostileString),
      link: fc.record({ district: fc.option(hostileString), channel: fc.option(hostileString) }),
      mutation,
      how: encoding,
      variation: wireVariation,
    });
    await leavesDatabaseUnchanged('POST /api/surveys/:slug/responses', () =>
      check(submission, RUNS.endpoint * 2, async (c) => {
        const body = withChanges({ id: randomUUID(), version: baselineVersion, locale: 'de', answers: validAnswers[c.base]! }, (b) => {
          for (const [key, value] of c.decorations) setMember(b, key, value);
          if (c.freeText !== null) (b.answers as Record<string, unknown>).improvement_ideas = c.freeText;
          if (c.link.district !== null) b.district = c.link.district;
          if (c.link.channel !== null) b.channel = c.link.channel;
          c.mutation.apply?.(b);
        });
        const slug = segment(c.mutation.slug ?? BASELINE_SLUG);
        const result = await send('POST', `/api/surveys/${slug}/responses`, onTheWire(body, c.how, c.variation, 256 * KIB));
        expectRefused(result, { mutation: c.mutation.label, how: c.how, body });
      }),
    );
  });

  it('stores hostile free text as plain text: SQL and script payloads are data, nothing else changes', async () => {
    const before = await databaseFingerprint(platform.database.db);
    const payload = fc.oneof(fc.constantFrom(...PAYLOADS), hostileString).filter((text) => storableText(text).length <= 4000);
    let stored = 0;
    const cases = await check(payload, RUNS.small, async (text) => {
      const id = randomUUID();
      const answers = { ...validAnswers[4]!, improvement_ideas: text };
      const result = await post(`/api/surveys/${BASELINE_SLUG}/responses`, { id, version: baselineVersion, locale: 'de', answers });
      // Blank text is "no answer" and may be refused as such; anything else is a valid answer.
      if (result.status !== 201) {
        expect(storableText(text).trim(), result.text).toBe('');
        return;
      }
      stored += 1;
      // The stored JSON, parsed (not `->>`: PGlite's text decoding drops a leading U+FEFF of a value).
      const row = await sql<{ answers: Record<string, unknown> | string }>`select answers from response where id = ${id}`.execute(
        platform.database.db,
      );
      const storedAnswers = row.rows[0]!.answers;
      const parsed = typeof storedAnswers === 'string' ? (JSON.parse(storedAnswers) as Record<string, unknown>) : storedAnswers;
      expect(parsed.improvement_ideas).toBe(storableText(text));
    });
    casesByEndpoint['free-text payloads stored as data'] = cases;
    const after = await databaseFingerprint(platform.database.db);
    for (const table of Object.keys(before)) {
      if (table === 'response') expect(after[table]!.rows).toBe(before[table]!.rows + stored);
      else expect(after[table], table).toEqual(before[table]);
    }
  });

  it('drafts: POST /api/surveys/:slug/drafts and GET|PUT|DELETE /api/drafts/current (code in X-Resume-Code) refuse what is broken or unknown', { timeout: 120_000 * SCALE }, async () => {
    const fields = ['version', 'locale', 'answers'];
    const mutation = fc.oneof(
      fc
        .oneof(hostileJson, fc.constantFrom(999, 2_147_483_647))
        .filter((v) => v !== baselineVersion)
        .map((v) => ({ label: 'version', slug: BASELINE_SLUG, apply: (b: Record<string, unknown>) => (b.version = v) })),
      hostileJson
        .filter((v) => !SUPPORTED_LOCALES.includes(clean(v) as never))
        .map((v) => ({ label: 'locale', slug: BASELINE_SLUG, apply: (b: Record<string, unknown>) => (b.locale = v) })),
      hostileJson
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => ({ label: 'answers', slug: BASELINE_SLUG, apply: (b: Record<string, unknown>) => (b.answers = v) })),
      hostileString
        .filter((slug) => !['resident-baseline', 'interview-guide', 'stakeholder-inventory'].includes(slug))
        .map((slug) => ({ label: 'slug', slug, apply: (_b: Record<string, unknown>) => {} })),
    );
    const create = fc.record({ decorations: decoration(fields), mutation, how: encoding, variation: wireVariation });
    const ownCode = normaliseHumanCode(draftCode);
    const foreignCode = fc
      .oneof(hostileString, fc.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/))
      .filter((code) => normaliseHumanCode(storableText(code)) !== ownCode);
    const byCode = fc.record({ method: fc.constantFrom('GET', 'PUT', 'DELETE'), code: foreignCode, body: hostileObject, how: encoding, variation: wireVariation });

    await leavesDatabaseUnchanged('drafts', async () => {
      const created = await check(create, RUNS.endpoint, async (c) => {
        const body = withChanges({ version: baselineVersion, locale: 'de', answers: validAnswers[5]! }, (b) => {
          for (const [key, value] of c.decorations) setMember(b, key, value);
          c.mutation.apply(b);
        });
        const result = await send('POST', `/api/surveys/${segment(c.mutation.slug)}/drafts`, onTheWire(body, c.how, c.variation, 256 * KIB));
        expectRefused(result, { mutation: c.mutation.label, how: c.how, body });
      });
      const looked = await check(byCode, RUNS.endpoint, async (c) => {
        const body = { version: baselineVersion, locale: 'de', answers: c.body };
        const wire = c.method === 'PUT' ? onTheWire(body, c.how, c.variation, 256 * KIB) : null;
        // A header carries visible ASCII only; anything else goes as the hex of its UTF-8 bytes.
        const headerCode = /^[\x20-\x7e]*$/.test(c.code) ? c.code : Buffer.from(c.code, 'utf8').toString('hex');
        const result = await send(c.method, '/api/drafts/current', wire, { 'x-resume-code': headerCode });
        expectRefused(result, { method: c.method, code: c.code });
        // The old address with the code in it is refused too, whatever follows it.
        expectRefused(await send(c.method, `/api/drafts/${segment(c.code)}`, wire), { method: c.method, code: c.code, old: true });
      });
      return created + looked;
    });
  });

  it('POST /api/contacts refuses every contact it must not store, and /withdraw every unknown code', { timeout: 120_000 * SCALE }, async () => {
    const fields = ['locale', 'consent', 'consentVersion', 'name', 'email', 'phone', 'topics', 'formats', 'district'];
    const notBlankString = (v: unknown) => typeof v === 'string' && storableText(v).trim() !== '';
    const mutation = fc.oneof(
      hostileJson.filter((v) => v !== true).map((v) => ({ label: 'consent', apply: (b: Record<string, unknown>) => (b.consent = v) })),
      hostileJson.filter((v) => !SUPPORTED_LOCALES.includes(clean(v) as never)).map((v) => ({ label: 'locale', apply: (b: Record<string, unknown>) => (b.locale = v) })),
      hostileJson
        .filter((v) => !(typeof v === 'string' && /^[A-Za-z0-9._-]{1,32}$/.test(storableText(v))))
        .map((v) => ({ label: 'consentVersion', apply: (b: Record<string, unknown>) => (b.consentVersion = v) })),
      hostileJson
        .filter((v) => v !== null && !(notBlankString(v) && /^[^\s@]+@[^\s@]+\.[^\s@.]+$/u.test(storableText(v as string).trim())))
        .map((v) => ({ label: 'email', apply: (b: Record<string, unknown>) => (b.email = v) })),
      hostileJson
        .filter((v) => v !== null && !(typeof v === 'string' && storableText(v).trim() === ''))
        .filter((v) => {
          if (typeof v !== 'string') return true;
          const phone = storableText(v).trim();
          return phone.length > 32 || !/^\+?[0-9 ()/.-]+$/.test(phone) || phone.replace(/\D/g, '').length < 5;
        })
        .map((v) => ({ label: 'phone', apply: (b: Record<string, unknown>) => (b.phone = v) })),
      fc
        .tuple(fc.constantFrom('topics', 'formats'), fc.array(hostileString, { minLength: 1, maxLength: 3 }))
        .filter(([field, items]) => items.some((item) => !(field === 'topics' ? FIELDS_OF_ACTION : PARTICIPATION_FORMATS).includes(storableText(item) as never)))
        .map(([field, items]) => ({ label: field, apply: (b: Record<string, unknown>) => (b[field] = items) })),
      hostileJson
        .filter((v) => notBlankString(v) || (v !== null && typeof v !== 'string'))
        .filter((v) => !districtCodes.includes(typeof v === 'string' ? storableText(v).trim() : ''))
        .map((v) => ({ label: 'district', apply: (b: Record<string, unknown>) => (b.district = v) })),
      fc.constant({ label: 'no way to reach', apply: (b: Record<string, unknown>) => ((b.email = ''), (b.phone = null)) }),
    );
    const contact = fc.record({ decorations: decoration(fields), name: fc.option(hostileString), mutation, how: encoding, variation: wireVariation });
    const ownCode = normaliseHumanCode(withdrawCode);
    const withdrawal = fc.record({
      code: fc.oneof(hostileJson, fc.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)).filter(
        (code) => typeof code !== 'string' || normaliseHumanCode(storableText(code)) !== ownCode,
      ),
      decorations: decoration(['code']),
      how: encoding,
      variation: wireVariation,
    });

    await leavesDatabaseUnchanged('contacts', async () => {
      const opted = await check(contact, RUNS.endpoint, async (c) => {
        const body = withChanges(validContact(), (b) => {
          for (const [key, value] of c.decorations) setMember(b, key, value);
          if (c.name !== null) b.name = c.name;
          c.mutation.apply(b);
        });
        const result = await send('POST', '/api/contacts', onTheWire(body, c.how, c.variation, 16 * KIB));
        expectRefused(result, { mutation: c.mutation.label, how: c.how, body });
      });
      const withdrawn = await check(withdrawal, RUNS.small, async (c) => {
        const body = withChanges({ code: c.code }, (b) => {
          for (const [key, value] of c.decorations) setMember(b, key, value);
        });
        const result = await send('POST', '/api/contacts/withdraw', onTheWire(body, c.how, c.variation, 16 * KIB));
        expectRefused(result, { how: c.how, body });
      });
      return opted + withdrawn;
    });
  });

  it('POST /api/auth/login refuses every wrong or broken login, and GET /api/surveys* never fails', { timeout: 120_000 * SCALE }, async () => {
    const analyst = demoAccounts.find((account) => account.role === 'analyst')!;
    const login = fc.record({
      email: fc.oneof(hostileJson, fc.constant(analyst.email)),
      password: hostileJson.filter((password) => clean(password) !== analyst.password),
      decorations: decoration(['email', 'password']),
      how: encoding,
      variation: wireVariation,
    });
    const read = fc.record({
      slug: hostileString,
      version: fc.option(fc.oneof(hostileString, hostileNumber.map(String))),
      lang: fc.option(hostileString),
    });
    await leavesDatabaseUnchanged('auth and survey reads', async () => {
      // Fewer: every well-formed attempt costs an argon2 verification (~150 ms of CPU).
      const logins = await check(login, RUNS.login, async (c) => {
        const body = withChanges({ email: c.email, password: c.password }, (b) => {
          for (const [key, value] of c.decorations) setMember(b, key, value);
        });
        const result = await send('POST', '/api/auth/login', onTheWire(body, c.how, c.variation, 256 * KIB));
        // Wrong passwords for one account run into its lockout: 429 is a right answer here.
        expectRefused(result, { how: c.how, body }, [429]);
        expect(result.headers.get('set-cookie')).toBeNull();
      });
      const reads = await check(read, RUNS.endpoint, async (c) => {
        const query = new URLSearchParams();
        if (c.version !== null) query.set('version', c.version);
        if (c.lang !== null) query.set('lang', c.lang);
        for (const path of [`/api/surveys/${segment(c.slug)}?${query}`, `/api/surveys?${query}`]) {
          const result = await send('GET', path, null);
          expect(result.status, `${path}: ${result.text.slice(0, 200)}`).toBeLessThan(500);
          if (result.status >= 400) expectRefused(result, path);
        }
      });
      return logins + reads;
    });
  });

  it('staff writes with a valid session refuse hostile bodies, unknown targets, and requests without the CSRF token', { timeout: 180_000 * SCALE }, async () => {
    const surveySlugs = ['resident-baseline', 'interview-guide', 'stakeholder-inventory'];
    const adminStatus = fc.oneof(
      fc.record({ slug: fc.constantFrom(...surveySlugs), status: hostileJson.filter((v) => clean(v) !== 'open' && clean(v) !== 'closed') }),
      fc.record({ slug: hostileString.filter((slug) => !surveySlugs.includes(slug)), status: fc.constantFrom('open', 'closed') }),
    );
    const validGroup = { code: 'fuzz_group', label: { de: 'Fuzz-Gruppe', en: 'Fuzz group' }, expression: "{age_band} = '16-20'", sortOrder: 5, surveyKind: null };
    const groupMutation = fc.oneof(
      hostileJson.filter((v) => !(typeof v === 'string' && /^[a-z][a-z0-9_]{0,62}$/.test(storableText(v)))).map((v) => ({ field: 'code', value: v })),
      hostileJson
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || Object.keys(v).some((key) => !SUPPORTED_LOCALES.includes(storableText(key) as never) && storableText(key) !== 'default'))
        .map((v) => ({ field: 'label', value: v })),
      hostileJson.filter((v) => typeof v !== 'string' || storableText(v).trim() === '').map((v) => ({ field: 'expression', value: v })),
      fc.oneof(hostileJson, hostileNumber)
        .filter((v) => !(typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 1_000_000))
        .map((v) => ({ field: 'sortOrder', value: v })),
      hostileJson.filter((v) => v !== null && !['resident', 'interview', 'stakeholder'].includes(clean(v) as string)).map((v) => ({ field: 'surveyKind', value: v })),
    );
    const group = fc.record({ mutation: groupMutation, how: encoding, variation: wireVariation });
    const foreignGroup = fc.record({
      code: hostileString.filter((code) => !targetGroupCodes.includes(code) && code !== ''),
      method: fc.constantFrom('PATCH', 'DELETE'),
      body: hostileObject,
    });
    const settings = fc.record({
      value: fc.oneof(hostileJson, hostileNumber).filter((v) => !(typeof v === 'number' && Number.isInteger(v) && v >= MIN_SUPPRESSION_K && v <= MAX_SUPPRESSION_K)),
      how: encoding,
      variation: wireVariation,
    });
    const validItem = () => ({ id: randomUUID(), slug: 'interview-guide', version: 1, locale: 'de', answers: {} as Record<string, unknown> });
    const itemMutation = fc.oneof(
      hostileJson.filter((v) => !(typeof v === 'string' && UUID.test(storableText(v)))).map((v) => (item: Record<string, unknown>) => (item.id = v)),
      hostileJson.filter((v) => !surveySlugs.includes(clean(v) as string)).map((v) => (item: Record<string, unknown>) => (item.slug = v)),
      hostileJson.filter((v) => v !== 1).map((v) => (item: Record<string, unknown>) => (item.version = v)),
      hostileJson.filter((v) => !SUPPORTED_LOCALES.includes(clean(v) as never)).map((v) => (item: Record<string, unknown>) => (item.locale = v)),
      hostileJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => (item: Record<string, unknown>) => (item.answers = v)),
      fc.tuple(hostileKey.filter((key) => !['function', 'district'].includes(key) && !key.startsWith('notes_') && !key.startsWith('q_')), hostileJson)
        .map(([key, v]) => (item: Record<string, unknown>) => setMember(item.answers as Record<string, unknown>, `zz_${key}`, v)),
      fc.constant((item: Record<string, unknown>) => (item.photos = ['a'.repeat(64)])),
    );
    const sync = fc.record({
      items: fc.array(itemMutation, { minLength: 1, maxLength: 4 }),
      junk: fc.array(hostileJson, { maxLength: 2 }),
      how: encoding,
      variation: wireVariation,
    });
    const upload = fc.record({
      bytes: fc.uint8Array({ maxLength: 4096 }),
      contentType: fc.constantFrom('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/heic', 'text/plain', 'application/octet-stream'),
    });
    const withoutCsrf = fc.record({
      path: fc.constantFrom('/api/admin/surveys/resident-baseline/status', '/api/target-groups', '/api/interviews/sync'),
      body: hostileObject,
    });

    await leavesDatabaseUnchanged('staff writes', async () => {
      let cases = 0;
      cases += await check(adminStatus, RUNS.small, async (c) => {
        const result = await send('POST', `/api/admin/surveys/${segment(c.slug)}/status`, onTheWire({ status: c.status }, 'json', 0, 0), admin.writeHeaders());
        expectRefused(result, c);
      });
      cases += await check(group, RUNS.endpoint, async (c) => {
        const body = withChanges(validGroup, (b) => (b[c.mutation.field] = c.mutation.value));
        const result = await send('POST', '/api/target-groups', onTheWire(body, c.how, c.variation, 256 * KIB), admin.writeHeaders());
        expectRefused(result, { body, how: c.how });
      });
      cases += await check(foreignGroup, RUNS.small, async (c) => {
        const wire = c.method === 'PATCH' ? onTheWire(c.body, 'json', 0, 0) : null;
        const result = await send(c.method, `/api/target-groups/${segment(c.code)}`, wire, admin.writeHeaders());
        expectRefused(result, c);
      });
      cases += await check(settings, RUNS.small, async (c) => {
        const result = await send('PUT', '/api/analysis/settings', onTheWire({ suppressionK: c.value }, c.how, c.variation, 256 * KIB), admin.writeHeaders());
        expectRefused(result, c);
      });
      cases += await check(sync, RUNS.endpoint, async (c) => {
        const interviews = [...c.items.map((mutate) => withChanges(validItem(), mutate)), ...c.junk];
        const wire = onTheWire({ interviews }, c.how, c.variation, 5 * 1024 * KIB);
        const result = await send('POST', '/api/interviews/sync', wire, interviewer.writeHeaders());
        // A well-formed batch is answered per item: every item must come back rejected.
        if (result.status === 200) {
          const { results } = JSON.parse(result.text) as { results: { status: string }[] };
          expect(results.map((item) => item.status), result.text.slice(0, 300)).toEqual(interviews.map(() => 'rejected'));
        } else {
          expectRefused(result, { how: c.how, interviews });
        }
      });
      cases += await check(upload, RUNS.small, async (c) => {
        const result = await send('POST', '/api/media', { body: c.bytes, contentType: c.contentType, encoding: 'json' }, interviewer.writeHeaders());
        expectRefused(result, { bytes: c.bytes.length, contentType: c.contentType });
      });
      cases += await check(withoutCsrf, RUNS.small, async (c) => {
        const session = c.path.includes('interviews') ? interviewer : admin;
        const result = await send('POST', c.path, onTheWire(c.body, 'json', 0, 0), session.headers());
        expectRefused(result, c);
        expect(JSON.parse(result.text).error.code).toBe('csrf_failed');
      });
      return cases;
    });
  });
});
