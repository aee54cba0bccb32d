import fs from 'node:fs';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { analysisDataset } from '../support/analysis-dataset.ts';
import { parseCsv } from '../support/csv-parse.ts';
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
  it.each(['de', 'en'] as const)('%s: the breakdown grid shows the published shares of target groups × districts, sorts by keyboard, shows intervals on demand, and its CSV holds the same numbers', async (lang) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, lang);
    const texts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, `frontend/src/i18n/analysis/${lang}.json`), 'utf8')) as { explorer: Record<string, string> };
    await page.locator('#explorer-question').selectOption('children');
    await page.locator('.breakdown-grid caption', { hasText: lang === 'de' ? 'Kinder' : 'Children' }).waitFor({ timeout: WAIT_MS });
    const format = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const percent = (share: number) => `${format.format(share * 100)} %`;
    /** The grid as shown: column codes, and per row its code and each cell's text. */
    const readGrid = () =>
      page.locator('.breakdown-grid').evaluate((table) => ({
        columns: [...table.querySelectorAll('thead button[data-sort]')].map((button) => (button as HTMLElement).dataset.sort!).slice(1),
        rows: [...table.querySelectorAll('tbody tr')].map((row) => ({
          code: (row as HTMLElement).dataset.code!,
          cells: [...row.querySelectorAll('td')].map((cell) => ({ className: cell.className, share: cell.querySelector('.grid-share')?.textContent ?? '', interval: cell.querySelector('.grid-interval')?.textContent ?? '' })),
        })),
      }));
    // Every cell is the server's published share, or says withheld; never a number the server did not send.
    const served = await page.evaluate(async () => (await fetch('/api/analysis/baseline-lite/aggregate?question=children&by=target_group,district')).json());
    const option = (await page.locator('#grid-option').inputValue()) as string;
    const shares = served.items[0].options.find((candidate: { code: string }) => candidate.code === option).shares as (number | null)[];
    const groupOf = (row: string, column: string) =>
      served.groups.findIndex((group: { key: Record<string, string | null> }) => (group.key.target_group ?? '_total') === row && (group.key.district ?? '_total') === column);
    let grid = await readGrid();
    expect(grid.columns).toEqual(['_total', 'buettelborn', 'klein-gerau', 'worfelden', '_none']);
    // The interview guide's target groups have nobody in this resident survey: folded away.
    expect(grid.rows.map((row) => row.code)).not.toContain('interview_education');
    expect(grid.rows.length).toBeGreaterThan(4);
    let withheld = 0;
    for (const row of grid.rows) {
      row.cells.forEach((cell, c) => {
        const share = shares[groupOf(row.code, grid.columns[c]!)] ?? null;
        if (cell.className === 'grid-withheld') {
          expect(share).toBeNull();
          expect(cell.share).toContain(texts.explorer.withheld);
          withheld += 1;
        } else if (cell.className === 'grid-value') expect(cell.share).toBe(percent(share!));
      });
    }
    expect(withheld).toBeGreaterThan(0);
    await page.locator('#grid-empty').check();
    expect((await readGrid()).rows.map((row) => row.code)).toContain('interview_education');
    await page.locator('#grid-empty').uncheck();

    // Sorting by keyboard: Tab to a column header, Enter sorts largest first (aria-sort), again smallest first.
    const header = page.locator('.breakdown-grid thead th', { has: page.locator('button[data-sort="buettelborn"]') });
    await page.locator('button[data-sort="buettelborn"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.sort)).toBe('buettelborn');
    grid = await readGrid();
    const column = grid.columns.indexOf('buettelborn');
    const sortedShares = grid.rows.slice(1).map((row) => shares[groupOf(row.code, 'buettelborn')] ?? null);
    const shown = sortedShares.filter((share): share is number => share !== null);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(sortedShares.slice(shown.length).every((share) => share === null)).toBe(true);
    expect(grid.rows[0]!.code).toBe('_total');
    expect(column).toBe(1);
    await page.keyboard.press('Space');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');

    // The CSV button: the same numbers as the grid (German Excel: semicolons, decimal comma).
    const csvHref = await page.locator('a[data-download="csv"]').getAttribute('href');
    const csvText = await page.evaluate(async (href) => (await fetch(href!)).text(), csvHref);
    const [head, ...records] = parseCsv(csvText.replace(/^\uFEFF/, ''), ';');
    const at = (name: string) => head!.indexOf(name);
    grid = await readGrid();
    let compared = 0;
    for (const row of grid.rows) {
      row.cells.forEach((cell, c) => {
        const record = records.find(
          (candidate) =>
            candidate[at('option')] === option &&
            candidate[at('target_group')] === (row.code === '_total' ? '_all' : row.code) &&
            candidate[at('district')] === (grid.columns[c] === '_total' ? '_all' : grid.columns[c]),
        );
        if (cell.className === 'grid-empty') expect(record).toBeUndefined();
        else if (cell.className === 'grid-withheld') expect(record![at('suppressed')]).toBe('1');
        else {
          // The grid rounds to 0.1 points, the CSV to 0.01 (4 decimals of a share): equal up to that rounding.
          const gridValue = Number(cell.share.replace(/[^\d,.]/g, '').replace(',', '.'));
          expect(Math.abs(gridValue - 100 * Number(record![at('share')]!.replace(',', '.')))).toBeLessThanOrEqual(0.051);
          compared += 1;
        }
      });
    }
    expect(compared).toBeGreaterThan(5);
    // The image buttons name the same grid (rows, columns, option, sort) for the server to draw.
    const pngHref = await page.locator('a[data-download="png"]').getAttribute('href');
    expect(pngHref).toContain('layout=grid');
    expect(pngHref).toContain('sort=buettelborn%3Aasc');
    const png = await page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { status: response.status, type: response.headers.get('content-type') };
    }, pngHref);
    expect(png).toEqual({ status: 200, type: 'image/png' });

    // Weighted with intervals: the raked share and its interval as the API gives them.
    await page.locator('#explorer-weighted').check();
    await page.locator('.breakdown-grid caption', { hasText: lang === 'de' ? 'gewichtet' : 'weighted' }).waitFor({ timeout: WAIT_MS });
    await page.locator('#grid-interval').check();
    await page.locator('.grid-interval').first().waitFor({ timeout: WAIT_MS });
    const weighted = await page.evaluate(async () => (await fetch('/api/analysis/baseline-lite/aggregate?question=children&by=target_group,district&weights=raked')).json());
    const weightedOption = await page.locator('#grid-option').inputValue();
    const estimate = weighted.items[0].options.find((candidate: { code: string }) => candidate.code === weightedOption).weighted[0];
    const total = (await readGrid()).rows[0]!.cells[0]!;
    expect(total.share).toBe(percent(estimate.share));
    expect(total.interval).toBe(`${texts.explorer.interval} ${format.format(estimate.ciLow * 100)}–${format.format(estimate.ciHigh * 100)}`);
    const weightedCsv = await page.locator('a[data-download="csv"]').getAttribute('href');
    expect(weightedCsv).toContain('weights=raked');

    // Another pair of dimensions: districts down, modes across.
    await page.locator('#grid-rows').selectOption('district');
    await page.locator('#grid-columns').selectOption('mode');
    await expect.poll(async () => (await readGrid()).columns).toEqual(['_total', 'online', 'interview']);
    await page.locator('.grouped-bars').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
