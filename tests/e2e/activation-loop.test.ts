import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../api/src/auth/index.ts';
import { moveHeldContacts } from '../../api/src/contacts/index.ts';
import { partOf, startSmtpServer } from '../support/smtp-server.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';
import { checkInOffline, publishReportWithPhotosAndCards, readPublishedReport } from './support/activation-day.ts';

// The whole activation loop of issue #13 in a real Chromium against the real app, with a real SMTP
// server on 127.0.0.1 that receives every message: a resident answers in Turkish and opts in,
// confirms the address from the message that arrived, a coordinator creates a Beteiligungscafé and
// invites the matching contacts (a phone-only contact gets a printed letter), the resident
// registers from the invitation in Turkish and cancels, the person on the waiting list moves up and
// is told so, the day of the event, and the closing report published and shown in Arabic, right to
// left. Runs on PGlite and on PostgreSQL (DATABASE_URL) alike.
const WAIT_MS = 30_000;
const SLUG = 'resident-baseline';
const coordinator = { email: 'coordinator.loop@example.org', password: 'coordinator-loop-2026' };
const resident = { email: 'elif.loop@example.org' };
const waiting = { email: 'jonas.loop@example.org' };

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let dir: string;
const requested: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  ({ platform, server, baseUrl, browser } = await startBrowserApp({
    pages: ['respond.html', 'contact.html', 'coordinate.html', 'event.html', 'events.html', 'event-day.html', 'event-day-sw.js'],
    // PUBLIC_URL as a town sets it; the test opens each link's path on its own server (linkFromMail).
    platform: { config: { smtpUrl: smtp.url, mailFrom: 'Gemeinde <beteiligung@example.org>', publicUrl: 'https://beteiligung.example.org', publicWriteLimitPerMinute: 10_000 } },
  }));
  await createAccount(platform.database.db, { ...coordinator, role: 'coordinator' });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'activation-loop-'));
}, 120_000);

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
  await smtp?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

async function newPage(locale = 'de-DE'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, acceptDownloads: true });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { context, page };
}

/**
 * The first message to `to` whose text matches `link`, once the app's own mail queue has sent it
 * to the test's SMTP server; the link's path and fragment, opened on this server (the message's
 * host is the configured PUBLIC_URL, which a test server on a random port cannot be).
 */
