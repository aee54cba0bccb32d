import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { moveHeldContacts } from './intake-mover.ts';
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
    await platform.database.db.deleteFrom('contact_intake').execute();
  });

  const post = (path: string, body: unknown) =>
    platform.app.request(`/api/contacts${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** The contact list after the mover ran (what the scheduled job does at a random moment). */
  const contacts = async () => {
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    return platform.database.db.selectFrom('contact').selectAll().execute();
  };

  it('stores an opt-in (201) with the month only, and hands back a withdrawal code', async () => {
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
    // The month, not a day or time: it cannot be matched to the day a response arrived.
    expect(row!.created_month).toBe(new Date().toISOString().slice(0, 7));
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
      [
        'confirm_by',
        'confirm_token_hash',
        'confirmed',
        'consent_text_version',
        'created_month',
        'district',
        'email',
        'formats',
        'id',
        'locale',
        'name',
        'phone',
        'withdraw_token_hash',
        'topics',
        'withdraw_code_hash',
      ].sort(),
    );
    expect(byName.created_month).toBe('text');
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
    const heldText = await sql<{ row: string }>`select t::text as row from contact_intake t`.execute(platform.database.db);
    expect(heldText.rows[0]!.row).not.toContain(responseId);
    await contacts();
    const text = await sql<{ row: string }>`select t::text as row from contact t`.execute(platform.database.db);
    expect(text.rows[0]!.row).not.toContain(responseId);
  });

  it('stores a handed-over form once when it is sent again with its key (the 201 was lost): 200 and the same code, held or moved', async () => {
    const idempotencyKey = randomUUID();
    const first = await post('', optIn({ idempotencyKey }));
    expect(first.status).toBe(201);
    const { withdrawCode } = (await first.json()) as { withdrawCode: string };
    expect(withdrawCode).toMatch(CODE_PATTERN);

    // Still in the holding table.
    const again = await post('', optIn({ idempotencyKey }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ withdrawCode });
    expect(await contacts()).toHaveLength(1);

    // Moved by now: still found, still one.
    const late = await post('', optIn({ idempotencyKey: idempotencyKey.toUpperCase() }));
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ withdrawCode });
    expect(await contacts()).toHaveLength(1);
    expect(await platform.database.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'contact_confirmation').execute()).toHaveLength(1);

    // Another key is another form; no key is always a new one. The key itself is stored nowhere.
    expect((await post('', optIn({ idempotencyKey: randomUUID() }))).status).toBe(201);
    expect((await post('', optIn())).status).toBe(201);
    expect((await post('', optIn())).status).toBe(201);
    const rows = await contacts();
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain(idempotencyKey);
    expect((await post('', optIn({ idempotencyKey: 'not-a-uuid' }))).status).toBe(400);

    // The code withdraws the one contact.
    expect((await post('/withdraw', { code: withdrawCode })).status).toBe(204);
    expect(await contacts()).toHaveLength(3);
  });

  it('moves a held repeat that raced the mover into nothing: the copy is dropped, no second confirmation mail', async () => {
    const idempotencyKey = randomUUID();
    expect((await post('', optIn({ idempotencyKey }))).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    // What a repeat arriving during the move leaves behind: the same code's copy in the holding table.
    const moved = await platform.database.db.selectFrom('contact').selectAll().executeTakeFirstOrThrow();
    await platform.database.db
      .insertInto('contact_intake')
      .values({ ...moved, id: randomUUID(), topics: JSON.stringify(moved.topics), formats: JSON.stringify(moved.formats), accepted_month: moved.created_month, created_month: undefined, confirmed: undefined, confirm_token_hash: undefined, withdraw_token_hash: undefined, confirm_by: undefined } as never)
      .execute();
    const mailsBefore = (await platform.database.db.selectFrom('mail_outbox').select('id').execute()).length;
    expect(await moveHeldContacts(platform.database.db, { minBatch: 1 })).toBe(1);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toHaveLength(1);
    expect(await platform.database.db.selectFrom('contact_intake').select('id').execute()).toHaveLength(0);
    expect((await platform.database.db.selectFrom('mail_outbox').select('id').execute()).length).toBe(mailsBefore);
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

  it('holds an opt-in until the mover runs, and a withdrawal reaches it there too', async () => {
    const { withdrawCode } = (await (await post('', optIn())).json()) as { withdrawCode: string };
    await post('', optIn({ email: 'kept@example.org' }));
    const held = await platform.database.db.selectFrom('contact_intake').select(['email', 'accepted_month']).execute();
    expect(held.map((row) => row.email).sort()).toEqual(['ayse.demir@example.org', 'kept@example.org']);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toEqual([]);

    expect((await post('/withdraw', { code: withdrawCode })).status).toBe(204);
    expect((await contacts()).map((row) => row.email)).toEqual(['kept@example.org']);
    expect(await platform.database.db.selectFrom('contact_intake').select('id').execute()).toEqual([]);
  });

  it('moves a batch in one transaction of its own, in an order unrelated to arrival, losing nothing', async () => {
    const arrival: string[] = [];
    for (let i = 0; i < 40; i++) {
      const email = `resident${String(i).padStart(2, '0')}@example.org`;
      arrival.push(email);
      expect((await post('', optIn({ email }))).status).toBe(201);
    }
    // Below the batch size the mover waits; at it, it moves everything.
    expect(await moveHeldContacts(platform.database.db, { minBatch: 41 })).toBeNull();
    expect(await moveHeldContacts(platform.database.db)).toBe(40);
    const rows = await sql<{ email: string; xmin: string }>`select email, xmin::text as xmin from contact order by ctid`.execute(
      platform.database.db,
    );
    expect(rows.rows.map((row) => row.email).sort()).toEqual(arrival);
    expect(new Set(rows.rows.map((row) => row.xmin)).size).toBe(1);
    // Disk order is a fresh permutation: it agrees with arrival order no more than chance would.
    // (Kendall's tau of a random permutation of 40 has sd ≈ 0.11; 0.5 is more than four sd.)
    const ranks = rows.rows.map((row) => arrival.indexOf(row.email));
    let concordant = 0;
    let discordant = 0;
    for (let i = 0; i < ranks.length; i++) for (let j = i + 1; j < ranks.length; j++) (ranks[i]! < ranks[j]! ? concordant++ : discordant++);
    expect(Math.abs(concordant - discordant) / (concordant + discordant)).toBeLessThan(0.5);
    expect(await platform.database.db.selectFrom('contact_intake').select('id').execute()).toEqual([]);
  });

  it('writes no contact detail to the log, whatever happens', async () => {
    const marker = `unique-${randomUUID()}`;
    await post('', optIn({ email: `${marker}@example.org`, name: marker }));
    await post('', optIn({ email: `${marker}@bad`, consent: false }));
    await post('', optIn({ email: `${marker}`, name: marker }));
    expect(platform.logLines.join('\n')).not.toContain(marker);
  });
});
