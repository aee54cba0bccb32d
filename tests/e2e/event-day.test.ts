import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../api/src/auth/index.ts';
import { RTL_LOCALES, SUPPORTED_LOCALES } from '../../api/src/shared/locales.ts';
import { loginAsNew } from '../support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';
import { checkInOffline, DAY_WAIT_MS, openEventDay, publishReportWithPhotosAndCards, readPublishedReport, signInAsCoordinator, syncTablet } from './support/activation-day.ts';

// The event day in a real browser: the check-in on a tablet without network, synced exactly once,
// the closing report documented on the tablet (two photos, six dot-voted cards) and published,
// then read by a resident in Arabic, right to left; the list leaves the tablet when the day ends.
const coordinator = { email: 'day.coordinator@example.org', password: 'event-day-e2e-2026' };
const DAY = 24 * 3600 * 1000;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let eventId: string;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({
    pages: ['event-day.html', 'event-day-sw.js', 'coordinate.html', 'events.html'],
    platform: { surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } },
  }));
  await createAccount(platform.database.db, { ...coordinator, role: 'coordinator' });
  const staff = await loginAsNew(platform.app, platform.database.db, 'coordinator');
  const start = Math.ceil((Date.now() + 2 * DAY) / 3_600_000) * 3_600_000;
  const created = await platform.app.request('/api/events', {
    method: 'POST',
    headers: staff.writeHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({
      slug: 'cafe-am-markt',
      format: 'beteiligungscafe',
      title: { de: 'Beteiligungscafé am Markt', ar: 'مقهى المشاركة في السوق' },
      description: { de: 'Wir sammeln Ideen für den Ortskern.' },
      placeName: 'Bürgerhaus',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 4 * 3600 * 1000).toISOString(),
      capacity: null,
      status: 'published',
    }),
  });
  expect(created.status).toBe(201);
  eventId = ((await created.json()) as { event: { id: string } }).event.id;
  for (const person of [
    { name: 'Ayşe Demir', email: 'ayse@example.org', locale: 'tr' },
    { name: 'Jonas Weber', email: 'jonas@example.org', locale: 'de', needs: { childcare: true } },
    { name: null, phone: '0151 2345678', locale: 'ar', needs: { interpreting: 'ar' } },
  ]) {
    const res = await platform.app.request('/api/events/public/cafe-am-markt/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: true, ...person }),
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

const rows = async (table: 'event_checkin' | 'event_report_card' | 'event_report_photo' | 'event_report_note') =>
  Number((await platform.database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);

/** Everything the tablet keeps in IndexedDB, as JSON (Blobs as their size). */
const tabletData = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('vielstimmig-event-day');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    const data = { days: await all('days'), items: await all('items'), photos: (await all('photos')).map((p) => ({ ...(p as object), blob: (p as { blob: Blob | null }).blob?.size ?? null })) };
    db.close();
    return data;
  });

describe('the event day on a tablet /coordinate/day', () => {
  it('checks people in offline, syncs once, documents and publishes the report, shows it in Arabic right to left, and forgets the list at the end of the day', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    context.setDefaultTimeout(DAY_WAIT_MS);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await signInAsCoordinator(page, baseUrl, coordinator);

    // The list on the tablet: names where given, needs, status; no address, phone or language.
    await openEventDay(page, baseUrl, eventId);
    const listed = (await tabletData(page)).days[0] as { registrations: Record<string, unknown>[] };
    expect(listed.registrations.map((r) => r.name).sort()).toEqual(['Ayşe Demir', 'Jonas Weber', null].sort());
    expect(JSON.stringify(listed)).not.toMatch(/example\.org|0151|"locale"/);
    expect(await axeViolations(page)).toEqual([]);

    const attendance = await checkInOffline(context, page, baseUrl, eventId, {
      arrivals: [
        { name: 'Ayşe Demir', group: 'residents' },
        { name: 'Jonas Weber', group: 'associations' },
      ],
      walkIns: ['residents', 'politics', null],
    });
    expect(attendance).toEqual({ total: 5, registered: 2, walkIns: 3, byGroup: { residents: 2, associations: 1, politics: 1 } });
    expect(await page.locator('#checkin-counts').innerText()).toBe('Angekommen: 5 (davon ohne Anmeldung: 3)');
    expect(await rows('event_checkin')).toBe(5);

    // Exactly once: the tablet's own items sent again (as after a lost answer) change nothing.
    const sentItems = ((await tabletData(page)).items as { state: string; payload: unknown }[]).filter((item) => item.state === 'synced').map((item) => item.payload);
    expect(sentItems).toHaveLength(5);
    const replay = await page.evaluate(
      async ({ id, items }) => {
        const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
        const response = await fetch(`/api/events/${id}/day/sync`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ items }) });
        return ((await response.json()) as { results: { status: string }[] }).results.map((result) => result.status);
      },
      { id: eventId, items: sentItems },
    );
    expect(replay).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    await page.locator('#day-sync').click();
    expect(await rows('event_checkin')).toBe(5);

    // The report from the tablet: two photos, six dot-voted cards (translated into Arabic), a host's note.
    const arabic = ['مقاعد أكثر في السوق', 'مقهى لغوي في المكتبة', 'مكان لقاء للشباب', 'احتفالات في الحي', 'استشارة بالتركية والعربية', 'فتح الملعب مساءً'];
    const { cards } = await publishReportWithPhotosAndCards(page, baseUrl, eventId, {
      photos: 2,
      cards: 6,
      translations: { ar: arabic },
      notes: [{ room: 'Tisch 1', note: 'Frau M. möchte beim nächsten Mal mithelfen.' }],
    });
    expect([await rows('event_report_photo'), await rows('event_report_card'), await rows('event_report_note')]).toEqual([2, 6, 1]);
    // Published as the check-in counted: the report keeps the check-in's figure, not a copy of it.
    expect(await platform.database.db.selectFrom('event_report').select(['attendees_count', 'published']).executeTakeFirstOrThrow()).toEqual({ attendees_count: null, published: true });
    expect(await axeViolations(page)).toEqual([]);

    const shown = await readPublishedReport(page, baseUrl, 'cafe-am-markt', 'ar');
    expect({ lang: shown.lang, dir: shown.dir }).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(shown.attendees).toContain('5');
    // Five came in three groups, each fewer than k (5): the groups would add up to the total, so none is shown.
    expect(shown.groups).toHaveLength(0);
    expect(shown.photos).toHaveLength(2);
    expect(shown.photos.every((photo) => photo.loaded && photo.alt.length > 0)).toBe(true);
    // Most dots first, each in Arabic.
    expect(shown.cards.map((card) => card.dots)).toEqual([...cards.map((card) => card.dots)].sort((a, b) => b - a));
    expect(shown.cards.map((card) => card.statement)).toEqual(arabic);
    expect(shown.cards.every((card) => card.lang === null)).toBe(true);
    expect(await page.locator('main').innerText()).not.toContain('Frau M.');
    expect(await axeViolations(page)).toEqual([]);
    // The public photo is the re-encoded one: no camera data, no GPS.
    const photo = await platform.app.request(`${shown.photos[0]!.src.replace(/\/thumb$/, '')}`);
    expect(photo.status).toBe(200);
    expect((await sharp(Buffer.from(await photo.arrayBuffer())).metadata()).exif).toBeUndefined();
    // Every locale shows photos and cards, right to left for Arabic and Farsi, axe clean; where a
    // card has no translation it is German, marked as German.
    for (const locale of SUPPORTED_LOCALES.filter((code) => code !== 'ar')) {
      const view = await readPublishedReport(page, baseUrl, 'cafe-am-markt', locale);
      expect({ locale, lang: view.lang, dir: view.dir }).toEqual({ locale, lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr' });
      expect([view.photos.length, view.cards.length]).toEqual([2, 6]);
      expect(view.cards[0]!.statement).toBe(cards[0]!.statement);
      expect(view.cards[0]!.lang).toBe(locale === 'de' ? null : 'de');
      expect(await axeViolations(page), locale).toEqual([]);
    }

    // A file that is not a photo is refused with a clear message, and nothing is stored.
    await openEventDay(page, baseUrl, eventId);
    await page.locator('#photo-input').setInputFiles({ name: 'protokoll.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Protokoll vom Tisch 3, kein Foto') });
    await page.locator('#photo-list li[data-state="queued"]').waitFor();
    await syncTablet(page);
    expect(await page.locator('#photo-list li[data-state="rejected"]').innerText()).toContain('kein Bild');
    expect(await rows('event_report_photo')).toBe(2);

    // The end of the day: the list with its names leaves the tablet.
    await page.locator('#day-end').click();
    await page.locator('#day-ended').waitFor();
    const left = await tabletData(page);
    expect(left.days).toEqual([]);
    expect(JSON.stringify(left)).not.toMatch(/Ayşe|Jonas/);
    await context.close();
  });
});
