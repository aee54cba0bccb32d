import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';

const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const optIn = (extra: Record<string, unknown> = {}) => ({
  locale: 'de',
  consent: true,
  consentVersion: '2026-11',
  name: 'Ayşe Demir',
  email: 'ayse.demir@example.org',
  topics: ['encounter', 'sport_culture'],
  formats: ['zukunftswerkstatt', 'beteiligungscafe'],
  district: 'worfelden',
  ...extra,
});

describe('getting involved: contacts', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
  });
  afterAll(() => platform?.close());
  beforeEach(async () => {
    await platform.database.db.deleteFrom('contact').execute();
  });

  const post = (path: string, body: unknown) =>
    platform.app.request(`/api/contacts${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const contacts = () => platform.database.db.selectFrom('contact').selectAll().execute();

  it('stores an opt-in (201) with the day only, and hands back a withdrawal code', async () => {
    const res = await post('', optIn({ phone: '+49 6152 1234-56' }));
    expect(res.status).toBe(201);
    const { withdrawCode } = (await res.json()) as { withdrawCode: string };
    expect(withdrawCode).toMatch(CODE_PATTERN);

    const [row] = await contacts();
    expect(row).toMatchObject({
      name: 'Ayşe Demir',
      email: 'ayse.demir@example.org',
      phone: '+49 6152 1234-56',
      topics: ['encounter', 'sport_culture'],
      formats: ['zukunftswerkstatt', 'beteiligungscafe'],
      district: 'worfelden',
      locale: 'de',
      consent_text_version: '2026-11',
    });
    // A date, not a time: the day cannot be matched to the second a response arrived.
    const stored = await sql<{ created_on: string }>`select created_on::text as created_on from contact`.execute(platform.database.db);
    expect(stored.rows[0]!.created_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Only a hash of the withdrawal code is kept.
    const text = await sql<{ row: string }>`select t::text as row from contact t`.execute(platform.database.db);
    expect(text.rows[0]!.row).not.toContain(withdrawCode.replace(/-/g, ''));
    expect(text.rows[0]!.row).not.toContain(withdrawCode);
  });

  it('refuses an opt-in without consent (422 consent_required) and stores nothing', async () => {
    for (const consent of [false, 'true', 1, null, undefined]) {
      const res = await post('', optIn({ consent }));
      expect(res.status, String(consent)).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('consent_required');
    }
    expect(await contacts()).toEqual([]);
  });

  it('needs one way to reach the person: an e-mail address or a phone number', async () => {
    const res = await post('', optIn({ email: '  ', phone: null }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('contact_channel_required');
    expect((await post('', optIn({ email: undefined, phone: '06152 98765' }))).status).toBe(201);
    expect(await contacts()).toHaveLength(1);
  });

  it('checks every field and names each problem in the person’s language', async () => {
    const res = await post(
      '',
      optIn({
        locale: 'en',
        name: 'x'.repeat(101),
        email: 'not-an-address',
        phone: 'call me',
        topics: ['encounter', 'astrology'],
        formats: ['barbecue'],
        district: 'atlantis',
      }),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string }; errors: { field: string; message: string }[] };
    expect(body.error.code).toBe('validation_failed');
    expect(body.errors).toEqual([
      { field: 'name', message: 'This entry is too long (at most 100 characters).' },
      { field: 'email', message: 'Please enter a valid e-mail address.' },
      { field: 'phone', message: 'Please enter a valid phone number.' },
      { field: 'topics[1]', message: 'This option does not exist.' },
      { field: 'formats[0]', message: 'This option does not exist.' },
      { field: 'district', message: 'This option does not exist.' },
    ]);
    expect(await contacts()).toEqual([]);
  });

  it('answers 400 for a body that is not an opt-in at all', async () => {
    for (const body of ['{', '[]', { consent: true }, optIn({ topics: 'encounter' }), optIn({ locale: 'xx' })]) {
      expect((await post('', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await contacts()).toEqual([]);
  });

  it('has no column that could join a contact to a response', async () => {
    const columns = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
      where table_schema = 'public' and table_name = 'contact' order by column_name`.execute(platform.database.db);
    const byName = Object.fromEntries(columns.rows.map((column) => [column.column_name, column.data_type]));
    // Exactly these columns: none names or holds a response id, channel, survey or version,
    // and no column holds a time of day.
    expect(Object.keys(byName).sort()).toEqual(
      ['consent_text_version', 'created_on', 'district', 'email', 'formats', 'id', 'locale', 'name', 'phone', 'topics', 'withdraw_code_hash'].sort(),
    );
    expect(byName.created_on).toBe('date');
    expect(Object.values(byName).some((type) => type.startsWith('timestamp') || type.startsWith('time'))).toBe(false);
    const foreignKeys = await sql<{ target: string }>`
      select ccu.table_name as target
      from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
      where tc.table_name = 'contact' and tc.constraint_type = 'FOREIGN KEY'`.execute(platform.database.db);
    expect(foreignKeys.rows.map((row) => row.target)).toEqual(['district']);

    // And the id is a fresh one, never a response's: a submission just before does not share it.
    const responseId = randomUUID();
    await platform.app.request('/api/surveys/mini/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: responseId, version: 1, locale: 'de', answers: { satisfaction: 'high' } }),
    });
    expect((await post('', optIn())).status).toBe(201);
    const text = await sql<{ row: string }>`select t::text as row from contact t`.execute(platform.database.db);
    expect(text.rows[0]!.row).not.toContain(responseId);
  });

  it('withdraws with the code (204): the contact is deleted; a second try or an unknown code is 404', async () => {
    const { withdrawCode } = (await (await post('', optIn())).json()) as { withdrawCode: string };
    const { withdrawCode: otherCode } = (await (await post('', optIn({ email: 'other@example.org' }))).json()) as {
      withdrawCode: string;
    };
    expect(await contacts()).toHaveLength(2);

    expect((await post('/withdraw', { code: withdrawCode.toLowerCase() })).status).toBe(204);
    expect((await contacts()).map((row) => row.email)).toEqual(['other@example.org']);
    const again = await post('/withdraw', { code: withdrawCode });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('contact_not_found');
    expect((await post('/withdraw', { code: 'AAAA-BBBB-CCCC' })).status).toBe(404);
    expect((await post('/withdraw', { code: 'nonsense' })).status).toBe(404);
    expect(otherCode).not.toBe(withdrawCode);
    expect(await contacts()).toHaveLength(1);
  });

  it('writes no contact detail to the log, whatever happens', async () => {
    const marker = `unique-${randomUUID()}`;
    await post('', optIn({ email: `${marker}@example.org`, name: marker }));
    await post('', optIn({ email: `${marker}@bad`, consent: false }));
    await post('', optIn({ email: `${marker}`, name: marker }));
    expect(platform.logLines.join('\n')).not.toContain(marker);
  });
});
