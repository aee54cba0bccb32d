import path from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../support/analysis-dataset.ts';
import { insertResponses } from '../support/insert-responses.ts';
import { loginAsDemo } from '../support/staff-session.ts';
import { REPO_ROOT, type TestPlatform } from '../support/test-platform.ts';
import { messageResources } from '../../api/src/i18n/messages.ts';
import type { Locale } from '../../api/src/shared/locales.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The public results page in a real browser: an analyst publishes a weighted snapshot by district,
// residents read it in German, Leichte Sprache and Farsi with JavaScript switched off, and axe finds
// nothing (every chart has its table, every table its headers, RTL mirrored).

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
const QUESTIONS = ['participation_wish', 'barriers_health', 'living_together', 'languages_home'];

function message(locale: Locale, key: string): string {
  let node: unknown = messageResources[locale].translation;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node as string;
}

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: [], platform: { surveysDir: path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys') } }));
  await insertResponses(platform.database.db, analysisDataset());
  const analyst = await loginAsDemo(platform.app, 'analyst');
  const write = (url: string, body?: unknown) =>
    platform.app.request(url, { method: 'POST', headers: analyst.writeHeaders({ 'content-type': 'application/json' }), body: body === undefined ? undefined : JSON.stringify(body) });
  const texts = Object.fromEntries(QUESTIONS.map((key) => [key, { de: 'Das hat uns überrascht.', 'de-x-easy': 'Das ist neu für uns.', fa: 'این برای ما تازه بود.' }]));
  const created = await write(`/api/analysis/${DATASET_SLUG}/snapshots`, { questions: QUESTIONS, by: ['district'], weighted: true, texts });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await write(`/api/analysis/${DATASET_SLUG}/snapshots/${id}/publish`)).status).toBe(200);
  const admin = await loginAsDemo(platform.app, 'admin');
  const measure = await platform.app.request('/api/admin/measures', {
    method: 'POST',
    headers: admin.writeHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({ fieldOfAction: 'encounter', title: { de: 'Nachbarschaftsfest in Worfelden' }, status: 'decided', surveySlug: DATASET_SLUG, resultKeys: ['living_together'] }),
  });
  expect(measure.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('the public results page in a browser', () => {
  it.each(['de', 'de-x-easy', 'fa'] as const)('%s: readable without JavaScript, every chart with a headed table, axe clean', async (locale) => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const page = await noScript.newPage();
      const response = await page.goto(`${baseUrl}/results/${DATASET_SLUG}?lang=${locale}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('dir')).toBe(locale === 'fa' ? 'rtl' : 'ltr');
      await expect.poll(() => page.locator('h1').innerText()).toContain(message(locale, 'results.heading').split('{{')[0]!.trim());
      // Four questions, the matrix as two rows: five charts, five tables.
      expect(await page.locator('svg[role=img]').count()).toBe(5);
      expect(await page.locator('table').count()).toBe(5);
      for (const table of await page.locator('table').all()) {
        expect(await table.locator('thead th[scope=col]').count()).toBeGreaterThan(1);
        expect(await table.locator('tbody tr').count()).toBe(await table.locator('tbody th[scope=row]').count());
      }
      // Each chart is named, and its name says the numbers are in the table.
      for (const svg of await page.locator('svg[role=img]').all()) expect(await svg.locator('title').textContent()).toBeTruthy();
      // Worfelden is small: some of its cells say so in words.
      expect(await page.getByText(message(locale, 'results.too_few'), { exact: true }).count()).toBeGreaterThan(0);
      await expect.poll(() => page.locator('body').innerText()).toContain(message(locale, 'results.measures_heading'));
      // The page's own stylesheet applied (the CSP allows no inline style element): the chart bars are filled.
      expect(await page.locator('.chart-bar').first().evaluate((rect) => getComputedStyle(rect).fill)).toBe('rgb(11, 79, 156)');
    } finally {
      await noScript.close();
    }
    const withScript = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await withScript.newPage();
      await page.goto(`${baseUrl}/results/${DATASET_SLUG}?lang=${locale}`);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await withScript.close();
    }
  });
});
