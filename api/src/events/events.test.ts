import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { nameTheTown } from '../../../tests/support/town-name.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { sendDueMail, smtpTransport, type MailDeps } from '../mail/index.ts';
import { partOf, startSmtpServer } from '../../../tests/support/smtp-server.ts';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { EVENT_MAIL_TEXTS } from './texts.ts';
import { deleteAllContacts } from '../retention/repository.ts';
import { registerForEvent } from './service.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
const DAY = 24 * 3600 * 1000;
// Whole hours, fixed for the file: the bodies below must agree with each other to the second.
const START = Math.ceil((Date.now() + 10 * DAY) / 3_600_000) * 3_600_000;

const eventBody = (overrides: Record<string, unknown> = {}) => ({
  slug: 'cafe-nord',
  format: 'beteiligungscafe',
  title: { de: 'Beteiligungscafé Nord', en: 'Participation café North', tr: 'Katılım kafesi Kuzey', ar: 'مقهى المشاركة الشمال' },
  description: { de: 'Wir reden über den Stadtteil.', en: 'We talk about the district.' },
  placeName: 'Bürgerhaus Nord',
  placeAddress: 'Marktstraße 1, 12345 Musterstadt',
  stepFree: true,
  hearingLoop: true,
  accessibleToilet: false,
  accessibilityNotes: { de: 'Eingang hinten, Rampe.' },
  startsAt: new Date(START).toISOString(),
  endsAt: new Date(START + 4 * 3600 * 1000).toISOString(),
  capacity: 2,
  registrationDeadline: new Date(START - DAY).toISOString(),
  languages: ['de', 'tr'],
  interpretation: ['ar'],
  status: 'published',
  ...overrides,
});

