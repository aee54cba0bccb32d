import { sql } from 'kysely';
import { nameTheTown } from '../../../tests/support/town-name.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteUnconfirmedContacts, moveHeldContacts } from '../contacts/index.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { partOf, startSmtpServer } from '../../../tests/support/smtp-server.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { hashConfirmToken, sendDueMail, smtpTransport, type MailDeps } from './index.ts';
import { CONFIRMATION_TEXTS } from './texts.ts';

const plainText = (raw: string) => partOf(raw, 'text/plain');
const tokenIn = (raw: string) => /#confirm=([A-Za-z0-9_-]+)/.exec(plainText(raw))![1]!;
const withdrawTokenIn = (raw: string) => /#withdraw=([A-Za-z0-9_-]+)/.exec(plainText(raw))![1]!;

describe('mail: double opt-in through a real SMTP server', () => {
  let platform: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let deps: MailDeps;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    deps = {
      db: platform.database.db,
      transport: smtpTransport(smtp.url),
      from: 'Vielstimmig Test <beteiligung@example.org>',
      publicUrl: 'https://beteiligung.example.org',
    };
    await nameTheTown(platform.database.db, 'Musterstadt');
  });
  afterAll(async () => {
    await platform?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    smtp.received.length = 0;
    for (const table of ['mail_outbox', 'contact', 'contact_intake'] as const) await platform.database.db.deleteFrom(table).execute();
  });

  const post = (path: string, body: unknown, locale = 'en') =>
    platform.app.request(`/api/contacts${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': locale },
      body: JSON.stringify(body),
    });
  const optIn = (email: string | null, locale = 'en', phone: string | null = null) =>
    post('', { locale, consent: true, consentVersion: '2026-11', email, phone, topics: ['encounter'], formats: [] }, locale);

  it('sends the confirmation only after the move; the link confirms; the token is kept only as a hash', async () => {
    expect((await optIn('ayse@example.org')).status).toBe(201);
    expect(await sendDueMail(deps)).toBe(0);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    expect(await sendDueMail(deps)).toBe(1);
    expect(smtp.received.map((mail) => mail.to)).toEqual(['ayse@example.org']);
    const raw = smtp.received[0]!.raw;
    expect(raw).toContain('Content-Type: text/html');
    const text = plainText(raw);
    expect(text).toContain(CONFIRMATION_TEXTS.en.body.replace('{{town}}', 'Musterstadt'));
    expect(text).toMatch(/https:\/\/beteiligung\.example\.org\/contact\?lang=[a-z-]+#withdraw=/);
    const token = tokenIn(raw);

    const rowText = await sql<{ row: string }>`select t::text as row from contact t`.execute(platform.database.db);
    expect(rowText.rows[0]!.row).not.toContain(token);
    const before = await platform.database.db.selectFrom('contact').select(['confirmed', 'confirm_by']).executeTakeFirstOrThrow();
    expect(before.confirmed).toBe(false);
    expect(before.confirm_by).not.toBeNull();

    const wrong = await post('/confirm', { token: 'x'.repeat(32) });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('This confirmation link is not valid or has expired.');
    expect((await post('/confirm', { token })).status).toBe(204);
    const after = await platform.database.db.selectFrom('contact').select(['confirmed', 'confirm_by']).executeTakeFirstOrThrow();
    expect(after).toEqual({ confirmed: true, confirm_by: null });
    // The withdrawal link withdraws at once; the confirmation link does not.
    expect((await post('/withdraw', { token })).status).toBe(404);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toHaveLength(1);
    expect((await post('/withdraw', { token: withdrawTokenIn(raw) })).status).toBe(204);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toEqual([]);
  });

  it('gives the withdrawal link a token of its own: it does not confirm, the confirmation link does not withdraw', async () => {
    expect((await optIn('jonas@example.org')).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    expect(await sendDueMail(deps)).toBe(1);
    const raw = smtp.received[0]!.raw;
    const confirmToken = tokenIn(raw);
    const withdrawToken = withdrawTokenIn(raw);
    expect(withdrawToken).not.toBe(confirmToken);
    const row = await platform.database.db.selectFrom('contact').select(['confirm_token_hash', 'withdraw_token_hash']).executeTakeFirstOrThrow();
    expect(row.withdraw_token_hash).not.toBeNull();
    expect(row.withdraw_token_hash).not.toBe(row.confirm_token_hash);
    const rowText = await sql<{ row: string }>`select t::text as row from contact t`.execute(platform.database.db);
    expect(rowText.rows[0]!.row).not.toContain(withdrawToken);

    // The withdrawal link used on the confirmation route confirms nothing.
    expect((await post('/confirm', { token: withdrawToken })).status).toBe(404);
    expect((await platform.database.db.selectFrom('contact').select('confirmed').executeTakeFirstOrThrow()).confirmed).toBe(false);
    // The confirmation link used on the withdrawal route withdraws nothing, before and after confirming.
    expect((await post('/withdraw', { token: confirmToken })).status).toBe(404);
    expect((await post('/confirm', { token: confirmToken })).status).toBe(204);
    expect((await post('/withdraw', { token: confirmToken })).status).toBe(404);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toHaveLength(1);
    expect((await post('/withdraw', { token: withdrawToken })).status).toBe(204);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toEqual([]);
  });

  it('keeps a withdrawal link sent before the split working (one token for both, hash copied by the migration)', async () => {
    expect((await optIn('frueher@example.org')).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    const oldToken = 'o'.repeat(32);
    // What the migration leaves for a contact whose last message had one token for both links.
    await platform.database.db.updateTable('contact').set({ confirm_token_hash: hashConfirmToken(oldToken), withdraw_token_hash: hashConfirmToken(oldToken) }).execute();
    expect((await post('/withdraw', { token: oldToken })).status).toBe(204);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toEqual([]);
  });

  it('writes every message in the recipient’s locale, right-to-left for Arabic and Farsi', async () => {
    for (const locale of SUPPORTED_LOCALES) expect((await optIn(`${locale}@example.org`, locale)).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    expect(await sendDueMail(deps)).toBe(SUPPORTED_LOCALES.length);
    for (const locale of SUPPORTED_LOCALES) {
      const mail = smtp.received.find((candidate) => candidate.to === `${locale}@example.org`)!;
      expect(plainText(mail.raw), locale).toContain(CONFIRMATION_TEXTS[locale].body.replace('{{town}}', 'Musterstadt'));
      expect(partOf(mail.raw, 'text/html'), locale).toContain(`dir="${locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr'}"`);
      expect(partOf(mail.raw, 'text/html'), locale).toContain(`lang="${locale}"`);
    }
  });

  it('retries a refused message with back-off and delivers it once', async () => {
    smtp.refuseOnce.add('busy@example.org');
    expect((await optIn('busy@example.org')).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    expect(await sendDueMail(deps)).toBe(0);
    const queued = await platform.database.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow();
    expect(queued).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, lease_until: null });
    expect(queued.last_error).toMatch(/mailbox busy/);
    expect(queued.last_error).not.toContain('busy@example.org');
    // Not due yet: the back-off holds it.
    expect(await sendDueMail(deps)).toBe(0);
    await platform.database.db.updateTable('mail_outbox').set({ next_attempt_at: sql<string>`now()` }).execute();
    expect(await sendDueMail(deps)).toBe(1);
    expect(smtp.received.map((mail) => mail.to)).toEqual(['busy@example.org']);
  });

  it('a sender stopped in the middle of a run loses nothing and doubles nothing', async () => {
    const addresses = Array.from({ length: 12 }, (_, i) => `person${i}@example.org`);
    for (const address of addresses) expect((await optIn(address)).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });

    // The first process claims all twelve and dies after four deliveries (its leases stay behind).
    const dying = new AbortController();
    let delivered = 0;
    const firstRun = await sendDueMail(
      {
        ...deps,
        leaseSeconds: 1,
        transport: {
          sendMail: async (message) => {
            await deps.transport.sendMail(message);
            if (++delivered === 4) dying.abort();
          },
        },
      },
      { signal: dying.signal },
    );
    expect(firstRun).toBe(4);
    // A restarted process does not take what is still leased…
    expect(await sendDueMail(deps)).toBe(0);
    // …and sends the rest once the leases have run out.
    let rest = 0;
    for (let round = 0; round < 200 && rest < 8; round++) {
      rest += await sendDueMail(deps);
      if (rest < 8) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rest).toBe(8);
    expect(smtp.received.map((mail) => mail.to).sort()).toEqual([...addresses].sort());
    const unsent = await platform.database.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute();
    expect(unsent).toEqual([]);
  });

  it('deletes unconfirmed email contacts at their deadline and keeps phone-only contacts, unconfirmed', async () => {
    expect((await optIn('late@example.org')).status).toBe(201);
    expect((await optIn(null, 'en', '06152 98765')).status).toBe(201);
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    expect(await deleteUnconfirmedContacts(platform.database.db)).toBe(0);
    const deadline = await sql<{ days: number }>`select (confirm_by - current_date)::int as days from contact where email is not null`.execute(
      platform.database.db,
    );
    expect(deadline.rows[0]!.days).toBeGreaterThanOrEqual(14);
    expect(deadline.rows[0]!.days).toBeLessThanOrEqual(20);
    await platform.database.db.updateTable('contact').set({ confirm_by: sql<string>`current_date` }).where('email', 'is not', null).execute();
    expect(await deleteUnconfirmedContacts(platform.database.db)).toBe(1);
    const left = await platform.database.db.selectFrom('contact').select(['phone', 'confirmed', 'confirm_by']).execute();
    expect(left).toEqual([{ phone: '06152 98765', confirmed: false, confirm_by: null }]);
    expect(await platform.database.db.selectFrom('mail_outbox').select('id').execute()).toEqual([]);
  });
});
