import fs from 'node:fs';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { analysisDataset } from '../support/analysis-dataset.ts';
import { insertResponses } from '../support/insert-responses.ts';
import { REPO_ROOT, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The analyst dashboard in a real browser against the real server: sign in, returns per district,
// the question explorer's bars with n and withheld marks, downloads, Arabic mirrored, axe clean.
const WAIT_MS = 20_000;
const K = 5;
const analyst = demoAccounts.find((account) => account.role === 'analyst')!;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['analysis.html'], platform: { surveysDir: path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys') } }));
  await insertResponses(platform.database.db, analysisDataset());
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

async function signIn(page: Page, lang: string) {
  await page.goto(`${baseUrl}/analysis?lang=${lang}`);
  await page.locator('#login-email').fill(analyst.email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(analyst.password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('.returns .data-table').first().waitFor({ timeout: WAIT_MS });
  await page.locator('.bar-chart').first().waitFor({ timeout: WAIT_MS });
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

describe('analyst dashboard /analysis', () => {
  it('shows returns and bars with n and withheld marks, never a count under k, and links every download', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'de');

    const districtRows = await page.locator('.returns table').first().locator('tbody tr').allInnerTexts();
    expect(districtRows.join('\n')).toContain('Büttelborn');
    // Per day, mode and language: every cell is a published count, 0 or at least k (small ones shown as k).
    const splitCells = await page.locator('.returns table:not(:first-child) tbody td').allInnerTexts();
    expect(splitCells.length).toBeGreaterThan(20);
    for (const cell of splitCells) expect(cell === '0' || Number(cell.replace('.', '')) >= K, cell).toBe(true);
    expect(splitCells.filter((cell) => cell === String(K)).length).toBeGreaterThan(0);
    // The bars: every "n = …" is 0 or at least k; withheld groups say so.
    const values = await page.locator('.bar-chart .value').allInnerTexts();
    expect(values.length).toBeGreaterThan(5);
    for (const value of values) {
      const n = /n = ([\d.]+)/.exec(value);
      if (n) expect(Number(n[1]!.replace('.', ''))).toSatisfy((count: number) => count === 0 || count >= K);
    }
    // Pick a question with a group too small for shares (the few without district): its bars say withheld.
    await page.locator('#explorer-question').selectOption('children');
    await page.locator('.bar-chart caption', { hasText: 'Ja' }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.bar-chart tr.withheld').count()).toBeGreaterThan(0);

    const hrefs = await page.locator('.download-list a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(hrefs.some((href) => href.includes('/aggregate.csv?by=district&dialect=excel-de'))).toBe(true);
    expect(hrefs.some((href) => href.includes('/responses.csv?labels=codes'))).toBe(true);
    // The session cookie goes with a download from the page.
    const download = await page.evaluate(async (href) => {
      const response = await fetch(href, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') };
    }, hrefs.find((href) => href.includes('/codebook.csv'))!);
    expect(download).toEqual({ status: 200, type: 'text/csv; charset=utf-8; header=present' });

    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('speaks Arabic, right to left', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.locator('#returns-heading').innerText()).toBe('الردود');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
  it.each(['de', 'en'] as const)('%s: the weighted switch shows raked shares with intervals (as the API gives them), the CSVs follow; representativeness beside', async (lang) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, lang);
    const texts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, `frontend/src/i18n/analysis/${lang}.json`), 'utf8')) as {
      explorer: Record<string, string>;
      representativeness: { heading: string; dimension: Record<string, string> };
    };
    // Representativeness: the sample's age bands beside the population's, per district.
    await page.locator('.representativeness table').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#representativeness-heading').innerText()).toBe(texts.representativeness.heading);
    expect(await page.locator('.representativeness caption').allInnerTexts()).toEqual([texts.representativeness.dimension.age_band]);
    const report = await page.evaluate(async () => (await fetch('/api/analysis/baseline-lite/representativeness')).json());
    expect(await page.locator('.representativeness tbody tr').count()).toBe(report.dimensions[0].groups[0].categories.length);

    await page.locator('#explorer-question').selectOption('children');
    await page.locator('#explorer-weighted').check();
    await page.locator('.weighted-table caption').first().waitFor({ timeout: WAIT_MS });
    const expected = await page.evaluate(async () => (await fetch('/api/analysis/baseline-lite/aggregate?question=children&by=district&weights=raked')).json());
    const format = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const first = expected.items[0].options[0].weighted[0];
    const cell = await page.locator('.weighted-view tbody tr').first().locator('td').first().innerText();
    expect(cell).toContain(`${format.format(first.share * 100)} %`);
    expect(cell).toContain(`${format.format(first.ciLow * 100)}–${format.format(first.ciHigh * 100)} %`);
    // Groups too small for an estimate say so.
    expect(await page.locator('.weighted-view td.withheld').count()).toBeGreaterThan(0);
    const hrefs = await page.locator('.download-list a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(hrefs.filter((href) => href.includes('weights=raked')).length).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
