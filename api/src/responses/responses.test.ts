import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAnswers, seededRandom } from '../../../tests/support/answer-generator.ts';
import { FIXTURE_SURVEYS_DIR, REAL_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { registerInstruments } from '../surveys/catalogue.ts';
import { closeSurvey } from '../surveys/close-survey.ts';
import { changeRules } from '../target-groups/repository.ts';

type Json = Record<string, unknown>;

/** The fixture instruments, plus copies this file changes (a new version, a survey to close). */
async function prepareSurveysDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-responses-'));
  for (const file of ['mini.json', 'conditional.json', 'guide-mini.json']) {
    await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, file), path.join(dir, file));
  }
  await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), path.join(dir, 'closing.json'));
  await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), path.join(dir, 'evolving.json'));
  return dir;
}

describe('POST /api/surveys/:slug/responses', () => {
  let platform: TestPlatform;
  let surveysDir: string;

  beforeAll(async () => {
    surveysDir = await prepareSurveysDir();
    platform = await openTestPlatform({ surveysDir, config: { publicWriteLimitPerMinute: 10_000 } });
  });
  afterAll(async () => {
    await platform?.close();
    if (surveysDir) await fs.rm(surveysDir, { recursive: true, force: true });
  });

  const post = (slug: string, body: unknown, headers: Record<string, string> = {}) =>
    platform.app.request(`/api/surveys/${slug}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const submission = (answers: Json, extra: Json = {}) => ({ id: randomUUID(), version: 1, locale: 'de', answers, ...extra });
  const storedRows = (id: string) =>
    platform.database.db.selectFrom('response').selectAll().where('id', '=', id).execute();

  it('stores a first submission (201) with mode, locale, district, channel and hash; never an IP address or user agent', async () => {
    const body = submission({ satisfaction: 'high', age: 34 }, { locale: 'en', district: 'klein-gerau', channel: 'poster-bakery' });
    const res = await post('mini', body, { 'user-agent': 'Marker-Agent/7.7', 'x-forwarded-for': '203.0.113.77' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: body.id, status: 'stored' });

    const [row] = await storedRows(body.id);
    expect(row).toMatchObject({
      survey_slug: 'mini',
      survey_version: 1,
      mode: 'online',
      locale: 'en',
      district: 'klein-gerau',
      channel: 'poster-bakery',
      answers: { satisfaction: 'high', age: 34 },
      interviewer_ref: null,
    });
    expect(row!.payload_hash).toMatch(/^[0-9a-f]{64}$/);

    // Neither the address nor the agent is anywhere in the database, in any table.
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(platform.database.db);
    for (const { table_name } of tables.rows) {
      const hits = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)} t where t::text like '%203.0.113.77%' or t::text like '%Marker-Agent%'`.execute(
        platform.database.db,
      );
      expect(hits.rows[0]!.n, table_name).toBe(0);
    }
  });

  it('answers 200 with the same body for the same id and payload, and never writes a second row', async () => {
    const body = submission({ satisfaction: 'low' });
    expect((await post('mini', body)).status).toBe(201);
    const again = await post('mini', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: body.id, status: 'stored' });
    // Key order and an upper-case id do not make it a different submission.
    const reordered = { answers: body.answers, locale: 'de', version: 1, id: body.id.toUpperCase() };
    expect((await post('mini', reordered)).status).toBe(200);
    expect(await storedRows(body.id)).toHaveLength(1);
  });

  it('turns 20 simultaneous copies of one response into exactly one row', async () => {
    const body = submission({ satisfaction: 'high', age: 70 });
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('mini', body)));
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array(18).fill(200), 201].sort());
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(await storedRows(body.id)).toHaveLength(1);
  });

  it('refuses the same id with other answers (409) and leaves the stored row as it was', async () => {
    const body = submission({ satisfaction: 'high' });
    expect((await post('mini', body)).status).toBe(201);
    const [before] = await storedRows(body.id);
    const res = await post('mini', { ...body, answers: { satisfaction: 'low' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('response_conflict');
    // Another district from the link is another payload as well.
    expect((await post('mini', { ...body, district: 'worfelden' })).status).toBe(409);
    expect(await storedRows(body.id)).toEqual([before]);
  });

  it('refuses the id of a response to another survey', async () => {
    const body = submission({ satisfaction: 'high' });
    expect((await post('mini', body)).status).toBe(201);
    expect((await post('evolving', body)).status).toBe(409);
  });

  it('accepts a required question hidden by visibleIf left empty, and drops answers to hidden questions', async () => {
    const body = submission({ children: 'no', children_count: 4, daycare_satisfied: 'yes', satisfaction: 3 });
    const res = await post('conditional', body);
    expect(res.status).toBe(201);
    const [row] = await storedRows(body.id);
    expect(row!.answers).toEqual({ children: 'no', satisfaction: 3, is_parent: false });
  });

  it('answers 422 with per-question errors: unknown name, wrong choice, number out of range, wrong type', async () => {
    const cases: [Json, string][] = [
      [{ satisfaction: 'high', shoe_size: 42 }, 'shoe_size'],
      [{ satisfaction: 'medium' }, 'satisfaction'],
      [{ satisfaction: 'high', age: 130 }, 'age'],
      [{ satisfaction: 'high', age: 'forty' }, 'age'],
      [{ satisfaction: 'high', district: 'atlantis' }, 'district'],
      [{}, 'satisfaction'],
    ];
    for (const [answers, question] of cases) {
      const body = submission(answers);
      const res = await post('mini', body);
      expect(res.status, JSON.stringify(answers)).toBe(422);
      const json = (await res.json()) as { error: { code: string; message: string }; errors: { question: string; message: string }[] };
      expect(json.error.code).toBe('validation_failed');
      expect(json.error.message).toEqual(expect.any(String));
      expect(json.errors.map((error) => error.question)).toEqual([question]);
      expect(await storedRows(body.id)).toHaveLength(0);
    }
  });

  it('writes the messages in the respondent’s locale: Turkish differs from German', async () => {
    const answers = { satisfaction: 'high', age: 500 };
    const messages = async (locale: string) => {
      const json = (await (await post('mini', submission(answers, { locale }))).json()) as {
        error: { message: string };
        errors: { message: string }[];
      };
      return [json.error.message, ...json.errors.map((error) => error.message)];
    };
    const german = await messages('de');
    const turkish = await messages('tr');
    expect(german[1]).toBe('Der Wert sollte nicht größer als 120 sein');
    expect(turkish[1]).toBe("Değer 120'dan büyük olmamalıdır");
    expect(turkish[0]).not.toBe(german[0]);
  });

  it('takes the district from the answers over the link, drops an unknown link district, keeps only plain channels', async () => {
    const cases: [Json, string | null, string | null][] = [
      [{ district: 'worfelden', channel: 'flyer' }, 'worfelden', 'flyer'],
      [{ district: 'atlantis', channel: 'Flyer!' }, null, null],
      [{ district: null, channel: 'x'.repeat(33) }, null, null],
      [{}, null, null],
    ];
    for (const [extra, district, channel] of cases) {
      const body = submission({ satisfaction: 'high' }, extra);
      expect((await post('mini', body)).status).toBe(201);
      expect((await storedRows(body.id))[0]).toMatchObject({ district, channel });
    }
    const answered = submission({ satisfaction: 'high', district: 'buettelborn' }, { district: 'worfelden' });
    expect((await post('mini', answered)).status).toBe(201);
    expect((await storedRows(answered.id))[0]!.district).toBe('buettelborn');
  });

  it('stores the target groups the answers fall into when they arrive', async () => {
    await platform.database.db
      .insertInto('target_group')
      .values({ code: 'parents_test', label: JSON.stringify({ default: 'Eltern' }), expression: "{children} = 'yes'", sort_order: 99, survey_kind: null })
      .execute();
    const parent = submission({
      children: 'yes',
      children_count: 2,
      household_size: 4,
      daycare_satisfied: 'yes',
      support_contact: true,
    });
    expect((await post('conditional', parent)).status).toBe(201);
    expect((await storedRows(parent.id))[0]!.target_groups).toContain('parents_test');
    const other = submission({ children: 'no' });
    expect((await post('conditional', other)).status).toBe(201);
    expect((await storedRows(other.id))[0]!.target_groups).not.toContain('parents_test');
  });

  it('tags by the rules as they are now, also when another process changed them after this one read them', async () => {
    const db = platform.database.db;
    await db
      .insertInto('target_group')
      .values({ code: 'large_household', label: JSON.stringify({ default: 'Großer Haushalt' }), expression: '{household_size} >= 5', sort_order: 98, survey_kind: null })
      .execute();
    const household = (size: number) => submission({ children: 'no', household_size: size });
    // The app now holds the rules in memory, with the revision it read them at.
    const before = household(4);
    expect((await post('conditional', before)).status).toBe(201);
    expect((await storedRows(before.id))[0]!.target_groups).not.toContain('large_household');
    // As psql or a second app process would: the app hears nothing of it.
    await db.updateTable('target_group').set({ expression: '{household_size} >= 4' }).where('code', '=', 'large_household').execute();
    const after = household(4);
    expect((await post('conditional', after)).status).toBe(201);
    expect((await storedRows(after.id))[0]!.target_groups).toContain('large_household');
    await db.deleteFrom('target_group').where('code', '=', 'large_household').execute();
  });

  it('holds a response back while a rule changes, then tags it by the new rule', async () => {
    const db = platform.database.db;
    await db
      .insertInto('target_group')
      .values({ code: 'small_household', label: JSON.stringify({ default: 'Kleiner Haushalt' }), expression: '{household_size} <= 1', sort_order: 97, survey_kind: null })
      .execute();
    const warm = submission({ children: 'no', household_size: 3 });
    expect((await post('conditional', warm)).status).toBe(201);
    expect((await storedRows(warm.id))[0]!.target_groups).not.toContain('small_household');

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let changed!: () => void;
    const ruleWritten = new Promise<void>((resolve) => (changed = resolve));
    const change = changeRules(db, async (trx) => {
      await trx.updateTable('target_group').set({ expression: '{household_size} <= 3' }).where('code', '=', 'small_household').execute();
      changed();
      await released;
    });
    await ruleWritten;
    const during = submission({ children: 'no', household_size: 3 });
    let answered = false;
    const posting = Promise.resolve(post('conditional', during)).then((res) => {
      answered = true;
      return res;
    });
    // Long enough for an unguarded insert to finish many times over.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    release();
    await change;
    expect((await posting).status).toBe(201);
    expect((await storedRows(during.id))[0]!.target_groups).toContain('small_household');
    await db.deleteFrom('target_group').where('code', '=', 'small_household').execute();
  });

  it('answers 404 for an unknown survey, 409 for a version that does not exist, and accepts an older version', async () => {
    const unknown = await post('no-such-survey', submission({ satisfaction: 'high' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('survey_not_found');

    const future = await post('evolving', submission({ satisfaction: 'high' }, { version: 2 }));
    expect(future.status).toBe(409);
    expect(((await future.json()) as { error: { code: string } }).error.code).toBe('version_conflict');

    // Version 2 adds a choice; a respondent who started on version 1 is still judged by version 1.
    const file = JSON.parse(await fs.readFile(path.join(surveysDir, 'evolving.json'), 'utf8'));
    file.definition.pages[0].elements[1].choices.push({ value: 'medium', text: { default: 'Mittel', en: 'Medium', ar: 'متوسط' } });
    await fs.writeFile(path.join(surveysDir, 'evolving.json'), JSON.stringify(file));
    await registerInstruments(platform.database.db, surveysDir);

    expect((await post('evolving', submission({ satisfaction: 'medium' }, { version: 1 }))).status).toBe(422);
    expect((await post('evolving', submission({ satisfaction: 'high' }, { version: 1 }))).status).toBe(201);
    const current = submission({ satisfaction: 'medium' }, { version: 2 });
    expect((await post('evolving', current)).status).toBe(201);
    expect((await storedRows(current.id))[0]!.survey_version).toBe(2);
  });

  it('refuses responses to a closed survey (409), but still confirms one stored before closing', async () => {
    const early = submission({ satisfaction: 'high' });
    expect((await post('closing', early)).status).toBe(201);
    expect((await closeSurvey(platform.database.db, 'closing')).closed).toBe(true);

    const late = await post('closing', submission({ satisfaction: 'low' }));
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('survey_closed');
    // The client of the early response never heard back and retries: it must learn its answers are safe.
    const retry = await post('closing', early);
    expect(retry.status).toBe(200);
    expect((await post('closing', { ...early, answers: { satisfaction: 'low' } })).status).toBe(409);
    // Invalid answers to a closed survey: "closed" is what helps, not a list of corrections.
    const invalid = await post('closing', submission({ satisfaction: 'maybe' }));
    expect(invalid.status).toBe(409);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('survey_closed');
  });

  it('follows the district table: a district added is accepted at once, one removed is refused', async () => {
    const { db } = platform.database;
    const before = submission({ satisfaction: 'high', district: 'neudorf' });
    expect((await post('mini', before)).status).toBe(422);
    await db.insertInto('district').values({ code: 'neudorf', name: JSON.stringify({ default: 'Neudorf' }), population: null, population_source: null, sort_order: 9 }).execute();
    const added = submission({ satisfaction: 'high', district: 'neudorf' });
    expect((await post('mini', added)).status).toBe(201);
    expect((await storedRows(added.id))[0]!.district).toBe('neudorf');

    await db.insertInto('district').values({ code: 'altdorf', name: JSON.stringify({ default: 'Altdorf' }), population: null, population_source: null, sort_order: 10 }).execute();
    // A link to an unknown district makes the server read the district list again (now with altdorf) …
    expect((await post('mini', submission({ satisfaction: 'low' }, { district: 'nowhere' }))).status).toBe(201);
    // … and when altdorf is gone again, an answer naming it is refused, not stored.
    await db.deleteFrom('district').where('code', '=', 'altdorf').execute();
    const removed = submission({ satisfaction: 'high', district: 'altdorf' });
    const res = await post('mini', removed);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { question: string }[] }).errors.map((error) => error.question)).toEqual(['district']);
    expect(await storedRows(removed.id)).toHaveLength(0);
  });

  it('refuses online responses to an interview guide', async () => {
    const res = await post('guide-mini', submission({ what_works: 'Das Fest' }));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('survey_not_online');
  });

  it('answers 400 for a body that is not a well-formed submission, 415 for a body not sent as JSON', async () => {
    const bad: unknown[] = [
      '{"id": ',
      '[]',
      '"text"',
      { version: 1, locale: 'de', answers: {} },
      { id: 'not-a-uuid', version: 1, locale: 'de', answers: {} },
      { id: randomUUID(), version: 1, locale: 'xx', answers: {} },
      { id: randomUUID(), version: 0, locale: 'de', answers: {} },
      { id: randomUUID(), version: '1', locale: 'de', answers: {} },
      { id: randomUUID(), version: 1, locale: 'de', answers: [] },
      { id: randomUUID(), version: 1, locale: 'de' },
    ];
    for (const body of bad) {
      const res = await post('mini', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^invalid_(json|request)$/);
    }
    const form = await platform.app.request('/api/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=1',
    });
    expect(form.status).toBe(415);
  });

  it('answers a malformed body in the locale it names', async () => {
    const res = await post('mini', { id: 'nope', version: 1, locale: 'de', answers: {} }, { 'accept-language': 'en' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Die Anfrage ist ungültig/);
  });

  it('refuses a 2 MB body with 413, by its Content-Length alone', async () => {
    const big = JSON.stringify(submission({ satisfaction: 'high', comment: 'x'.repeat(2 * 1024 * 1024) }));
    const res = await post('mini', big, { 'content-length': String(Buffer.byteLength(big)) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses a streamed 2 MB body with 413 without reading all of it', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const totalChunks = 32; // 2 MiB
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= totalChunks) return controller.close();
        pulled++;
        controller.enqueue(chunk);
      },
    });
    const res = await platform.app.request('/api/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(totalChunks);
  });
});

