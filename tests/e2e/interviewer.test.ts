import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app.ts';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { loadInterviewerRefKey } from '../../api/src/interviews/interviewer-ref.ts';
import { dayInTown } from '../../api/src/shared/town-day.ts';
import { sql } from 'kysely';
import type { TestPlatform } from '../support/test-platform.ts';
import { FRONTEND_DIST_DIR } from './support/frontend-build.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The interviewer app in a real browser against the real server on a fresh database: offline
// recording, a reload without network, the sync when the network returns, and a sync that breaks
// off half-way. Every wait is bounded.
const WAIT_MS = 20_000;
const interviewer = demoAccounts.find((account) => account.role === 'interviewer')!;

let platform: TestPlatform;
/** The app the test server answers with; a test swaps it to deploy a "new build". */
let serveApp: { fetch: (request: Request) => Response | Promise<Response> };
let server: ServerType;
let scratchDir: string | null = null;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['interview.html', 'interview-sw.js'], fetch: (request) => serveApp.fetch(request) }));
  serveApp = platform.app;
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
  if (scratchDir) await fs.rm(scratchDir, { recursive: true, force: true });
});

/**
 * The same platform serving a copy of the front-end build whose service worker script is changed,
 * as a deployment of a new version would change it.
 */
async function appWithModifiedServiceWorker(change: (script: string) => string) {
  scratchDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-next-build-'));
  await fs.cp(FRONTEND_DIST_DIR, scratchDir, { recursive: true });
  const worker = path.join(scratchDir, 'interview-sw.js');
  const original = await fs.readFile(worker, 'utf8');
  const changed = change(original);
  expect(changed).not.toBe(original);
  await fs.writeFile(worker, changed);
  // Without its precompressed copies, the server sends the changed file itself.
  await fs.rm(`${worker}.br`, { force: true });
  await fs.rm(`${worker}.gz`, { force: true });
  return createApp({
    db: platform.database.db,
    dbKind: platform.database.kind,
    dataDir: platform.dataDir,
    log: () => {},
    trustProxy: false,
    interviewerRefKey: await loadInterviewerRefKey(platform.dataDir),
    webDistDir: scratchDir,
  });
}

/** A photo of a pin board as a tablet camera makes it: JPEG with camera and GPS EXIF tags. */
async function pinBoardPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#d9b36c' } })
    .composite([{ input: { create: { width: 200, height: 150, channels: 3, background: '#2a5c8a' } }, left: 60, top: 80 }])
    .jpeg()
    .withExif({
      IFD0: { Make: 'TabletCam', Model: 'Field 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '49/1 54/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '8/1 26/1 1500/100' },
    })
    .toBuffer();
}

/** The EXIF block has a GPS sub-directory: tag 0x8825 (little-endian in sharp's output). */
function hasGpsTag(exif: Buffer | undefined): boolean {
  return exif !== undefined && (exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25])));
}

