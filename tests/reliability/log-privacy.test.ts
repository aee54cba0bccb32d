import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { baselineAnswers, BASELINE_SLUG, INTERVIEW_GUIDE_SLUG, readDefinition, seededRandom } from './support/baseline-answers.ts';
import { startAppUnderTest, type AppUnderTest } from './support/app-under-test.ts';

// The real server process goes through a full day: residents submit (valid and invalid), save a
// draft, leave and withdraw contact details; staff sign in (wrongly and rightly) and an
// interviewer syncs. Every value a person typed is planted and unique; afterwards none of them may
// appear in what the process printed, and neither the client's address nor its user agent may
// appear anywhere in the database. The same process then shows the public-write rate limit
// working on a real socket.

const onPostgres = Boolean(process.env.DATABASE_URL);
const PUBLIC_WRITE_LIMIT = 120;

describe(onPostgres ? 'logs and stored data hold no personal values (PostgreSQL)' : 'logs and stored data hold no personal values (embedded database, PGlite)', () => {
  let app: AppUnderTest;
  const tag = randomBytes(6).toString('hex');
  const planted = {
    freeText: `Planted-Answer-${tag}`,
    invalidAnswer: `Planted-Invalid-${tag}`,
    unknownQuestion: `planted_question_${tag}`,
    draftText: `Planted-Draft-${tag}`,
    contactName: `Planted Person ${tag}`,
    contactEmail: `planted-${tag}@example.org`,
    contactPhone: `+49 170 ${parseInt(tag.slice(0, 7), 16).toString().padStart(7, '0').slice(0, 7)}`,
    invalidEmail: `planted-invalid-${tag}`,
    wrongPassword: `Planted-Password-${tag}`,
    unknownAccount: `planted-account-${tag}@example.org`,
    interviewNote: `Planted-Interview-Note-${tag}`,
    userAgent: `PlantedAgent/${tag}`,
    forwardedFor: `203.0.113.${(parseInt(tag.slice(0, 2), 16) % 200) + 20}`,
  };
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    app = await startAppUnderTest({
      instruments: [BASELINE_SLUG, INTERVIEW_GUIDE_SLUG],
      extraEnv: { PUBLIC_WRITE_LIMIT_PER_MINUTE: String(PUBLIC_WRITE_LIMIT) },
    });
  });
  afterAll(() => app?.dispose());

  const headers = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    'user-agent': planted.userAgent,
    'x-forwarded-for': planted.forwardedFor,
    ...extra,
  });
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const response = await fetch(`${app.current.baseUrl}${path}`, {
      method,
      headers: headers(extra),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };

  it('prints none of the values people typed, nor secrets, through a full flow', { timeout: 120_000 }, async () => {
    const survey = JSON.parse((await call('GET', `/api/surveys/${BASELINE_SLUG}`)).text) as { version: number; districts: { code: string }[] };
    const districtCodes = survey.districts.map((district) => district.code);
    const answers = baselineAnswers(readDefinition(BASELINE_SLUG), { districtCodes, random: seededRandom(5), freeText: () => planted.freeText });
    answers.improvement_ideas = planted.freeText;
    const submission = { id: randomUUID(), version: survey.version, locale: 'de', answers };
    const steps: [string, { status: number; text: string }][] = [];
    const step = async (name: string, result: Promise<{ status: number; text: string; headers: Headers }>) => {
      const done = await result;
      steps.push([name, done]);
      return done;
    };

    expect((await step('submit', call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, submission))).status).toBe(201);
    expect((await step('submit again', call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, submission))).status).toBe(200);
    const conflicting = { ...submission, answers: { ...answers, improvement_ideas: `${planted.freeText}-changed` } };
    expect((await step('conflicting', call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, conflicting))).status).toBe(409);
    const invalid = { ...submission, id: randomUUID(), answers: { ...answers, years_in_town: planted.invalidAnswer, [planted.unknownQuestion]: planted.invalidAnswer } };
    expect((await step('invalid', call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, invalid))).status).toBe(422);
    expect((await step('broken JSON', call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, `{"answers": "${planted.invalidAnswer}`))).status).toBe(400);

    const draft = await step('draft', call('POST', `/api/surveys/${BASELINE_SLUG}/drafts`, { version: survey.version, locale: 'de', answers: { improvement_ideas: planted.draftText } }));
    expect(draft.status).toBe(201);
    const draftCode = (JSON.parse(draft.text) as { code: string }).code;
    secretsSeen.push(draftCode);
    expect((await step('resume draft', call('GET', '/api/drafts/current', undefined, { 'x-resume-code': draftCode }))).status).toBe(200);

    const contact = { locale: 'de', consent: true, consentVersion: '2026-11', name: planted.contactName, email: planted.contactEmail, phone: planted.contactPhone, topics: ['encounter'], formats: ['workshop'] };
    const opted = await step('contact', call('POST', '/api/contacts', contact));
    expect(opted.status).toBe(201);
    const withdrawCode = (JSON.parse(opted.text) as { withdrawCode: string }).withdrawCode;
    secretsSeen.push(withdrawCode);
    expect((await step('invalid contact', call('POST', '/api/contacts', { ...contact, email: planted.invalidEmail, phone: null }))).status).toBe(422);
    expect((await step('withdraw', call('POST', '/api/contacts/withdraw', { code: withdrawCode }))).status).toBe(204);

    const interviewer = demoAccounts.find((account) => account.role === 'interviewer')!;
    expect((await step('wrong password', call('POST', '/api/auth/login', { email: interviewer.email, password: planted.wrongPassword }))).status).toBe(401);
    expect((await step('unknown account', call('POST', '/api/auth/login', { email: planted.unknownAccount, password: planted.wrongPassword }))).status).toBe(401);
    const loginResponse = await fetch(`${app.current.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ email: interviewer.email, password: interviewer.password }),
    });
    expect(loginResponse.status).toBe(200);
    const cookie = /vs_session=[^;]+/.exec(loginResponse.headers.get('set-cookie') ?? '')![0];
    const { csrfToken } = (await loginResponse.json()) as { csrfToken: string };
    secretsSeen.push(cookie.split('=')[1]!, csrfToken, interviewer.password);

    const guide = readDefinition(INTERVIEW_GUIDE_SLUG);
    const interview = {
      id: randomUUID(),
      slug: INTERVIEW_GUIDE_SLUG,
      version: 1,
      locale: 'de',
      answers: baselineAnswers(guide, { districtCodes, random: seededRandom(6), freeText: () => planted.interviewNote }),
    };
    const brokenInterview = { ...interview, id: randomUUID(), answers: { ...interview.answers, function: planted.invalidAnswer } };
    const synced = await step('sync', call('POST', '/api/interviews/sync', { interviews: [interview, brokenInterview] }, { cookie, 'x-csrf-token': csrfToken }));
    expect(synced.status).toBe(200);
    expect((JSON.parse(synced.text) as { results: { status: string }[] }).results.map((result) => result.status)).toEqual(['stored', 'rejected']);
    expect((await step('sync without CSRF', call('POST', '/api/interviews/sync', { interviews: [interview] }, { cookie }))).status).toBe(403);

    expect(await app.current.stop('SIGTERM')).toBe(0);
    const printed = app.current.output.join('');
    // The capture works: the process did print (its start and stop at least).
    expect(printed).toMatch(/listening on/);
    expect(printed).toMatch(/stopped/);

    const leaks = Object.entries(planted)
      .filter(([, value]) => printed.includes(value))
      .map(([name]) => name);
    const secretLeaks = secretsSeen.filter((secret) => printed.includes(secret));
    const database = await app.openDatabase();
    let storedLeaks: string[];
    try {
      const tables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(database.db);
      storedLeaks = [];
      for (const { name } of tables.rows) {
        const dump = await sql<{ text: string | null }>`select string_agg(t::text, ' ') as text from ${sql.table(name)} as t`.execute(database.db);
        const text = dump.rows[0]?.text ?? '';
        for (const [what, value] of [
          ['user agent', planted.userAgent],
          ['forwarded address', planted.forwardedFor],
          ['loopback address', '127.0.0.1'],
          ['wrong password', planted.wrongPassword],
          ['draft code', draftCode],
          ['withdrawal code', withdrawCode],
          ['contact email (withdrawn)', planted.contactEmail],
        ] as const) {
          if (text.includes(value)) storedLeaks.push(`${what} in ${name}`);
        }
      }
    } finally {
      await database.close();
    }
    console.log(
      JSON.stringify({
        scenario: `log-privacy/${app.kind}`,
        requests: steps.length + 1,
        plantedValues: Object.keys(planted).length + secretsSeen.length,
        linesPrinted: printed.split('\n').filter(Boolean).length,
        foundInLogs: [...leaks, ...secretLeaks.map(() => 'secret')],
        foundInDatabase: storedLeaks,
      }),
    );
    expect(leaks).toEqual([]);
    expect(secretLeaks).toEqual([]);
    expect(storedLeaks).toEqual([]);
  });

  it('limits public writes per address on a real socket: 429 with Retry-After, other routes unaffected', { timeout: 120_000 }, async () => {
    // The counts are in the database and survive the restart (the steps above submitted in this
    // window already); this test counts from an empty window, so its 120 are its own.
    const database = await app.openDatabase();
    try {
      expect((await database.db.selectFrom('rate_limit_window').select('hits').where('bucket', '=', 'responses').execute()).length).toBe(1);
      await database.db.deleteFrom('rate_limit_window').execute();
    } finally {
      await database.close();
    }
    await app.restart();
    const statuses: number[] = [];
    let refused: { status: number; text: string; headers: Headers } | undefined;
    for (let i = 0; i <= PUBLIC_WRITE_LIMIT; i += 1) {
      const result = await call('POST', `/api/surveys/${BASELINE_SLUG}/responses`, 'not json', { 'content-type': 'text/plain' });
      statuses.push(result.status);
      if (result.status === 429) refused = result;
    }
    console.log(JSON.stringify({ scenario: `rate-limit/${app.kind}`, requests: statuses.length, limited: statuses.filter((status) => status === 429).length }));
    expect(statuses.slice(0, PUBLIC_WRITE_LIMIT).filter((status) => status === 429)).toEqual([]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused!.text).error.code).toBe('rate_limited');
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('POST', '/api/contacts', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
  });
});
