import { randomBytes, randomUUID } from 'node:crypto';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEventToken } from '../../api/src/events/index.ts';
import { FIXTURE_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The page the links in event messages open (/event#invite=… and #cancel=…). The token a message
// would carry is set here through its hash, as the mail queue does (api/src/events/events.test.ts
// shows the messages carrying the links).
const WAIT_MS = 20_000;
const INVITE = randomBytes(24).toString('base64url');
const CANCEL = randomBytes(24).toString('base64url');

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
const logged: string[] = [];

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['event.html'], platform: { surveysDir: FIXTURE_SURVEYS_DIR } }));
  const db = platform.database.db;
  const start = Date.now() + 5 * 24 * 3600 * 1000;
  const eventId = randomUUID();
  await db
    .insertInto('event')
    .values({
      id: eventId,
      slug: 'cafe-e2e',
      format: 'beteiligungscafe',
      title: JSON.stringify({ de: 'Beteiligungscafé', tr: 'Katılım kafesi', ar: 'مقهى المشاركة' }),
      description: '{}',
      place_name: 'Bürgerhaus',
      place_address: null,
      step_free: true,
      hearing_loop: false,
      accessible_toilet: true,
      accessibility_notes: '{}',
      starts_at: new Date(start).toISOString(),
      ends_at: new Date(start + 3 * 3600 * 1000).toISOString(),
      capacity: 1,
      registration_deadline: null,
      languages: '["de","tr"]',
      interpretation: '["ar","tr"]',
      status: 'published',
    })
    .execute();
  const contactId = randomUUID();
  await db
    .insertInto('contact')
    .values({ id: contactId, withdraw_code_hash: randomUUID(), name: 'Ayşe', email: 'ayse@example.org', phone: null, topics: '[]', formats: '[]', district: null, locale: 'tr', consent_text_version: '2026-11', created_month: '2026-12', confirmed: true })
    .execute();
  await db.insertInto('event_invitation').values({ id: randomUUID(), event_id: eventId, contact_id: contactId, token_hash: hashEventToken('invite', INVITE), status: 'sent' }).execute();
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

async function open(path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('request', (request) => logged.push(request.url()));
  await page.goto(`${baseUrl}${path}`);
  return page;
}

describe('event link page /event', () => {
  it('accepts an invitation in Turkish with consent and needs; the token never reaches a request URL', async () => {
    const page = await open(`/event?lang=tr#invite=${INVITE}`);
    await page.locator('#event-answer').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('h2').first().innerText()).toBe('Katılım kafesi');
    expect(new URL(page.url()).hash).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#event-accept').click();
    await page.locator('text=Kaydınızı saklayabilmemiz için lütfen onay verin.').waitFor({ timeout: WAIT_MS });
    await page.locator('#event-childcare').check();
    await page.locator('#event-interpreting').selectOption('tr');
    await page.locator('#event-consent').check();
    await page.locator('#event-accept').click();
    await page.locator('text=Kaydınız yapıldı.').waitFor({ timeout: WAIT_MS });
    const row = await platform.database.db.selectFrom('event_registration').select(['email', 'status', 'needs', 'locale']).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: 'ayse@example.org', status: 'confirmed', locale: 'tr', needs: { childcare: true, interpreting: 'tr' } });
    expect(await axeViolations(page)).toEqual([]);
    expect(logged.some((url) => url.includes(INVITE))).toBe(false);
  });

  it('cancels a registration from the link in Arabic, right-to-left; a bad link gets the localised error', async () => {
    const registered = await platform.app.request('/api/events/public/cafe-e2e/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'ar', consent: true, email: 'samir@example.org' }),
    });
    expect(await registered.json()).toMatchObject({ status: 'waiting', waitingPosition: 1 });
    await platform.database.db.updateTable('event_registration').set({ cancel_token_hash: hashEventToken('cancel', CANCEL) }).where('email', '=', 'ayse@example.org').execute();

    const page = await open(`/event?lang=ar#cancel=${CANCEL}`);
    await page.locator('#event-view button').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#event-view button').click();
    await page.locator('text=تم إلغاء تسجيلك.').waitFor({ timeout: WAIT_MS });
    // The waiting person moved up.
    const samir = await platform.database.db.selectFrom('event_registration').select('status').where('email', '=', 'samir@example.org').executeTakeFirstOrThrow();
    expect(samir.status).toBe('confirmed');

    const again = await open(`/event?lang=ar#cancel=${CANCEL}`);
    await again.locator('#event-view button').click({ timeout: WAIT_MS });
    await again.locator('text=لا يوجد تسجيل (صالح) لهذا الرمز بعد الآن.').waitFor({ timeout: WAIT_MS });
    expect(logged.some((url) => url.includes(CANCEL))).toBe(false);
  });
});