async function newTablet(options: { blockServiceWorker?: boolean; timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'de-DE',
    serviceWorkers: options.blockServiceWorker ? 'block' : 'allow',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { context, page };
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/interview`);
  await page.getByLabel('E-Mail-Adresse').fill(interviewer.email);
  await page.getByLabel('Passwort').fill(interviewer.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('#new-conversation').waitFor();
  // The guides are downloaded right after the login; the start form lists them.
  await expect.poll(() => page.evaluate(() => document.querySelector('#view h2')?.textContent)).toBe('Gespräche auf diesem Gerät');
}

/** Waits until the service worker has cached the shell and controls the page: from then on it opens offline. */
async function waitForOfflineReadiness(page: Page): Promise<void> {
  await page.evaluate(async (timeoutMs) => {
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('service worker not ready')), timeoutMs));
    await Promise.race([navigator.serviceWorker.ready, deadline]);
    if (!navigator.serviceWorker.controller) {
      await Promise.race([
        new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })),
        deadline,
      ]);
    }
  }, WAIT_MS);
}

interface ConversationInput {
  district: string;
  intervieweeFunction: string;
  note: string;
  photo?: Buffer;
}

/** Starts a conversation with the interview guide, answers a note, adds a photo, completes it. Returns its id. */
async function recordConversation(page: Page, input: ConversationInput): Promise<string> {
  await page.locator('#new-conversation').click();
  await page.getByLabel('Leitfaden').selectOption('interview-guide');
  await page.getByLabel('Ortsteil').selectOption(input.district);
  await page.getByLabel('Funktion der befragten Person').selectOption(input.intervieweeFunction);
  await page.getByRole('button', { name: 'Gespräch beginnen' }).click();
  await page.locator('.sd-question[data-name="notes_context"] textarea').fill(input.note);
  await expect.poll(() => page.locator('#save-state').textContent()).toMatch(/^Gespeichert um/);
  const id = new URL(page.url()).hash.replace('#/c/', '');
  if (input.photo) {
    await page.locator('#photo-input').setInputFiles({ name: 'pinnwand.jpg', mimeType: 'image/jpeg', buffer: input.photo });
    await page.locator('.photo-gallery img').waitFor();
  }
  // Through the guide's sections to the end (bounded: the guide has eight).
  for (let step = 0; step < 12; step++) {
    const complete = page.locator('.sd-navigation__complete-btn');
    if (await complete.isVisible()) {
      await complete.click();
      break;
    }
    await page.locator('.sd-navigation__next-btn').click();
  }
  await page.locator(`.conversation[data-id="${id}"]`).waitFor();
  return id;
}

function conversationState(page: Page, id: string): Promise<string | null> {
  return page.locator(`.conversation[data-id="${id}"]`).getAttribute('data-state');
}

async function interviewRows(ids: string[]) {
  return platform.database.db
    .selectFrom('response')
    .select(['id', 'mode', 'district', 'answers', 'survey_slug'])
    .where('id', 'in', ids)
    .execute();
}

describe('the interviewer app on a tablet', () => {
  it('records two conversations with a photo offline, survives a reload offline, and syncs both when back online', async () => {
    // The tablet's clock runs in a time zone whose calendar day is not the town's right now (on
    // the other side of the date line from Berlin, whichever half of the day it is), as a tablet
    // set to UTC is just after midnight in Germany: conversations are still dated by the town's day.
    const berlinHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const timezoneId = berlinHour >= 12 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
    const { context, page } = await newTablet({ timezoneId });
    try {
      await logIn(page);
      await waitForOfflineReadiness(page);
      // Chromium's own verdict on the manifest, icons and service worker: installable as an app
      // (a test browser context is incognito, which alone would forbid installing).
      const devtools = await context.newCDPSession(page);
      const { installabilityErrors } = await devtools.send('Page.getInstallabilityErrors');
      expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);

      await context.setOffline(true);
      await expect.poll(() => page.locator('#connection-state').getAttribute('data-online')).toBe('false');
      const photo = await pinBoardPhoto();
      expect(hasGpsTag((await sharp(photo).metadata()).exif)).toBe(true);

      const tabletDay = await page.evaluate(() => {
        const now = new Date();
        return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
      });
      const townDays = [dayInTown()];
      const first = await recordConversation(page, {
        district: 'worfelden',
        intervieweeFunction: 'club',
        note: 'Gespräch im Vereinsheim, viel Interesse an einem Sprachcafé.',
        photo,
      });
      const second = await recordConversation(page, {
        district: 'klein-gerau',
        intervieweeFunction: 'religious_community',
        note: 'Gespräch nach dem Freitagsgebet.',
      });
      townDays.push(dayInTown());
      expect(await conversationState(page, first)).toBe('queued');
      expect(await conversationState(page, second)).toBe('queued');

      // Offline reload: the service worker answers with the cached shell, IndexedDB still has both.
      await page.reload();
      await page.locator(`.conversation[data-id="${first}"]`).waitFor();
      expect(await conversationState(page, first)).toBe('queued');
      expect(await conversationState(page, second)).toBe('queued');
      expect(await page.locator('#sync-waiting').getAttribute('data-count')).toBe('2');
      expect(await interviewRows([first, second])).toEqual([]);

      // Back online: the app syncs by itself, nobody presses a button. (After a reload while offline
      // Chromium may report navigator.onLine = true and then fire no `online` event: the app's retry
      // after its failed attempt has to do it.)
      await context.setOffline(false);
      await expect.poll(() => conversationState(page, first), { timeout: WAIT_MS }).toBe('synced');
      await expect.poll(() => conversationState(page, second), { timeout: WAIT_MS }).toBe('synced');
      expect(await page.locator('#sync-waiting').getAttribute('data-count')).toBe('0');

      const rows = await interviewRows([first, second]);
      expect(rows).toHaveLength(2);
      expect(rows.every((row) => row.mode === 'interview' && row.survey_slug === 'interview-guide')).toBe(true);
      const firstRow = rows.find((row) => row.id === first)!;
      expect(firstRow.district).toBe('worfelden');
      expect(tabletDay).not.toBe(townDays[0]);
      const days = await sql<{ day: string }>`select to_char(conducted_on, 'YYYY-MM-DD') as day from interview where response_id in (${sql.join([first, second])})`.execute(
        platform.database.db,
      );
      // The town's day when they were recorded (two, should the recording have crossed midnight).
      expect(days.rows).toHaveLength(2);
      for (const { day } of days.rows) expect(townDays).toContain(day);
      expect(firstRow.answers).toMatchObject({
        function: 'club',
        notes_context: 'Gespräch im Vereinsheim, viel Interesse an einem Sprachcafé.',
      });
      const allInterviews = await platform.database.db
        .selectFrom('response')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('mode', '=', 'interview')
        .executeTakeFirstOrThrow();
      expect(Number(allInterviews.n)).toBe(2);

      const media = await platform.database.db.selectFrom('media').select(['content_hash', 'width', 'height', 'image']).execute();
      expect(media).toHaveLength(1);
      // Photos live in the database (every app process reads them there), none on this one's disk.
      expect(await mediaFilesUnder(platform.dataDir)).toEqual([]);
      const stored = media[0]!.image!;
      expect(stored).not.toBeNull();
      const metadata = await sharp(stored).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(hasGpsTag(metadata.exif)).toBe(false);
      expect([metadata.width, metadata.height]).toEqual([640, 480]);

      // Synced conversations leave the tablet: no answers, no photo Blobs in IndexedDB any more.
      const leftOnTablet = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('vielstimmig-interviews');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const count = (store: string) =>
          new Promise<number>((resolve) => {
            const request = db.transaction(store).objectStore(store).count();
            request.onsuccess = () => resolve(request.result);
          });
        const photos = await count('photos');
        db.close();
        return photos;
      });
      expect(leftOnTablet).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('loses nothing and doubles nothing when the connection breaks off in the middle of a sync', async () => {
    // Service workers blocked: Playwright's routing must see every request of the page.
    const { context, page } = await newTablet({ blockServiceWorker: true });
    try {
      await logIn(page);
      // The first upload of each kind reaches the server and is stored there, but its answer never
      // reaches the tablet: the connection "drops" on the way back.
      const calls = { media: 0, sync: 0 };
      const dropAnswerOfFirst = (kind: keyof typeof calls) => async (route: import('playwright-core').Route) => {
        calls[kind]++;
        if (calls[kind] === 1) {
          await route.fetch();
          await route.abort('connectionreset');
        } else {
          await route.continue();
        }
      };
      await page.route('**/api/media', dropAnswerOfFirst('media'));
      await page.route('**/api/interviews/sync', dropAnswerOfFirst('sync'));

      const photo = await pinBoardPhoto();
      const first = await recordConversation(page, {
        district: 'buettelborn',
        intervieweeFunction: 'school',
        note: 'Elternabend: Wunsch nach Dolmetschen.',
        photo,
      });
      const second = await recordConversation(page, {
        district: 'worfelden',
        intervieweeFunction: 'business',
        note: 'Bäckerei: Aushang für Treffpunkt möglich.',
      });

      // Retry until the first answer of each kind has been lost; then one more sync succeeds.
      for (let attempt = 0; attempt < 5 && (calls.media < 2 || calls.sync < 2); attempt++) {
        await page.locator('#sync-now').click();
        await expect.poll(() => page.locator('#sync-now').isEnabled()).toBe(true);
      }
      expect(calls.media).toBeGreaterThanOrEqual(2);
      expect(calls.sync).toBeGreaterThanOrEqual(2);
      await expect.poll(() => conversationState(page, first)).toBe('synced');
      await expect.poll(() => conversationState(page, second)).toBe('synced');

      // The server got the first sync (stored) and the repeat (duplicate): still one row each.
      const rows = await interviewRows([first, second]);
      expect(rows.map((row) => row.id).sort()).toEqual([first, second].sort());
      const photos = await platform.database.db
        .selectFrom('media')
        .select('content_hash')
        .execute();
      const photoHashes = new Set(photos.map((row) => row.content_hash));
      // The same photo as in the first test: content-addressed, so still exactly one image.
      expect(photoHashes.size).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('asks for a new login when the session expired, keeps the queue, and lets a rejected conversation be fixed and resent', async () => {
    const { context, page } = await newTablet();
    try {
      await logIn(page);
      await waitForOfflineReadiness(page);
      await context.setOffline(true);
      const valid = await recordConversation(page, {
        district: 'buettelborn',
        intervieweeFunction: 'daycare',
        note: 'Kita-Leitung: Elterncafé mehrsprachig.',
      });
      const faulty = await recordConversation(page, {
        district: 'klein-gerau',
        intervieweeFunction: 'initiative',
        note: 'Nachbarschaftsinitiative am Markt.',
      });
      // A value the guide does not offer (as an older app version might have stored it): the server must refuse it.
      await page.evaluate(async (id) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('vielstimmig-interviews');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const store = db.transaction('conversations', 'readwrite').objectStore('conversations');
        await new Promise<void>((resolve, reject) => {
          const read = store.get(id);
          read.onsuccess = () => {
            const write = store.put({ ...read.result, answers: { ...read.result.answers, function: 'astronaut' } });
            write.onsuccess = () => resolve();
            write.onerror = () => reject(write.error);
          };
        });
        db.close();
      }, faulty);

      // The server forgets every session (expiry, or an admin ended it) while the tablet is away.
      await platform.database.db.deleteFrom('session').execute();
      await context.setOffline(false);
      await page.locator('#login-again').waitFor();
      expect(await conversationState(page, valid)).toBe('queued');
      expect(await conversationState(page, faulty)).toBe('queued');
      expect(await interviewRows([valid, faulty])).toEqual([]);

      await page.locator('#login-again').click();
      expect(await page.getByLabel('E-Mail-Adresse').inputValue()).toBe(interviewer.email);
      await page.getByLabel('Passwort').fill(interviewer.password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect.poll(() => conversationState(page, valid)).toBe('synced');
      await expect.poll(() => conversationState(page, faulty)).toBe('rejected');
      const rejection = page.locator(`.conversation[data-id="${faulty}"] .rejection`);
      await expect.poll(() => rejection.textContent()).toContain('function');
      expect((await interviewRows([valid, faulty])).map((row) => row.id)).toEqual([valid]);

      // Still on the tablet with its answers: fix the function and send again.
      await page.locator(`.conversation[data-id="${faulty}"]`).getByRole('button', { name: 'Bearbeiten und erneut senden' }).click();
      // It opens on the section of the refused answer, with every other answer still there.
      await page.locator('.sd-question[data-name="function"]').getByText('Initiative oder Nachbarschaftsgruppe').click();
      expect(await page.locator('.sd-question[data-name="notes_context"] textarea').inputValue()).toBe('Nachbarschaftsinitiative am Markt.');
      for (let step = 0; step < 12; step++) {
        const complete = page.locator('.sd-navigation__complete-btn');
        if (await complete.isVisible()) {
          await complete.click();
          break;
        }
        await page.locator('.sd-navigation__next-btn').click();
      }
      await expect.poll(() => conversationState(page, faulty)).toBe('synced');
      const rows = await interviewRows([valid, faulty]);
      expect(rows).toHaveLength(2);
      expect(rows.find((row) => row.id === faulty)?.answers).toMatchObject({ function: 'initiative' });
    } finally {
      await context.close();
    }
  });

  it('takes an app update (a new service worker) without losing a draft or a waiting conversation', async () => {
    const { context, page } = await newTablet();
    try {
      await logIn(page);
      await waitForOfflineReadiness(page);
      const shellCaches = () => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('vielstimmig-interview-shell-')));
      const before = await shellCaches();
      expect(before).toHaveLength(1);

      // The server ends the session, so the finished conversation has to wait on the tablet.
      await platform.database.db.deleteFrom('session').execute();
      const waiting = await recordConversation(page, {
        district: 'worfelden',
        intervieweeFunction: 'welfare_association',
        note: 'Beratungsstelle: Wartezeiten für Termine.',
      });
      await page.locator('#login-again').waitFor();
      await page.locator('#new-conversation').click();
      await page.getByLabel('Leitfaden').selectOption('interview-guide');
      await page.getByLabel('Ortsteil').selectOption('buettelborn');
      await page.getByLabel('Funktion der befragten Person').selectOption('politics');
      await page.getByRole('button', { name: 'Gespräch beginnen' }).click();
      await page.locator('.sd-question[data-name="notes_context"] textarea').fill('Entwurf vor dem Update.');
      await expect.poll(() => page.locator('#save-state').textContent()).toMatch(/^Gespeichert um/);
      const draft = new URL(page.url()).hash.replace('#/c/', '');

      // A new build is deployed: the same files, a service worker with another precache version.
      serveApp = await appWithModifiedServiceWorker((script) => script.replace(/"version":"([0-9a-f]+)"/, '"version":"$1-next"'));
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/interview'))?.update());
      // The new worker takes over and the page reloads with it, still on the draft it showed.
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Jetzt aktualisieren' }).click()]);
      expect(await page.locator('.sd-question[data-name="notes_context"] textarea').inputValue()).toBe('Entwurf vor dem Update.');
      await expect.poll(shellCaches).not.toEqual(before);
      expect(await shellCaches()).toHaveLength(1);
      await page.locator('#back-to-list').click();
      await page.locator(`.conversation[data-id="${waiting}"]`).waitFor();
      expect(await conversationState(page, waiting)).toBe('queued');
      expect(await conversationState(page, draft)).toBe('draft');
    } finally {
      serveApp = platform.app;
      await context.close();
    }
  });

  it('is accessible (axe-core, all rules) on every view, and mirrors for Arabic', async () => {
    const { context, page } = await newTablet({ blockServiceWorker: true });
    try {
      await page.goto(`${baseUrl}/interview`);
      await page.getByLabel('E-Mail-Adresse').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);

      await logIn(page);
      await page.locator('#new-conversation').click();
      await page.getByLabel('Leitfaden').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);

      // The questions in Arabic while the interface stays German: only the guide turns right-to-left.
      await page.getByLabel('Leitfaden').selectOption('interview-guide');
      await page.getByLabel('Ortsteil').selectOption('worfelden');
      await page.getByLabel('Funktion der befragten Person').selectOption('migrant_organisation');
      await page.getByLabel('Sprache der Fragen').selectOption('ar');
      await page.getByRole('button', { name: 'Gespräch beginnen' }).click();
      await page.locator('.sd-question[data-name="notes_context"] textarea').waitFor();
      expect(await page.locator('.survey-container').getAttribute('dir')).toBe('rtl');
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
      expect(await accessibilityViolations(page)).toEqual([]);

      // The contact form handed over to an Arabic-speaking interviewee: the page speaks Arabic, right to left.
      await page.locator('#handover-open').click();
      await page.locator('#contact-handover #involve-form').waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.locator('#handover-close').click();
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('ltr');

      // The interface in Arabic: the whole page mirrors, the strings come from the Arabic bundle.
      await page.locator('#ui-language').selectOption('ar');
      await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
      await page.locator('#back-to-list').click();
      await expect.poll(() => page.locator('#list-heading').textContent()).toBe('المحادثات على هذا الجهاز');
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('hands the contact form over offline: the interviewee fills it in Turkish, it is kept apart from the conversation and sent through the contact intake once online', async () => {
    const { context, page } = await newTablet();
    try {
      await logIn(page);
      await waitForOfflineReadiness(page);
      await context.setOffline(true);
      await page.locator('#new-conversation').click();
      await page.getByLabel('Leitfaden').selectOption('interview-guide');
      await page.getByLabel('Ortsteil').selectOption('worfelden');
      await page.getByLabel('Funktion der befragten Person').selectOption('resident');
      await page.getByLabel('Sprache der Fragen').selectOption('tr');
      await page.getByRole('button', { name: 'Gespräch beginnen' }).click();
      await page.locator('.sd-question[data-name="notes_context"] textarea').fill('Elternabend in der Schule.');
      const id = new URL(page.url()).hash.replace('#/c/', '');

      // The interviewer hands the tablet over: the residents' own form, in the conversation's language.
      await page.locator('#handover-open').click();
      await page.locator('#contact-handover #involve-form').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('tr');
      expect(await page.locator('.conversation-view').isHidden()).toBe(true);
      await page.locator('#involve-topics-encounter').check();
      await page.locator('#involve-phone').fill('+49 170 5550123');
      await page.locator('#involve-form button[type=submit]').click();
      // No consent, nothing kept.
      await page.locator('#involve-consent-error').filter({ hasText: /.+/ }).waitFor();
      await page.locator('#involve-consent').check();
      await page.locator('#involve-form button[type=submit]').click();
      await page.locator('#handover-kept').waitFor();
      const kept = await page.evaluate(async () => {
        const request = indexedDB.open('vielstimmig-interviews');
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const read = (store: string) =>
          new Promise<unknown[]>((resolve) => {
            const all = db.transaction(store).objectStore(store).getAll();
            all.onsuccess = () => resolve(all.result);
          });
        const result = { contacts: await read('keptContacts'), conversations: await read('conversations') };
        db.close();
        return result;
      });
      // Kept in its own store with nothing of the conversation; the conversation holds nothing of it.
      expect(kept.contacts).toHaveLength(1);
      expect(JSON.stringify(kept.contacts)).not.toContain(id);
      // The form's own idempotency key (also the store's key): a retry after a lost answer stores it once.
      expect(Object.keys((kept.contacts[0] as { body: object }).body).sort()).toEqual(['consent', 'consentVersion', 'formats', 'idempotencyKey', 'locale', 'phone', 'topics']);
      const keptContact = kept.contacts[0] as { key: string; body: { idempotencyKey: string } };
      expect(keptContact.body.idempotencyKey).toBe(keptContact.key);
      expect(JSON.stringify(kept.conversations)).not.toContain('5550123');
      await page.locator('#handover-close').click();
      await page.locator('#handover-open').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      expect(await page.locator('#contact-handover').count()).toBe(0);

      // Back online: the kept contact goes through the contact intake like any resident's opt-in.
      const posted: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') posted.push(`${new URL(request.url()).pathname} ${request.postData() ?? ''}`);
      });
      await context.setOffline(false);
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await expect.poll(() => platform.database.db.selectFrom('contact_intake').select(['phone', 'locale']).where('phone', '=', '+49 170 5550123').execute(), { timeout: WAIT_MS }).toEqual([{ phone: '+49 170 5550123', locale: 'tr' }]);
      await expect.poll(() => page.evaluate(async () => {
        const request = indexedDB.open('vielstimmig-interviews');
        const db = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
        const count = await new Promise<number>((resolve) => {
          const counted = db.transaction('keptContacts').objectStore('keptContacts').count();
          counted.onsuccess = () => resolve(counted.result);
        });
        db.close();
        return count;
      }), { timeout: WAIT_MS }).toBe(0);
      // The contact travelled on its own: no interview upload carries the phone number.
      expect(posted.filter((line) => line.startsWith('/api/contacts ')).length).toBe(1);
      expect(posted.filter((line) => line.startsWith('/api/interviews') && line.includes('5550123'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** axe-core in the page, all rules; the violations as readable lines. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(
      (violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 5).join(' | ')}`,
    );
  });
}

/** Image files anywhere under DATA_DIR (there should be none: photos are stored in the database). */
async function mediaFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await mediaFilesUnder(full)));
    else if (/\.(jpe?g|png|webp|avif)$/i.test(entry.name)) found.push(full);
  }
  return found;
}
