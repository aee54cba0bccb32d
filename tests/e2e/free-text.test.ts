import fs from 'node:fs';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { analysisDataset, DATASET_SLUG } from '../support/analysis-dataset.ts';
import { insertResponses } from '../support/insert-responses.ts';
import { REPO_ROOT, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The free-text reader and the export area of /analysis in a real browser against the real server:
// nothing is read until asked, the notice in view, filters, the k refusal, every view in the audit
// log, axe clean; the exports without a button before (XLSX, statistics dialect, free text by
// choice) and the admin-only ones with a reason.
const WAIT_MS = 20_000;
const account = (role: string) => demoAccounts.find((candidate) => candidate.role === role)!;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

const strings = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, `frontend/src/i18n/freetext/${lang}.json`), 'utf8')) as Record<string, string>;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['analysis.html'], platform: { surveysDir: path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys') } }));
  await insertResponses(platform.database.db, analysisDataset());
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

async function signIn(page: Page, role: 'analyst' | 'admin', lang: string) {
  await page.goto(`${baseUrl}/analysis?lang=${lang}`);
  await page.locator('#login-email').fill(account(role).email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(account(role).password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('#free-text-heading').waitFor({ timeout: WAIT_MS });
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

const readerViews = async () =>
  (await platform.database.db.selectFrom('audit_log').select('id').where('action', '=', 'export.free_text_json').execute()).length;

describe('free-text reader in /analysis', () => {
  it.each(['de', 'en'] as const)('%s: opens on request below its notice, filters by district, refuses a selection under k, logs every view, axe clean', async (lang) => {
    const texts = strings(lang);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'analyst', lang);

    const notice = page.locator('.confidential-notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.innerText()).toContain(texts.noticeTitle);
    expect(await notice.innerText()).toContain(texts.notice);
    const before = await readerViews();
    // Nothing is read until the analyst asks.
    expect(await page.locator('.free-text-entry').count()).toBe(0);
    await page.locator('#free-text-open').click();
    await page.locator('.free-text-entry').first().waitFor({ timeout: WAIT_MS });
    expect(await readerViews()).toBe(before + 1);

    const seeded = new Set(analysisDataset().map((response) => response.answers.improvement_ideas).filter((text): text is string => typeof text === 'string'));
    const shown = await page.locator('.free-text-entry blockquote').allInnerTexts();
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(seeded.has(text), text).toBe(true);
    expect(await page.locator('.free-text-reader').innerHTML()).not.toMatch(UUID);
    expect(await notice.isVisible()).toBe(true);

    // District: the count the page shows is the API's for the same selection.
    await page.locator('#free-text-district').selectOption('buettelborn');
    const expected = await page.evaluate(async (slug) => (await (await fetch(`/api/analysis/${slug}/free-text?question=improvement_ideas&district=buettelborn`)).json()).total as number, DATASET_SLUG);
    await page.locator('.free-text-status', { hasText: String(expected) }).waitFor({ timeout: WAIT_MS });

    // The responses without a district are fewer than k: refused, and said so.
    await page.locator('#free-text-district').selectOption('_none');
    const alert = page.locator('.free-text-status[role=alert]');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.innerText()).toMatch(lang === 'de' ? /zu wenige Antworten/ : /too few responses/);
    expect(await page.locator('.free-text-entry').count()).toBe(0);
    expect(await readerViews()).toBeGreaterThanOrEqual(before + 4);

    await page.locator('#free-text-district').selectOption('');
    await page.locator('.free-text-entry').first().waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the export area', () => {
  it('links the XLSX, the statistics dialect and free text only by choice; no admin-only file for analysts', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'analyst', 'en');
    const hrefs = async () => page.locator('.download-list a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect((await hrefs()).some((href) => href.includes(`/${DATASET_SLUG}/responses.xlsx?labels=codes`))).toBe(true);
    expect((await hrefs()).some((href) => href.includes('text=include'))).toBe(false);
    await page.locator('#download-dialect').selectOption('stats');
    expect((await hrefs()).some((href) => href.includes('/responses.csv?') && href.includes('dialect=stats'))).toBe(true);
    await page.locator('#download-text').check();
    const withText = (await hrefs()).filter((href) => href.includes('text=include'));
    expect(withText.length).toBe(3);
    expect(await page.locator('#download-reason').count()).toBe(0);
    expect((await hrefs()).some((href) => href.includes('weights.csv') || href.includes('variant=full'))).toBe(false);

    const download = await page.evaluate(async (href) => {
      const response = await fetch(href, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') };
    }, withText.find((href) => href.includes('responses.xlsx'))!);
    expect(download).toEqual({ status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const logged = await platform.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export.responses_xlsx').execute();
    expect(logged.map((entry) => (entry.details as { text?: string }).text)).toContain('include');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('offers admins the full raw data and weights.csv once a reason is entered, and the reason is logged', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'admin', 'de');
    const adminLinks = page.locator('.admin-downloads a');
    expect(await adminLinks.count()).toBe(0);
    await page.locator('#download-reason').fill('Gewichte für den Strategiebericht in R prüfen');
    expect(await adminLinks.count()).toBe(4);
    const weights = (await adminLinks.evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href))).find((href) => href.includes('weights.csv'))!;
    const status = await page.evaluate(async (href) => (await fetch(href, { credentials: 'same-origin' })).status, weights);
    expect(status).toBe(200);
    const logged = await platform.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export.weights_csv').execute();
    expect(logged.map((entry) => (entry.details as { reason?: string }).reason)).toContain('Gewichte für den Strategiebericht in R prüfen');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