describe('events: create, invite, register, waiting list, report', () => {
  let platform: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mail: MailDeps;
  let coordinator: StaffSession;
  let analyst: StaffSession;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    mail = { db: platform.database.db, transport: smtpTransport(smtp.url), from: 'Test <beteiligung@example.org>', publicUrl: 'https://beteiligung.example.org' };
    await nameTheTown(platform.database.db, 'Musterstadt');
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
    analyst = await loginAsDemo(platform.app, 'analyst');
  });
  afterAll(async () => {
    await platform?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    smtp.received.length = 0;
    for (const table of ['mail_outbox', 'event_report', 'event_registration', 'event_invitation', 'event', 'contact'] as const) await platform.database.db.deleteFrom(table).execute();
  });

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    platform.app.request(`/api/events${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const staff = (method: string, path: string, body?: unknown, who = coordinator) =>
    request(method, path, body, method === 'GET' ? who.headers({ 'accept-language': 'en' }) : who.writeHeaders({ 'accept-language': 'en' }));
  const createEvent = async (overrides: Record<string, unknown> = {}) => {
    const response = await staff('POST', '', eventBody(overrides));
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { event: { id: string; slug: string } }).event;
  };
  const register = (slug: string, body: Record<string, unknown>, locale = 'de') =>
    request('POST', `/public/${slug}/registrations`, { locale, consent: true, ...body }, { 'accept-language': locale });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  /** A moved, confirmed contact as the mover leaves it (the contacts feature's own tests cover how it gets there). */
  const addContact = async (email: string | null, locale: Locale, extra: { topics?: string[]; district?: string | null; confirmed?: boolean; phone?: string } = {}) => {
    const id = randomUUID();
    await platform.database.db
      .insertInto('contact')
      .values({
        id,
        withdraw_code_hash: randomUUID(),
        name: email ? email.split('@')[0]! : 'Telefon',
        email,
        phone: extra.phone ?? null,
        topics: JSON.stringify(extra.topics ?? ['encounter']),
        formats: JSON.stringify(['beteiligungscafe']),
        district: extra.district ?? null,
        locale,
        consent_text_version: '2026-11',
        created_month: '2026-12',
        confirmed: extra.confirmed ?? email !== null,
      })
      .execute();
    return id;
  };

  it('lets coordinators and admins manage events, refuses analysts and residents, audits every change', async () => {
    expect((await staff('POST', '', eventBody(), analyst)).status).toBe(403);
    expect((await request('POST', '', eventBody())).status).toBe(401);
    const event = await createEvent({ status: 'draft' });
    const bad = await staff('PUT', `/${event.id}`, eventBody({ title: { en: 'No German' }, endsAt: eventBody().startsAt }));
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).message).toBe('Some details of the event are missing or not valid: title.de, endsAt');
    const taken = await staff('POST', '', eventBody());
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).code).toBe('event_slug_taken');
    expect((await staff('PUT', `/${event.id}`, eventBody({ capacity: 30 }))).status).toBe(200);
    const list = (await (await staff('GET', '')).json()) as { events: { capacity: number; status: string; confirmed: number }[] };
    expect(list.events).toMatchObject([{ capacity: 30, status: 'published', confirmed: 0 }]);
    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'event.%').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'event.create', target: event.id },
      { action: 'event.update', target: event.id },
    ]);
    // Drafts are not public.
    expect((await request('GET', '/public/cafe-nord')).status).toBe(200);
    await staff('PUT', `/${event.id}`, eventBody({ status: 'draft' }));
    expect((await request('GET', '/public/cafe-nord')).status).toBe(404);
    expect((await register('cafe-nord', { email: 'a@example.org' })).status).toBe(404);
  });

  it('registers up to capacity, then waits in line; a cancellation moves the first waiting person up', async () => {
    await createEvent();
    const first = await register('cafe-nord', { name: 'Ayşe', email: 'ayse@example.org' }, 'tr');
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as { code: string; status: string; waitingPosition: number | null };
    expect(firstBody).toMatchObject({ status: 'confirmed', waitingPosition: null });
    expect((await register('cafe-nord', { phone: '+49 170 1234567', needs: { childcare: true, interpreting: 'ar' } })).status).toBe(201);
    const third = (await (await register('cafe-nord', { email: 'third@example.org' })).json()) as { status: string; waitingPosition: number };
    const fourth = (await (await register('cafe-nord', { email: 'fourth@example.org' })).json()) as { status: string; waitingPosition: number };
    expect([third, fourth].map((r) => [r.status, r.waitingPosition])).toEqual([
      ['waiting', 1],
      ['waiting', 2],
    ]);

    // Bad input: each refused in the person's language, nothing stored.
    const duplicate = await register('cafe-nord', { email: 'AYSE@example.org' }, 'tr');
    expect(duplicate.status).toBe(409);
    expect((await errorOf(duplicate)).message).toBe('Bu e-posta adresiyle bu etkinliğe zaten bir kayıt var.');
    const noConsent = await register('cafe-nord', { consent: false, email: 'x@example.org' }, 'ar');
    expect(noConsent.status).toBe(422);
    expect((await register('cafe-nord', { email: 'not-an-address' })).status).toBe(422);
    expect((await register('cafe-nord', { name: 'Nur Name' })).status).toBe(422);

    const registrations = async () =>
      ((await (await staff('GET', `/${(await platform.database.db.selectFrom('event').select('id').executeTakeFirstOrThrow()).id}/registrations`)).json()) as {
        registrations: { email: string | null; status: string; waitingPosition: number | null; needs: { childcare?: boolean } }[];
      }).registrations;
    expect((await registrations()).map((r) => [r.email, r.status, r.waitingPosition])).toEqual([
      ['ayse@example.org', 'confirmed', null],
      [null, 'confirmed', null],
      ['third@example.org', 'waiting', 1],
      ['fourth@example.org', 'waiting', 2],
    ]);
    expect((await registrations())[1]!.needs.childcare).toBe(true);

    expect((await request('POST', '/registrations/cancel', { code: 'AAAA-BBBB-CCCC', locale: 'en' })).status).toBe(404);
    expect((await request('POST', '/registrations/cancel', { code: firstBody.code })).status).toBe(204);
    expect((await request('POST', '/registrations/cancel', { code: firstBody.code })).status).toBe(404);
    expect((await registrations()).map((r) => [r.email, r.status, r.waitingPosition])).toEqual([
      [null, 'confirmed', null],
      ['third@example.org', 'confirmed', null],
      ['fourth@example.org', 'waiting', 1],
    ]);
    // The cancelled row keeps no contact details.
    const cancelled = await platform.database.db.selectFrom('event_registration').selectAll().where('status', '=', 'cancelled').executeTakeFirstOrThrow();
    expect([cancelled.name, cancelled.email, cancelled.phone]).toEqual([null, null, null]);

    // Raising the capacity moves the rest up at once.
    const id = (await platform.database.db.selectFrom('event').select('id').executeTakeFirstOrThrow()).id;
    await staff('PUT', `/${id}`, eventBody({ capacity: 3 }));
    expect((await registrations()).every((r) => r.status === 'confirmed')).toBe(true);
    const kinds = await platform.database.db.selectFrom('mail_outbox').select('kind').where('kind', '=', 'event_moved_up').execute();
    expect(kinds).toHaveLength(2);
  });

  it('refuses registration after the deadline and for cancelled events', async () => {
    await createEvent({ slug: 'late', registrationDeadline: new Date(Date.now() - DAY).toISOString(), startsAt: new Date(Date.now() + DAY).toISOString(), endsAt: new Date(Date.now() + 2 * DAY).toISOString() });
    const late = await register('late', { email: 'a@example.org' }, 'en');
    expect(late.status).toBe(409);
    expect((await errorOf(late)).message).toMatch(/registration deadline has passed/);
    await createEvent({ slug: 'gone', status: 'cancelled' });
    expect((await register('gone', { email: 'a@example.org' }, 'de')).status).toBe(409);
  });

  it('gives the last seat to exactly one of many simultaneous registrations', async () => {
    // On PostgreSQL the registrations run on separate pool connections at once; the event's row
    // lock serialises them. On PGlite (one connection) the same code must hold as well.
    const event = await createEvent({ capacity: 1 });
    for (let round = 0; round < 3; round += 1) {
      await platform.database.db.deleteFrom('event_registration').execute();
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => registerForEvent({ db: platform.database.db }, event.slug, { locale: 'de', consent: true, email: `p${round}-${i}@example.org` })),
      );
      expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'waiting').map((o) => o.waitingPosition).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const places = await platform.database.db.selectFrom('event_registration').select('place_in_line').orderBy('place_in_line').execute();
      expect(places.map((p) => p.place_in_line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
    // Without the row lock this fails on PostgreSQL (checked: several "confirmed" for one seat).
    const confirmedCount = await sql<{ n: number }>`select count(*)::int as n from event_registration where status = 'confirmed'`.execute(platform.database.db);
    expect(confirmedCount.rows[0]!.n).toBe(1);
    if (onPostgres) expect(platform.database.kind).toBe('postgres');
    // The town's contact deletion date takes registrations with it.
    await platform.database.db.transaction().execute((trx) => deleteAllContacts(trx));
    expect(await platform.database.db.selectFrom('event_registration').select('id').execute()).toEqual([]);
  });

  it('invites matching contacts once, in their language, through the real SMTP server; the link registers without an account', async () => {
    const event = await createEvent({ capacity: 1 });
    await addContact('ayse@example.org', 'tr', { topics: ['encounter'] });
    await addContact('samir@example.org', 'ar', { topics: ['encounter'] });
    await addContact('olga@example.org', 'uk', { topics: ['health'] });
    await addContact('unconfirmed@example.org', 'de', { confirmed: false });
    await addContact(null, 'de', { phone: '+49 170 7654321' });

    const draft = await createEvent({ slug: 'draft-event', status: 'draft' });
    expect((await staff('POST', `/${draft.id}/invitations?topics=encounter`)).status).toBe(409);
    expect((await staff('POST', `/${event.id}/invitations?topics=nonsense`)).status).toBe(400);
    const invite = await staff('POST', `/${event.id}/invitations?topics=encounter`);
    expect(invite.status).toBe(201);
    expect(await invite.json()).toEqual({ invited: 2, alreadyInvited: 0, notMailable: 2 });
    // A second, wider run invites only the one not yet invited.
    expect(await (await staff('POST', `/${event.id}/invitations`)).json()).toEqual({ invited: 1, alreadyInvited: 2, notMailable: 2 });

    const preview = (await (await staff('GET', `/${event.id}/invitations/preview?locale=fa`)).json()) as { preview: { subject: string } };
    expect(preview.preview.subject).toBe(EVENT_MAIL_TEXTS.fa.inviteSubject.replace('{{title}}', 'Beteiligungscafé Nord'));

    expect(await sendDueMail(mail)).toBe(3);
    expect(smtp.received.map((m) => m.to).sort()).toEqual(['ayse@example.org', 'olga@example.org', 'samir@example.org']);
    const byTo = (to: string) => smtp.received.find((m) => m.to === to)!.raw;
    const turkish = partOf(byTo('ayse@example.org'), 'text/plain');
    expect(turkish).toContain('Katılım kafesi Kuzey');
    expect(turkish).toContain(EVENT_MAIL_TEXTS.tr.inviteBody.replace('{{town}}', 'Musterstadt'));
    expect(turkish).toContain(`${EVENT_MAIL_TEXTS.tr.access}: ${EVENT_MAIL_TEXTS.tr.stepFree}; ${EVENT_MAIL_TEXTS.tr.hearingLoop}`);
    const arabicHtml = partOf(byTo('samir@example.org'), 'text/html');
    expect(arabicHtml).toContain('dir="rtl"');
    expect(arabicHtml).toContain('مقهى المشاركة الشمال');
    // Ukrainian has no title: German stands in.
    const olgaText = partOf(byTo('olga@example.org'), 'text/plain');
    expect(olgaText).toContain('Beteiligungscafé Nord');

    const statuses = (await (await staff('GET', `/${event.id}/invitations`)).json()) as { invitations: { email: string; status: string }[] };
    expect(statuses.invitations.map((i) => i.status)).toEqual(['sent', 'sent', 'sent']);

    // The token is in the fragment, and only its hash is stored.
    const token = /\/event\?lang=[a-z-]+#invite=([A-Za-z0-9_-]+)/.exec(turkish)![1]!;
    const rows = await sql<{ row: string }>`select t::text as row from event_invitation t`.execute(platform.database.db);
    expect(rows.rows.some((r) => r.row.includes(token))).toBe(false);

    const shown = (await (await request('POST', '/invitation', { token })).json()) as { event: { slug: string }; status: string };
    expect(shown).toMatchObject({ event: { slug: 'cafe-nord' }, status: 'sent' });
    const bad = await request('POST', '/invitation/answer', { token: 'x'.repeat(32), accept: true, consent: true, locale: 'tr' });
    expect(bad.status).toBe(404);
    expect((await errorOf(bad)).message).toBe('Bu davet bağlantısı (artık) geçerli değil.');
    const accepted = await request('POST', '/invitation/answer', { token, accept: true, consent: true, needs: { interpreting: 'tr' } });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ status: 'confirmed' });
    expect((await request('POST', '/invitation/answer', { token, accept: true, consent: true })).status).toBe(409);

    // The Arabic contact accepts too and waits; the Turkish one declines, the Arabic one moves up.
    const arabicToken = /\/event\?lang=[a-z-]+#invite=([A-Za-z0-9_-]+)/.exec(partOf(byTo('samir@example.org'), 'text/plain'))![1]!;
    expect(await (await request('POST', '/invitation/answer', { token: arabicToken, accept: true, consent: true })).json()).toMatchObject({ status: 'waiting', waitingPosition: 1 });
    expect((await request('POST', '/invitation/answer', { token, accept: false })).status).toBe(204);

    smtp.received.length = 0;
    expect(await sendDueMail(mail)).toBe(1);
    const movedUp = smtp.received.find((m) => m.to === 'samir@example.org' && partOf(m.raw, 'text/plain').includes(EVENT_MAIL_TEXTS.ar.movedUpBody));
    expect(movedUp, smtp.received.map((m) => partOf(m.raw, 'text/plain')).join('\n---\n')).toBeDefined();
    // Ayşe's unsent registration mail went with her cancellation; Samir's "you are waiting" was
    // replaced by "you moved up": one message, and only what is true now.
    const statusesAfter = (await (await staff('GET', `/${event.id}/invitations`)).json()) as { invitations: { email: string; status: string }[] };
    expect(Object.fromEntries(statusesAfter.invitations.map((i) => [i.email, i.status]))).toEqual({
      'ayse@example.org': 'declined',
      'olga@example.org': 'sent',
      'samir@example.org': 'accepted',
    });

    // The .ics attached to the moved-up message parses back to the event.
    const calendar = ICAL.Component.fromString(partOf(movedUp!.raw, 'text/calendar'));
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(vevent.summary).toBe('مقهى المشاركة الشمال');
    expect(vevent.startDate.toJSDate().toISOString()).toBe(new Date(START).toISOString());
    expect(vevent.location).toBe('Bürgerhaus Nord, Marktstraße 1, 12345 Musterstadt');

    // The cancellation link from that message cancels without the code.
    const cancelToken = /\/event\?lang=[a-z-]+#cancel=([A-Za-z0-9_-]+)/.exec(partOf(movedUp!.raw, 'text/plain'))![1]!;
    expect((await request('POST', '/registrations/cancel', { token: cancelToken })).status).toBe(204);
    expect((await request('POST', '/registrations/cancel', { token: cancelToken })).status).toBe(404);

    // The invitation's withdrawal link withdraws the contact; the invitation goes with it.
    const withdrawToken = /\/contact#withdraw=([A-Za-z0-9_-]+)/.exec(olgaText)![1]!;
    const withdrawn = await platform.app.request('/api/contacts/withdraw', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: withdrawToken }) });
    expect(withdrawn.status).toBe(204);
    expect(await platform.database.db.selectFrom('contact').select('id').where('email', '=', 'olga@example.org').execute()).toEqual([]);
    expect((await (await staff('GET', `/${event.id}/invitations`)).json()).invitations).toHaveLength(2);
  });

  it('serves the .ics download in the requested language, parsed back by ical.js', async () => {
    await createEvent({ slug: 'ics-test' });
    const response = await request('GET', '/public/ics-test/event.ics?lang=en');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const vevent = new ICAL.Event(ICAL.Component.fromString(await response.text()).getFirstSubcomponent('vevent')!);
    expect(vevent.summary).toBe('Participation café North');
    expect(vevent.description).toBe('We talk about the district.');
    expect(vevent.endDate.toJSDate().getTime() - vevent.startDate.toJSDate().getTime()).toBe(4 * 3600 * 1000);
    expect((await request('GET', '/public/nothing-here/event.ics')).status).toBe(404);
  });

  it('gives the .ics file a stable UID and a SEQUENCE raised with every change of time, place or status, not with other edits', async () => {
    const event = await createEvent({ slug: 'ics-moves' });
    const calendar = async () => {
      const text = await (await request('GET', '/public/ics-moves/event.ics?lang=en')).text();
      const vevent = new ICAL.Event(ICAL.Component.fromString(text).getFirstSubcomponent('vevent')!);
      return { uid: vevent.uid, sequence: vevent.sequence, status: vevent.component.getFirstPropertyValue('status'), start: vevent.startDate.toJSDate().toISOString(), location: vevent.location };
    };
    const first = await calendar();
    expect(first).toMatchObject({ uid: `${event.id}@vielstimmig.invalid`, sequence: 0, status: 'CONFIRMED' });
    const edit = async (overrides: Record<string, unknown>) => expect((await staff('PUT', `/${event.id}`, eventBody({ slug: 'ics-moves', ...overrides }))).status).toBe(200);

    // Another description: the calendar needs no update, the SEQUENCE stays.
    await edit({ description: { de: 'Neue Beschreibung.' } });
    expect((await calendar()).sequence).toBe(0);
    // Another time: a higher SEQUENCE under the same UID, so the calendar moves the date.
    const later = new Date(new Date(first.start).getTime() + 24 * 3600 * 1000).toISOString();
    await edit({ startsAt: later, endsAt: new Date(new Date(later).getTime() + 4 * 3600 * 1000).toISOString() });
    expect(await calendar()).toMatchObject({ uid: first.uid, sequence: 1, start: later });
    // Another place, then cancelled: raised each time.
    await edit({ startsAt: later, endsAt: new Date(new Date(later).getTime() + 4 * 3600 * 1000).toISOString(), placeName: 'Rathaus' });
    expect(await calendar()).toMatchObject({ uid: first.uid, sequence: 2 });
    expect((await calendar()).location).toMatch(/^Rathaus/);
    await edit({ startsAt: later, endsAt: new Date(new Date(later).getTime() + 4 * 3600 * 1000).toISOString(), placeName: 'Rathaus', status: 'cancelled' });
    expect(await calendar()).toMatchObject({ uid: first.uid, sequence: 3, status: 'CANCELLED' });
  });

  it('tells the public how it stands with seats in words, never a number, and nothing about people', async () => {
    await createEvent({ capacity: 10, slug: 'werkstatt', format: 'zukunftswerkstatt' });
    const availability = async () => ((await (await request('GET', '/public/werkstatt')).json()) as { event: { availability: string } }).event.availability;
    expect(await availability()).toBe('available');
    for (let i = 0; i < 8; i++) expect((await register('werkstatt', { name: `Person ${i}`, email: `p${i}@example.org` })).status).toBe(201);
    expect(await availability()).toBe('few');
    for (let i = 8; i < 10; i++) expect((await register('werkstatt', { email: `p${i}@example.org` })).status).toBe(201);
    expect(await availability()).toBe('full');
    const listed = await (await request('GET', '/public')).text();
    const shown = await (await request('GET', '/public/werkstatt')).text();
    for (const text of [listed, shown]) {
      expect(text).not.toMatch(/seatsLeft|capacity|confirmed|waiting|example\.org|Person \d/);
      expect(JSON.parse(text)).toBeTruthy();
    }
    // Past the deadline the page says registration is closed, whatever the seats.
    await createEvent({ slug: 'vorbei', startsAt: new Date(Date.now() + 3600_000).toISOString(), endsAt: new Date(Date.now() + 7200_000).toISOString(), registrationDeadline: new Date(Date.now() + 60_000).toISOString() });
    await platform.database.db.updateTable('event').set({ registration_deadline: new Date(Date.now() - 60_000).toISOString() }).where('slug', '=', 'vorbei').execute();
    const list = (await (await request('GET', '/public')).json()) as { events: { slug: string; availability: string }[] };
    expect(Object.fromEntries(list.events.map((e) => [e.slug, e.availability]))).toEqual({ vorbei: 'closed', werkstatt: 'full' });
  });

  it('exports invitations for phone-only contacts (and, without SMTP, confirmed e-mail contacts) as mail-merge letters in their language, each contact once, with working links', async () => {
    const event = await createEvent();
    await addContact(null, 'tr', { phone: '+49 170 5550001' });
    await addContact(null, 'ar', { phone: '=1+2' });
    await addContact('mail@example.org', 'de');
    await addContact('unbestaetigt@example.org', 'de', { confirmed: false });
    const exportLetters = () => request('POST', `/${event.id}/invitations/letters.csv`, undefined, coordinator.writeHeaders({ 'accept-language': 'en' }));
    expect((await request('POST', `/${event.id}/invitations/letters.csv`, undefined, analyst.writeHeaders())).status).toBe(403);
    const response = await exportLetters();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await response.text();
    const { parse } = await import('csv-parse/sync');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    // Formula-safe like every export: a cell starting with + or = gets a leading apostrophe.
    // This platform has no SMTP_URL: the confirmed e-mail contact gets a letter too, the unconfirmed one never.
    expect(rows.map((r) => [r.phone, r.email, r.locale]).sort()).toEqual([["'+49 170 5550001", '', 'tr'], ["'=1+2", '', 'ar'], ['', 'mail@example.org', 'de']]);
    const turkish = rows.find((r) => r.locale === 'tr')!;
    expect(turkish.subject).toBe(EVENT_MAIL_TEXTS.tr.inviteSubject.replace('{{title}}', 'Katılım kafesi Kuzey'));
    expect(turkish.letter).toContain(turkish.invitation_link);
    // The link in the letter works like the e-mail's: the contact registers without an account.
    const token = /#invite=([A-Za-z0-9_-]+)$/.exec(turkish.invitation_link!)![1]!;
    const accepted = await request('POST', '/invitation/answer', { token, accept: true, consent: true });
    expect(accepted.status).toBe(201);
    const registered = await platform.database.db.selectFrom('event_registration').select(['phone', 'locale']).executeTakeFirstOrThrow();
    expect(registered).toEqual({ phone: '+49 170 5550001', locale: 'tr' });
    // A second export invites no one twice.
    const again = parse(await (await exportLetters()).text(), { columns: true }) as unknown[];
    expect(again).toEqual([]);
    expect(csv).not.toContain('unbestaetigt@example.org');
    const audit = await platform.database.db.selectFrom('audit_log').select('details').where('action', '=', 'event.invite_letters').orderBy('id').execute();
    expect(audit.map((a) => (a.details as { letters: number }).letters)).toEqual([3, 0]);
  });

  it('keeps a closing report, public only once published', async () => {
    const event = await createEvent();
    const body = { attendeesCount: 23, organisations: ['Migrantenverein', ' Jugendzentrum ', ''], results: { de: 'Mehr Bänke am Markt.', en: 'More benches.' }, published: false };
    expect((await staff('PUT', `/${event.id}/report`, { ...body, attendeesCount: -1 })).status).toBe(422);
    expect((await staff('PUT', `/${event.id}/report`, { ...body, published: true, results: { en: 'x' } })).status).toBe(422);
    expect((await staff('PUT', `/${event.id}/report`, body)).status).toBe(200);
    expect(((await (await request('GET', '/public/cafe-nord')).json()) as { report: unknown }).report).toBeNull();
    expect((await staff('PUT', `/${event.id}/report`, { ...body, published: true })).status).toBe(200);
    const shown = (await (await request('GET', '/public/cafe-nord')).json()) as { event: { reportPublished: boolean }; report: { attendeesCount: number; organisations: string[] } };
    expect(shown.event.reportPublished).toBe(true);
    expect(shown.report).toMatchObject({ attendeesCount: 23, organisations: ['Migrantenverein', 'Jugendzentrum'], published: true });
    const actions = await platform.database.db.selectFrom('audit_log').select('action').where('target', '=', event.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['event.create', 'event.report_save', 'event.report_publish']);
  });

  it('every resident-facing event text exists in all nine locales', () => {
    const keys = Object.keys(EVENT_MAIL_TEXTS.de).sort();
    for (const locale of SUPPORTED_LOCALES) {
      expect(Object.keys(EVENT_MAIL_TEXTS[locale]).sort()).toEqual(keys);
      for (const [key, value] of Object.entries(EVENT_MAIL_TEXTS[locale])) {
        if (typeof value === 'string') expect(value.trim(), `${locale}.${key}`).not.toBe('');
      }
    }
  });
});