describe('the real resident baseline questionnaire', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: REAL_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
  });
  afterAll(() => platform?.close());

  it('accepts complete valid responses, answered in any locale, and stores them as given', async () => {
    const survey = (await (await platform.app.request('/api/surveys/resident-baseline')).json()) as {
      version: number;
      definition: Record<string, unknown>;
      districts: { code: string }[];
    };
    const districtCodes = survey.districts.map((district) => district.code);
    const random = seededRandom(2026);
    for (const [index, locale] of ['de', 'de-x-easy', 'tr', 'ar', 'uk'].entries()) {
      // The first one answers every visible question: a complete response.
      const answers = generateAnswers(survey.definition, { districtCodes, random, skipOptional: index === 0 ? 0 : 0.2 });
      const id = randomUUID();
      const res = await platform.app.request('/api/surveys/resident-baseline/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, version: survey.version, locale, channel: 'qr-townhall', answers }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const row = await platform.database.db.selectFrom('response').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.answers).toEqual(answers);
      expect(row).toMatchObject({ locale, district: answers.district ?? null, channel: 'qr-townhall', mode: 'online' });
    }
  });

  const postBaseline = async (answers: unknown, locale = 'de') => {
    const version = ((await (await platform.app.request('/api/surveys/resident-baseline')).json()) as { version: number }).version;
    const id = randomUUID();
    const res = await platform.app.request('/api/surveys/resident-baseline/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, version, locale, answers }),
    });
    return { id, res };
  };

  it('refuses a response without a single answer (422, in the respondent’s language) and stores nothing', async () => {
    const messages: string[] = [];
    for (const locale of ['de', 'tr', 'ar']) {
      const { id, res } = await postBaseline({}, locale);
      expect(res.status).toBe(422);
      const json = (await res.json()) as { error: { code: string; message: string }; errors: { question: string; message: string }[] };
      expect(json.error.code).toBe('no_answers');
      expect(json.errors).toHaveLength(1);
      messages.push(json.errors[0]!.message);
      expect(await platform.database.db.selectFrom('response').select('id').where('id', '=', id).execute()).toHaveLength(0);
    }
    expect(new Set(messages).size).toBe(3);
  });

  it('keeps only the day a response arrived (midnight in the town), never the time of day', async () => {
    const { id, res } = await postBaseline({ use_language_education: 'often' });
    expect(res.status, await res.clone().text()).toBe(201);
    const row = await sql<{ local: string; day: string }>`
      select to_char(submitted_at at time zone 'Europe/Berlin', 'HH24:MI:SS.US') as local,
             to_char(submitted_at at time zone 'Europe/Berlin', 'YYYY-MM-DD') as day
      from response where id = ${id}`.execute(platform.database.db);
    expect(row.rows[0]!.local).toBe('00:00:00.000000');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    expect(row.rows[0]!.day).toBe(today);
  });
});
