import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { FIELDS_OF_ACTION } from '../../../api/src/shared/contact-options.ts';
import type { AttendeeGroup } from '../../../api/src/shared/attendee-groups.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';

/*
 * Step functions for browser tests of the event day and the published closing report (used by
 * tests/e2e/event-day.test.ts and the whole-loop test tests/e2e/activation-loop.test.ts).
 *
 * Preconditions, for every function here:
 * - the build contains `event-day.html`, `event-day-sw.js`, `coordinate.html` and `events.html`
 *   (pass them to startBrowserApp's `pages`, which checks the build);
 * - `page` belongs to a BrowserContext made with service workers allowed (the default) and a
 *   German locale or none (the staff pages are driven by ids, but status texts are German);
 * - the context is signed in as a coordinator or admin: `signInAsCoordinator` below, or the
 *   /coordinate login form done by the test itself (the same session cookie serves /coordinate/day);
 * - the event is published (not a draft); its registrations exist already.
 * The functions leave the context online and the page on the last page they used.
 */
export const DAY_WAIT_MS = 20_000;

export async function signInAsCoordinator(page: Page, baseUrl: string, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/coordinate?lang=de`);
  await page.locator('#login-email').fill(account.email, { timeout: DAY_WAIT_MS });
  await page.locator('#login-password').fill(account.password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('#show-events').waitFor({ timeout: DAY_WAIT_MS });
}

/** Opens the event day online: downloads the list, and waits until the service worker controls the page (it then opens offline). */
export async function openEventDay(page: Page, baseUrl: string, eventId: string): Promise<void> {
  await page.goto(`${baseUrl}/coordinate/day?event=${eventId}&lang=de`);
  await page.locator('#checkin').waitFor({ timeout: DAY_WAIT_MS });
  await page.evaluate(async (timeoutMs) => {
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('service worker not ready')), timeoutMs));
    await Promise.race([navigator.serviceWorker.ready, deadline]);
    if (!navigator.serviceWorker.controller) {
      await Promise.race([new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })), deadline]);
    }
  }, DAY_WAIT_MS);
}

/** How many items wait on the tablet (the status panel's number). */
export async function waitingOnTablet(page: Page): Promise<number> {
  return Number(await page.locator('#day-waiting').getAttribute('data-waiting', { timeout: DAY_WAIT_MS }));
}

/** Presses "send now" and waits until nothing waits on the tablet. */
export async function syncTablet(page: Page): Promise<void> {
  await page.locator('#day-sync:not([disabled])').click({ timeout: DAY_WAIT_MS });
  await page.waitForFunction(() => document.querySelector('#day-waiting')?.getAttribute('data-waiting') === '0', undefined, { timeout: DAY_WAIT_MS });
}

export interface CheckInPlan {
  /** Registrations to tick: by the name they registered with (and the group they name), or the first n of the list. */
  arrivals: number | { name: string; group?: AttendeeGroup | null }[];
  /** One person without registration per entry, with the group they name (null: none). */
  walkIns: (AttendeeGroup | null)[];
}

export interface ServerAttendance {
  total: number;
  registered: number;
  walkIns: number;
  byGroup: Partial<Record<AttendeeGroup, number>>;
}

/**
 * What the server's closing report says about attendance, read with the context's session through
 * Playwright's request client (outside the page, so it works while the page is offline).
 */
export async function serverAttendance(page: Page, baseUrl: string, eventId: string): Promise<{ attendeesCount: number; attendance: ServerAttendance } | null> {
  const response = await page.context().request.get(`${baseUrl}/api/events/${eventId}`, { headers: { accept: 'application/json' } });
  if (!response.ok()) throw new Error(`GET /api/events/${eventId}: ${response.status()}`);
  const body = (await response.json()) as { report: { attendeesCount: number; attendance: ServerAttendance } | null };
  return body.report ? { attendeesCount: body.report.attendeesCount, attendance: body.report.attendance } : null;
}

/**
 * The check-in on a tablet without network: opens the day online (list downloaded, page cached),
 * goes offline (`context.setOffline(true)`), reloads the page from the service worker, ticks the
 * arrivals and adds the walk-ins, checks they wait on the tablet and not on the server, goes back
 * online and syncs. Returns the figures the server then reports.
 */
export async function checkInOffline(context: BrowserContext, page: Page, baseUrl: string, eventId: string, plan: CheckInPlan): Promise<ServerAttendance> {
  await openEventDay(page, baseUrl, eventId);
  const before = (await serverAttendance(page, baseUrl, eventId))?.attendance.total ?? 0;
  await context.setOffline(true);
  try {
    await page.reload();
    await page.locator('#checkin').waitFor({ timeout: DAY_WAIT_MS });
    const arrivals =
      typeof plan.arrivals === 'number'
        ? (await page.locator('#checkin-list li[data-arrived="false"] .checkin-name').allInnerTexts()).slice(0, plan.arrivals).map((name) => ({ name, group: null }))
        : plan.arrivals;
    let queued = await waitingOnTablet(page);
    for (const arrival of arrivals) {
      const row = page.locator('#checkin-list li[data-arrived="false"]').filter({ has: page.locator('.checkin-name', { hasText: arrival.name }) }).first();
      if (arrival.group) await row.locator('select.checkin-group').selectOption(arrival.group);
      await row.locator('button.checkin-arrive').click();
      queued++;
      await page.waitForFunction((n) => document.querySelector('#day-waiting')?.getAttribute('data-waiting') === String(n), queued, { timeout: DAY_WAIT_MS });
    }
    for (const group of plan.walkIns) {
      await page.locator('#walkin-group').selectOption(group ?? '');
      await page.locator('#walkin-add').click();
      queued++;
      await page.waitForFunction((n) => document.querySelector('#day-waiting')?.getAttribute('data-waiting') === String(n), queued, { timeout: DAY_WAIT_MS });
    }
    // Nothing reached the server while offline.
    const offlineTotal = (await serverAttendance(page, baseUrl, eventId))?.attendance.total ?? 0;
    if (offlineTotal !== before) throw new Error(`the server counted ${offlineTotal - before} arrivals made offline before the sync`);
  } finally {
    await context.setOffline(false);
  }
  // Back online the tablet sends by itself; pressing "send now" joins or starts that run.
  await syncTablet(page);
  return (await serverAttendance(page, baseUrl, eventId))!.attendance;
}

export interface CardInput {
  statement: string;
  fieldOfAction?: (typeof FIELDS_OF_ACTION)[number] | null;
  origin?: string | null;
  dots: number;
}

/** `n` photos of pin boards as a tablet camera makes them (JPEG with camera and GPS EXIF). */
export async function pinBoardPhotos(n: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, (_, index) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: index % 2 ? '#d9b36c' : '#9fc5e8' } })
        .composite([{ input: { create: { width: 200, height: 150, channels: 3, background: '#2a5c8a' } }, left: 40 + 60 * index, top: 80 }])
        .jpeg()
        .withExif({ IFD0: { Make: 'TabletCam', Model: 'Field 1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '49/1 54/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '8/1 26/1 1500/100' } })
        .toBuffer(),
    ),
  );
}

/** Six (or n) cards with distinct dot votes, fields of action and tables. */
export function sampleCards(n: number): CardInput[] {
  return Array.from({ length: n }, (_, index) => ({
    statement: `Ergebnis ${index + 1}: ${['Mehr Bänke am Markt', 'Sprachcafé in der Bücherei', 'Treffpunkt für Jugendliche', 'Feste im Quartier', 'Beratung auf Türkisch und Arabisch', 'Sportplatz abends öffnen', 'Nachbarschaftshilfe', 'Gebetsräume zeigen'][index % 8]}`,
    fieldOfAction: FIELDS_OF_ACTION[index % FIELDS_OF_ACTION.length]!,
    origin: `Tisch ${(index % 3) + 1}`,
    dots: (n - index) * 3 + 1,
  }));
}

export interface ReportPlan {
  photos: number | Buffer[];
  cards: number | CardInput[];
  /** Translations of the cards (same order as `cards`), entered on the tablet after the sync. */
  translations?: Partial<Record<Exclude<Locale, 'de'>, string[]>>;
  /** The report's German results text. */
  results?: string;
  /** One host's note per entry (never public). */
  notes?: { room: string; note: string }[];
}

/**
 * Documents the event on the tablet and publishes the report: adds the cards (statement, field of
 * action, table, dot votes), the photos (file picker) and the notes on /coordinate/day, syncs,
 * enters the translations, then on /coordinate opens the event and publishes the closing report
 * with a German results text. Returns the event's title as the coordinator page lists it.
 */
export async function publishReportWithPhotosAndCards(page: Page, baseUrl: string, eventId: string, plan: ReportPlan): Promise<{ title: string; cards: CardInput[] }> {
  const cards = typeof plan.cards === 'number' ? sampleCards(plan.cards) : plan.cards;
  const photos = typeof plan.photos === 'number' ? await pinBoardPhotos(plan.photos) : plan.photos;
  await openEventDay(page, baseUrl, eventId);
  const title = (await page.locator('#day-title').innerText()).trim();
  for (const card of cards) {
    await page.locator('#card-statement').fill(card.statement);
    await page.locator('#card-field').selectOption(card.fieldOfAction ?? '');
    await page.locator('#card-origin').fill(card.origin ?? '');
    await page.locator('#card-dots').fill(String(card.dots));
    const count = await page.locator('#card-list li').count();
    await page.locator('#card-form button[type=submit]').click();
    await page.waitForFunction((n) => document.querySelectorAll('#card-list li').length === n, count + 1, { timeout: DAY_WAIT_MS });
  }
  for (const note of plan.notes ?? []) {
    await page.locator('#note-room').fill(note.room);
    await page.locator('#note-text').fill(note.note);
    await page.locator('#note-form button[type=submit]').click();
    await page.locator('#note-list li', { hasText: note.note }).waitFor({ timeout: DAY_WAIT_MS });
  }
  if (photos.length > 0) {
    const before = await page.locator('#photo-list li').count();
    await page.locator('#photo-input').setInputFiles(photos.map((buffer, index) => ({ name: `pinnwand-${index + 1}.jpg`, mimeType: 'image/jpeg', buffer })));
    await page.waitForFunction((n) => document.querySelectorAll('#photo-list li').length === n, before + photos.length, { timeout: DAY_WAIT_MS });
  }
  await syncTablet(page);

  for (const [locale, statements] of Object.entries(plan.translations ?? {})) {
    await page.locator('#translation-locale').selectOption(locale);
    await page.locator('#translation-load').click();
    await page.locator('#translation-save:not([hidden])').waitFor({ timeout: DAY_WAIT_MS });
    for (const [index, card] of cards.entries()) {
      const label = page.locator('#translation-cards label', { hasText: card.statement });
      const id = await label.getAttribute('for');
      await page.locator(`#${id}`).fill(statements![index] ?? '');
    }
    await page.locator('#translation-save').click();
    await page.locator('#translation-message', { hasText: 'Übersetzungen gespeichert.' }).waitFor({ timeout: DAY_WAIT_MS });
  }

  await page.goto(`${baseUrl}/coordinate?lang=de`);
  await page.locator('#show-events').click({ timeout: DAY_WAIT_MS });
  await page.locator('#event-list tbody tr', { hasText: title }).locator('button').click({ timeout: DAY_WAIT_MS });
  // The form is filled from the server (attendees from the check-in) before we change it.
  await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('#report-attendees')?.value ?? '') !== '', undefined, { timeout: DAY_WAIT_MS });
  await page.locator('#report-results-de').fill(plan.results ?? 'Sechs Vorschläge mit den meisten Überpunkten gehen in die Steuerungsgruppe.');
  await page.locator('#report-published').check();
  await page.locator('#report-form button[type=submit]').click();
  await page.locator('text=Bericht gespeichert.').waitFor({ timeout: DAY_WAIT_MS });
  return { title, cards };
}