async function linkFromMail(to: string, link: RegExp, mustContain = ''): Promise<{ path: string; text: string }> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    await platform.mail.runOnce();
    for (const message of smtp.received.filter((m) => m.to === to)) {
      const text = partOf(message.raw, 'text/plain');
      const match = link.exec(text);
      if (match && text.includes(mustContain)) {
        const url = new URL(match[0]);
        return { path: `${url.pathname}${url.search}${url.hash}`, text };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no message to ${to} with ${link} arrived; received: ${smtp.received.map((m) => m.to).join(', ')}; log: ${platform.logLines.slice(-5).join(' | ')}`);
}

const TOKEN = '[A-Za-z0-9_-]{20,}';

describe('the activation loop, opt-in to published report', () => {
  it('runs from a Turkish answer to the Arabic report page', async () => {
    const db = platform.database.db;

    // 1. A resident answers the baseline in Turkish and leaves contact details on the thank-you page.
    //    Her phone is set to German: the links in the messages carry the language she chose.
    const { context: residentContext, page: residentPage } = await newPage('de-DE');
    await residentPage.goto(`${baseUrl}/s/${SLUG}?lang=tr`);
    await residentPage.locator('#start-button').click();
    await residentPage.locator('#survey .sd-page__title').waitFor();
    await residentPage.locator('#survey input[type="radio"]').first().check({ force: true });
    for (let pages = 0; pages < 40 && !(await residentPage.locator('#survey .sd-navigation__complete-btn').isVisible()); pages++) {
      const title = await residentPage.locator('#survey .sd-page__title').innerText();
      await residentPage.locator('#survey .sd-navigation__next-btn').click();
      await residentPage.waitForFunction((before) => (document.querySelector('#survey .sd-page__title')?.textContent?.trim() ?? '') !== before.trim(), title);
    }
    await residentPage.locator('#survey .sd-navigation__complete-btn').click();
    await residentPage.locator('#thank-you').waitFor({ state: 'visible' });
    await residentPage.locator('#involve-topics-encounter').check();
    await residentPage.locator('#involve-formats-beteiligungscafe').check();
    await residentPage.locator('#involve-name').fill('Elif Kaya');
    await residentPage.locator('#involve-email').fill(resident.email);
    await residentPage.locator('#involve-consent').check();
    await residentPage.locator('#involve-form button[type=submit]').click();
    await residentPage.locator('#withdraw-code-issued').waitFor({ state: 'visible' });
    // A second person who gave a phone number only (the letter's addressee), through the same form's API.
    const phoneOnly = await platform.app.request('/api/contacts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: true, consentVersion: 'contact-2026-11', locale: 'ar', name: 'Karim Haddad', phone: '+49 170 5550002', topics: ['encounter'], formats: [] }),
    });
    expect(phoneOnly.status).toBe(201);
    // The mover's next batch, as the scheduled job would run it (docs/activation.md).
    await moveHeldContacts(db, { minBatch: 1 });

    // 2. The confirmation message arrives in Turkish; its link confirms the address.
    const confirmation = await linkFromMail(resident.email, new RegExp(`https?://\\S+/contact\\?lang=tr#confirm=${TOKEN}`));
    await residentPage.goto(`${baseUrl}${confirmation.path}`);
    await residentPage.locator('[role=status]', { hasText: 'Teşekkürler' }).waitFor();
    expect((await db.selectFrom('contact').select('confirmed').where('email', '=', resident.email).executeTakeFirstOrThrow()).confirmed).toBe(true);

    // 3. The coordinator creates a published Beteiligungscafé with one seat and invites by topic.
    const { context: staffContext, page: staff } = await newPage();
    await staff.goto(`${baseUrl}/coordinate?lang=de`);
    await staff.locator('#login-email').fill(coordinator.email);
    await staff.locator('#login-password').fill(coordinator.password);
    await staff.locator('form.login-form button[type=submit]').click();
    await staff.locator('#show-events').click();
    await staff.locator('#event-new').click();
    await staff.locator('#event-slug').fill('cafe-loop');
    await staff.locator('#event-format').selectOption('beteiligungscafe');
    await staff.locator('#event-status').selectOption('published');
    await staff.locator('#event-title-de').fill('Beteiligungscafé Ortsmitte');
    await staff.locator('#event-title-tr').fill('Merkez katılım kafesi');
    await staff.locator('#event-title-ar').fill('مقهى المشاركة في الوسط');
    await staff.locator('#event-place').fill('Bürgerhaus');
    await staff.locator('#event-access-stepFree').check();
    const soon = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const local = (date: Date, time: string) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}T${time}`;
    await staff.locator('#event-starts').fill(local(soon, '14:00'));
    await staff.locator('#event-ends').fill(local(soon, '18:00'));
    await staff.locator('#event-capacity').fill('1');
    await staff.locator('#event-form button[type=submit]').click();
    await staff.locator('#invite-form').waitFor();
    await staff.locator('#invite-topics-encounter').check();
    await staff.locator('#invite-form button[type=submit]').click();
    await staff.locator('#invitation-list tbody >> text=' + resident.email).waitFor();
    // The phone-only contact gets the invitation as a printed letter, from the button beside it.
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.locator('#letters-pdf').click()]);
    const letterFile = path.join(dir, 'letters.pdf');
    await download.saveAs(letterFile);
    const letter = spawnSync('pdftotext', [letterFile, '-'], { encoding: 'utf8' }).stdout;
    expect(letter).toContain('Karim Haddad');
    expect(letter).toMatch(new RegExp(`/event\\?lang=ar#invite=${TOKEN}`));
    await staff.locator('#letters [role=status]', { hasText: 'Briefe erstellt: 1.' }).waitFor();

    // 4. The invitation arrives in Turkish; the resident registers from its link, in Turkish.
    const invitation = await linkFromMail(resident.email, new RegExp(`https?://\\S+/event\\?lang=tr#invite=${TOKEN}`));
    expect(invitation.text).toContain('Merkez katılım kafesi');
    await residentPage.goto(`${baseUrl}${invitation.path}`);
    await residentPage.locator('#event-answer').waitFor();
    expect(await residentPage.locator('html').getAttribute('lang')).toBe('tr');
    await residentPage.locator('#event-consent').check();
    await residentPage.locator('#event-accept').click();
    await residentPage.locator('text=Kaydınız yapıldı.').waitFor();
    expect(await axeViolations(residentPage)).toEqual([]);

    // 5. Someone else registers on the public page: the one seat is taken, they wait.
    const { context: otherContext, page: other } = await newPage();
    await other.goto(`${baseUrl}/events/cafe-loop?lang=de`);
    await other.locator('#register-email').fill(waiting.email);
    await other.locator('#register-consent').check();
    await other.locator('#register-submit').click();
    await other.locator('#register-done').waitFor();
    expect((await db.selectFrom('event_registration').select('status').where('email', '=', waiting.email).executeTakeFirstOrThrow()).status).toBe('waiting');

    // 6. The resident cancels from the link in the registration message; the waiting person moves up
    //    and the message saying so arrives.
    const registered = await linkFromMail(resident.email, new RegExp(`https?://\\S+/event\\?lang=tr#cancel=${TOKEN}`));
    await residentPage.goto(`${baseUrl}${registered.path}`);
    await residentPage.locator('#event-view button').click();
    await residentPage.locator('#event-view [role=status]').waitFor();
    expect((await db.selectFrom('event_registration').select('status').where('email', '=', waiting.email).executeTakeFirstOrThrow()).status).toBe('confirmed');
    // (Their first message, "waiting list", carries a cancellation link too: the one that says they moved up.)
    await linkFromMail(waiting.email, new RegExp(`https?://\\S+/event\\?lang=de#cancel=${TOKEN}`), 'Jemand hat abgesagt. Sie sind jetzt angemeldet.');

    // EVENT DAY STEPS (activation-day.ts)
    // 7. On the day: the coordinator checks in on a tablet without network (the person who moved up
    //    and three walk-ins), back online the tablet syncs once; then documents the event on the
    //    tablet — two photos of pin boards, six dot-voted result cards with Arabic translations — and
    //    publishes the closing report.
    const eventId = (await db.selectFrom('event').select('id').where('slug', '=', 'cafe-loop').executeTakeFirstOrThrow()).id;
    const attendance = await checkInOffline(staffContext, staff, baseUrl, eventId, { arrivals: 1, walkIns: ['residents', 'associations', null] });
    expect(attendance).toMatchObject({ total: 4, registered: 1, walkIns: 3 });
    const arabicCards = [
      'مقاعد أكثر في السوق',
      'مقهى لغوي في المكتبة',
      'مكان لقاء للشباب',
      'احتفالات في الحي',
      'استشارات بالتركية والعربية',
      'فتح الملعب في المساء',
    ];
    const { cards } = await publishReportWithPhotosAndCards(staff, baseUrl, eventId, { photos: 2, cards: 6, translations: { ar: arabicCards } });

    // 8. The closing report on the public page, in Arabic right to left: photos, cards by dot votes.
    const { context: readerContext, page: reader } = await newPage();
    const shown = await readPublishedReport(reader, baseUrl, 'cafe-loop', 'ar');
    expect({ lang: shown.lang, dir: shown.dir }).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await reader.locator('h1').innerText()).toBe('مقهى المشاركة في الوسط');
    // Four came: fewer than the town's k (5), so the page says so instead of the number.
    expect(shown.attendees).toBe('عدد الحاضرين: أقل من 5');
    expect(shown.photos).toHaveLength(2);
    expect(shown.photos.every((photo) => photo.loaded)).toBe(true);
    expect(shown.cards.map((card) => card.dots)).toEqual(cards.map((card) => card.dots).sort((a, b) => b - a));
    expect(shown.cards.map((card) => card.statement)).toEqual(arabicCards);
    expect(await reader.evaluate(() => getComputedStyle(document.getElementById('event-report')!).direction)).toBe('rtl');
    // No person's details on the public page.
    expect(await reader.locator('main').innerText()).not.toMatch(/elif|jonas|Karim/i);
    expect(await axeViolations(reader)).toEqual([]);

    // No token of any link ever travelled in a request URL's path or query.
    expect(requested.filter((url) => /(confirm|invite|cancel)=/.test(new URL(url).search + new URL(url).pathname))).toEqual([]);
    for (const context of [residentContext, staffContext, otherContext, readerContext]) await context.close();
  }, 300_000);
});
