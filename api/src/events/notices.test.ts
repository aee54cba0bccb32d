import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendDueMail, smtpTransport, type MailDeps } from '../mail/index.ts';
import { partOf, startSmtpServer } from '../../../tests/support/smtp-server.ts';
import { loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { formatWhen } from './options.ts';
import { queueEventReminders } from './reminders.ts';
import { EVENT_MAIL_TEXTS } from './texts.ts';

// Messages to registrants when the town cancels or moves an event, and the reminder before it:
// through the real mail queue to a real SMTP server, each in the person's locale.
const HOUR = 3600 * 1000;
const START = Math.ceil((Date.now() + 5 * 24 * HOUR) / HOUR) * HOUR;

const eventBody = (overrides: Record<string, unknown> = {}) => ({
  slug: 'werkstatt',
  format: 'zukunftswerkstatt',
  title: { de: 'Zukunftswerkstatt Markt', tr: 'Gelecek atölyesi Pazar', ar: 'ورشة المستقبل السوق' },
  description: {},
  placeName: 'Bürgerhaus',
  placeAddress: 'Marktstraße 1',
  accessibilityNotes: {},
  startsAt: new Date(START).toISOString(),
  endsAt: new Date(START + 3 * HOUR).toISOString(),
  capacity: 2,
  registrationDeadline: null,
  status: 'published',
  ...overrides,
});

/** The Subject header, decoded from RFC 2047 encoded words as nodemailer writes them. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)![1]!.replace(/\r\n[ \t]/g, ' ');
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

describe('event notices: cancelled, moved, reminder', () => {
  let platform: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mail: MailDeps;
  let coordinator: StaffSession;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    mail = { db: platform.database.db, transport: smtpTransport(smtp.url), from: 'Test <beteiligung@example.org>', publicUrl: 'https://beteiligung.example.org' };
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
  });
  afterAll(async () => {
    await platform?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    smtp.received.length = 0;
    for (const table of ['mail_outbox', 'event_registration', 'event'] as const) await platform.database.db.deleteFrom(table).execute();
  });

  const api = (method: string, path: string, body?: unknown) =>
    platform.app.request(`/api/events${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(method === 'GET' ? coordinator.headers() : coordinator.writeHeaders()) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const createEvent = async (overrides: Record<string, unknown> = {}) => {
    const response = await api('POST', '', eventBody(overrides));
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { event: { id: string } }).event.id;
  };
  const register = async (slug: string, locale: string, person: Record<string, string>) => {
    const response = await platform.app.request(`/api/events/public/${slug}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale, consent: true, ...person }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { code: string; status: string };
  };
  /** Sends everything due and returns what arrived since the last call. */
  const deliver = async () => {
    smtp.received.length = 0;
    while ((await sendDueMail(mail, { limit: 50 })) > 0);
    return smtp.received.map((m) => ({ to: m.to, text: partOf(m.raw, 'text/plain'), raw: m.raw }));
  };

  it('tells everyone registered when the event moves and when it is cancelled, in their language, once per change', async () => {
    const id = await createEvent();
    await register('werkstatt', 'tr', { email: 'ayse@example.org' });
    await register('werkstatt', 'de', { phone: '+49 170 1234567' });
    await register('werkstatt', 'ar', { email: 'samir@example.org' }); // waiting
    const gone = await register('werkstatt', 'de', { email: 'weg@example.org' });
    expect((await platform.app.request('/api/events/registrations/cancel', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: gone.code }) })).status).toBe(204);
    await deliver();

    // A change of title alone is not a move: nobody is written to.
    expect((await api('PUT', `/${id}`, eventBody({ title: { de: 'Zukunftswerkstatt am Markt', tr: 'Gelecek atölyesi Pazar', ar: 'ورشة المستقبل السوق' } }))).status).toBe(200);
    expect(await deliver()).toEqual([]);

    // Moved twice before the queue ran: one message each, with the facts of the last move.
    expect((await api('PUT', `/${id}`, eventBody({ startsAt: new Date(START + 24 * HOUR).toISOString(), endsAt: new Date(START + 27 * HOUR).toISOString() }))).status).toBe(200);
    const finalStart = new Date(START + 48 * HOUR).toISOString();
    expect((await api('PUT', `/${id}`, eventBody({ startsAt: finalStart, endsAt: new Date(START + 51 * HOUR).toISOString(), placeName: 'Rathaus' }))).status).toBe(200);
    const moved = await deliver();
    expect(moved.map((m) => m.to).sort()).toEqual(['ayse@example.org', 'samir@example.org']);
    const turkish = moved.find((m) => m.to === 'ayse@example.org')!;
    expect(subjectOf(turkish.raw)).toBe('Yeni zaman veya yer: Gelecek atölyesi Pazar');
    expect(turkish.text).toContain(EVENT_MAIL_TEXTS.tr.movedBody);
    expect(turkish.text).toContain(formatWhen(finalStart, 'tr'));
    expect(turkish.text).toContain('Rathaus');
    expect(turkish.text).toMatch(/\/event\?lang=tr#cancel=[A-Za-z0-9_-]+/);
    expect(moved.find((m) => m.to === 'samir@example.org')!.text).toContain(EVENT_MAIL_TEXTS.ar.movedBody);
    // Its calendar file updates the date the person has: same UID, SEQUENCE raised by both moves.
    const movedCalendar = new ICAL.Component(ICAL.parse(partOf(turkish.raw, 'text/calendar'))).getFirstSubcomponent('vevent')!;
    expect(movedCalendar.getFirstPropertyValue('uid')).toBe(`${id}@vielstimmig.invalid`);
    expect(movedCalendar.getFirstPropertyValue('sequence')).toBe(2);

    // Cancelled by the town: the message has no cancellation link, and its calendar file takes the date out.
    expect((await api('PUT', `/${id}`, eventBody({ startsAt: finalStart, endsAt: new Date(START + 51 * HOUR).toISOString(), placeName: 'Rathaus', status: 'cancelled' }))).status).toBe(200);
    const cancelled = await deliver();
    expect(cancelled.map((m) => m.to).sort()).toEqual(['ayse@example.org', 'samir@example.org']);
    const arabic = cancelled.find((m) => m.to === 'samir@example.org')!;
    expect(subjectOf(arabic.raw)).toBe('أُلغيت: ورشة المستقبل السوق');
    expect(arabic.text).toContain(EVENT_MAIL_TEXTS.ar.cancelledBody);
    expect(arabic.text).not.toContain('#cancel=');
    const calendar = new ICAL.Component(ICAL.parse(partOf(arabic.raw, 'text/calendar')));
    expect(calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(calendar.getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).toBe(3);
    // Saving the cancelled event again writes to nobody.
    expect((await api('PUT', `/${id}`, eventBody({ status: 'cancelled' }))).status).toBe(200);
    expect(await deliver()).toEqual([]);
  });

  it('queues one reminder per confirmed registration within the lead time, once across concurrent runs; a move re-arms it', async () => {
    const soon = Date.now() + 20 * HOUR;
    const soonId = await createEvent({ slug: 'bald', startsAt: new Date(soon).toISOString(), endsAt: new Date(soon + 2 * HOUR).toISOString(), capacity: 2 });
    await createEvent({ slug: 'spaeter', startsAt: new Date(Date.now() + 60 * HOUR).toISOString(), endsAt: new Date(Date.now() + 62 * HOUR).toISOString() });
    await register('bald', 'uk', { email: 'olena@example.org' });
    await register('bald', 'de', { email: 'jan@example.org' });
    await register('bald', 'de', { email: 'wartet@example.org' }); // waiting: no reminder
    await register('spaeter', 'de', { email: 'spaeter@example.org' }); // outside the lead time
    await deliver();

    const now = new Date();
    const runs = await Promise.all([1, 2, 3].map(() => queueEventReminders(platform.database.db, { now, leadHours: 24 })));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await queueEventReminders(platform.database.db, { now, leadHours: 24 })).toBe(0);
    const reminders = await deliver();
    expect(reminders.map((m) => m.to).sort()).toEqual(['jan@example.org', 'olena@example.org']);
    const ukrainian = reminders.find((m) => m.to === 'olena@example.org')!;
    expect(subjectOf(ukrainian.raw)).toBe('Нагадування: Zukunftswerkstatt Markt');
    expect(ukrainian.text).toContain(EVENT_MAIL_TEXTS.uk.reminderBody);
    expect(ukrainian.text).toMatch(/#cancel=/);

    // Moved to another day within the lead time: the moved message, and the reminder once more.
    const later = soon + 2 * HOUR;
    expect((await api('PUT', `/${soonId}`, eventBody({ slug: 'bald', startsAt: new Date(later).toISOString(), endsAt: new Date(later + 2 * HOUR).toISOString() }))).status).toBe(200);
    expect(await queueEventReminders(platform.database.db, { now, leadHours: 24 })).toBe(2);
    // A registration cancelled after its reminder was queued gets nothing.
    await platform.database.db.updateTable('event_registration').set({ status: 'cancelled', email: null }).where('email', '=', 'jan@example.org').execute();
    const after = await deliver();
    expect(after.map((m) => m.to).sort()).toEqual(['olena@example.org', 'olena@example.org', 'wartet@example.org']);
    // With lead time 0 no run ever reminds.
    expect(await queueEventReminders(platform.database.db, { now, leadHours: 0 })).toBe(0);
  });
});