export interface PublishedReportView {
  lang: string | null;
  dir: string | null;
  attendees: string;
  groups: string[];
  photos: { alt: string; src: string; loaded: boolean }[];
  cards: { statement: string; lang: string | null; facts: string; dots: number }[];
}

/** Opens `/events/<slug>?lang=<locale>` and reads the published report as a resident sees it. */
export async function readPublishedReport(page: Page, baseUrl: string, eventSlug: string, locale: Locale): Promise<PublishedReportView> {
  await page.goto(`${baseUrl}/events/${encodeURIComponent(eventSlug)}?lang=${locale}`);
  await page.locator('#event-report').waitFor({ timeout: DAY_WAIT_MS });
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('#report-photos img')].every((img) => img.complete), undefined, { timeout: DAY_WAIT_MS });
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
    attendees: document.querySelector('#report-attendees')?.textContent ?? '',
    groups: [...document.querySelectorAll('#report-groups li')].map((li) => li.textContent ?? ''),
    photos: [...document.querySelectorAll<HTMLImageElement>('#report-photos img')].map((img) => ({ alt: img.alt, src: img.getAttribute('src') ?? '', loaded: img.complete && img.naturalWidth > 0 })),
    cards: [...document.querySelectorAll<HTMLElement>('#report-cards .report-card')].map((card) => {
      const statement = card.querySelector<HTMLElement>('.card-statement');
      return { statement: statement?.textContent ?? '', lang: statement?.getAttribute('lang') ?? null, facts: card.querySelector('.hint')?.textContent ?? '', dots: Number(card.dataset.dots) };
    }),
  }));
}
