import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../api/src/auth/index.ts';
import { moveHeldContacts } from '../../api/src/contacts/index.ts';
import { FIXTURE_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The coordinator's contact list in a real browser: sign in, filter, export links that carry the
// filter, German and English, axe clean.
const WAIT_MS = 20_000;
const coordinator = { email: 'coordinator.e2e@example.org', password: 'coordinator-e2e-2026' };

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['coordinate.html'], platform: { surveysDir: FIXTURE_SURVEYS_DIR } }));
  await createAccount(platform.database.db, { ...coordinator, role: 'coordinator' });
  for (const optIn of [
    { name: 'Ayşe Demir', email: 'ayse@example.org', locale: 'tr', district: 'worfelden', topics: ['encounter'], formats: ['beteiligungscafe'] },
    { name: 'Jonas Weber', email: 'jonas@example.org', locale: 'de', district: 'buettelborn', topics: ['health'], formats: ['workshop'] },
  ]) {
    const res = await platform.app.request('/api/contacts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consent: true, consentVersion: '2026-11', ...optIn }),
    });
    expect(res.status).toBe(201);
  }
  await moveHeldContacts(platform.database.db, { minBatch: 1 });
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

describe('coordinator page /coordinate', () => {
  it('signs in, lists and filters contacts, links exports with the filter, in German and English, axe clean', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/coordinate?lang=de`);
    await page.locator('#login-email').fill(coordinator.email, { timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#login-password').fill(coordinator.password);
    await page.locator('form.login-form button[type=submit]').click();
    await page.locator('table.data-table tbody tr').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('table.data-table tbody tr').count()).toBe(2);
    expect(await page.locator('#contact-count').innerText()).toBe('2 Kontakte');
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#topics-encounter').check();
    await page.locator('#contact-filters button[type=submit]').click();
    await page.waitForFunction(() => document.querySelectorAll('table.data-table tbody tr').length === 1, undefined, { timeout: WAIT_MS });
    expect(await page.locator('table.data-table tbody').innerText()).toContain('Ayşe Demir');
    expect(await page.locator('#export-csv').getAttribute('href')).toBe('/api/contacts/export.csv?topics=encounter');
    const download = await page.request.get(`${baseUrl}${await page.locator('#export-xlsx').getAttribute('href')}`);
    expect(download.status()).toBe(200);

    await page.locator('#ui-language').selectOption('en');
    await page.locator('text=Download CSV').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('coordinator page /coordinate: events', () => {
  it('creates a Beteiligungscafé, invites, shows registrations with the waiting list, saves the closing report, in German and English, axe clean', async () => {
    await platform.database.db.updateTable('contact').set({ confirmed: true, confirm_by: null }).execute();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/coordinate?lang=de`);
    await page.locator('#login-email').fill(coordinator.email, { timeout: WAIT_MS });
    await page.locator('#login-password').fill(coordinator.password);
    await page.locator('form.login-form button[type=submit]').click();
    await page.locator('#show-events').click({ timeout: WAIT_MS });
    await page.locator('#event-new').click({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#event-slug').fill('cafe-worfelden');
    await page.locator('#event-format').selectOption('beteiligungscafe');
    await page.locator('#event-status').selectOption('published');
    await page.locator('#event-title-de').fill('Beteiligungscafé Worfelden');
    await page.locator('#event-title-tr').fill('Worfelden katılım kafesi');
    await page.locator('#event-place').fill('Bürgerhaus');
    await page.locator('#event-access-stepFree').check();
    const soon = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const local = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}T18:00`;
    await page.locator('#event-starts').fill(local(soon));
    await page.locator('#event-ends').fill(local(new Date(soon.getTime() + 24 * 3600 * 1000)));
    await page.locator('#event-capacity').fill('1');
    await page.locator('#event-form button[type=submit]').click();
    await page.locator('#invite-form').waitFor({ timeout: WAIT_MS });

    await page.locator('#invite-topics-encounter').check();
    await page.locator('#invite-form button[type=submit]').click();
    await page.locator('text=1 eingeladen, 0 schon eingeladen, 0 ohne bestätigte E-Mail-Adresse.').waitFor({ timeout: WAIT_MS });
    // The list reloads after the status line: wait for it rather than read it at once.
    await page.locator('#invitation-list tbody >> text=ayse@example.org').waitFor({ timeout: WAIT_MS });
    await page.locator('#preview-locale').selectOption('tr');
    await page.locator('#invite-form button.secondary').click();
    await page.waitForFunction(() => (document.getElementById('invite-preview')?.textContent ?? '').includes('Worfelden katılım kafesi'), undefined, { timeout: WAIT_MS });

    // Two residents register for the one seat; the second waits.
    for (const email of ['first@example.org', 'second@example.org']) {
      const res = await platform.app.request('/api/events/public/cafe-worfelden/registrations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale: 'de', consent: true, email }),
      });
      expect(res.status).toBe(201);
    }
    await page.locator('#event-back').click();
    await page.locator('#event-list tbody tr').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#event-list tbody').innerText()).toContain('1 / 1');
    await page.locator('#event-list tbody button').click();
    await page.locator('#waiting-list tbody tr').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#registration-list tbody').innerText()).toContain('first@example.org');
    expect(await page.locator('#waiting-list tbody').innerText()).toContain('second@example.org');

    await page.locator('#report-attendees').fill('17');
    await page.locator('#report-organisations').fill('Kulturverein\nSeniorenbeirat');
    await page.locator('#report-results-de').fill('Mehr Treffpunkte im Ortskern.');
    await page.locator('#report-published').check();
    await page.locator('#report-form button[type=submit]').click();
    await page.locator('text=Bericht gespeichert.').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    const shown = await (await platform.app.request('/api/events/public/cafe-worfelden')).json();
    expect(shown.report).toMatchObject({ attendeesCount: 17, organisations: ['Kulturverein', 'Seniorenbeirat'], published: true });

    await page.locator('#ui-language').selectOption('en');
    await page.locator('#show-events').click({ timeout: WAIT_MS });
    await page.locator('text=Participation café').first().waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
