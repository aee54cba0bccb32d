import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import type { ROLES } from '../../api/src/shared/roles.ts';
import { expectedTargetGroups } from '../support/analysis-dataset.ts';
import { insertResponses } from '../support/insert-responses.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { BASELINE_SLUG, baselineAnswers, readBaselineDefinition, seededRandom } from '../reliability/support/baseline-answers.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';
import { FRONTEND_DIST_DIR } from './support/frontend-build.ts';

// What a new user saw on the staff side (issue 16, part 4): the dashboard's first survey, a missing
// favicon, a chart image of 1720 × 14880 px, and survey-core's dropdowns in the interviewer app
// with an empty box drawn over the chosen value.
const WAIT_MS = 20_000;
/** Longest side of a chart PNG that still opens, prints and reads as one image. */
const MAX_CHART_SIDE_PX = 4096;

const BUILT_PAGES = ['index.html', 'respond.html', 'interview.html', 'analysis.html', 'coordinate.html', 'contact.html', 'admin.html', 'set-password.html', 'event.html'];

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

const account = (role: (typeof ROLES)[number]) => demoAccounts.find((candidate) => candidate.role === role)!;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: [...BUILT_PAGES, 'favicon.ico'] }));
  // About as many baseline responses as the walk-through had, with the demo town's target groups.
  const survey = (await (await platform.app.request(`/api/surveys/${BASELINE_SLUG}`)).json()) as { version: number; districts: { code: string }[] };
  const districtCodes = survey.districts.map((district) => district.code);
  const definition = readBaselineDefinition();
  await insertResponses(
    platform.database.db,
    Array.from({ length: 160 }, (_, i) => {
      const answers = baselineAnswers(definition, { districtCodes, random: seededRandom(1600 + i) });
      return { slug: BASELINE_SLUG, version: survey.version, district: (answers.district as string | undefined) ?? null, answers, targetGroups: expectedTargetGroups(answers) };
    }),
  );
}, 180_000);

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

async function newPage(width = 1280): Promise<{ page: Page; close: () => Promise<void>; notFound: string[] }> {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const notFound: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(new URL(response.url()).pathname);
  });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { page, notFound, close: () => context.close() };
}

async function signInToAnalysis(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/analysis?lang=de`);
  await page.locator('#login-email').fill(account('analyst').email);
  await page.locator('#login-password').fill(account('analyst').password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('.bar-chart').first().waitFor();
}

describe('the analysis dashboard', () => {
  it('opens on the resident baseline, not on the interview guide listed before it', async () => {
    const { page, close } = await newPage();
    try {
      await signInToAnalysis(page);
      const options = await page.locator('#survey option').evaluateAll((elements) => elements.map((option) => (option as HTMLOptionElement).value));
      // The list is sorted by slug: the interview guide comes first, so the default is a choice.
      expect(options.indexOf('interview-guide')).toBeGreaterThanOrEqual(0);
      expect(options.indexOf('interview-guide')).toBeLessThan(options.indexOf(BASELINE_SLUG));
      expect(await page.locator('#survey').inputValue()).toBe(BASELINE_SLUG);
      expect(await page.locator('#explorer-question option').count()).toBeGreaterThan(40);
    } finally {
      await close();
    }
  });

  it('draws the district × target group chart as a PNG of bounded size', { timeout: 180_000 }, async () => {
    const { page, close } = await newPage();
    try {
      await signInToAnalysis(page);
      // The six-statement matrix: five options × (total, districts, target groups, both crossed).
      await page.locator('#explorer-question').selectOption('living_together.feel_welcome');
      await page.locator('#by-target_group').check();
      const png = page.locator('.download-list a[href*=".png"]');
      await expect.poll(async () => new URL((await png.getAttribute('href')) ?? '/', baseUrl).searchParams.get('by')).toBe('district,target_group');
      const href = (await png.getAttribute('href'))!;
      const bytes = await page.evaluate(async (url) => {
        const response = await fetch(url, { credentials: 'same-origin' });
        return { status: response.status, type: response.headers.get('content-type'), body: [...new Uint8Array(await response.arrayBuffer())] };
      }, href);
      expect(bytes.status).toBe(200);
      expect(bytes.type).toBe('image/png');
      const { width, height, format } = await sharp(Buffer.from(bytes.body)).metadata();
      expect(format).toBe('png');
      expect(width).toBeLessThanOrEqual(MAX_CHART_SIDE_PX);
      expect(height).toBeLessThanOrEqual(MAX_CHART_SIDE_PX);
      // Neither a ribbon nor a strip: the columns keep it readable as one page.
      expect(Math.max(width!, height!) / Math.min(width!, height!)).toBeLessThan(2.5);

      // The chart still carries every bar: one per option and group, as the chart JSON has them.
      const chart = (await page.evaluate(async (url) => (await fetch(url.replace('.png', '.json'))).json(), href)) as { series: { bars: unknown[] }[] };
      const svg = await page.evaluate(async (url) => (await fetch(url.replace('.png', '.svg'))).text(), href);
      const bars = chart.series.reduce((sum, series) => sum + series.bars.length, 0);
      expect(bars).toBeGreaterThan(200);
      const drawn = (svg.match(/<rect x=/g) ?? []).length;
      expect(drawn).toBe(bars);
    } finally {
      await close();
    }
  });
});

describe('favicon', () => {
  it('no public or staff page asks for a resource that is not there', { timeout: 120_000 }, async () => {
    const { page, notFound, close } = await newPage();
    try {
      for (const path of ['/', `/s/${BASELINE_SLUG}`, '/analysis', '/admin', '/coordinate', '/interview', '/contact', '/event', '/admin/set-password']) {
        await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
        // Chromium asks for the icon after the page has loaded.
        await page.waitForTimeout(300);
      }
      await signInToAnalysis(page);
      expect(notFound).toEqual([]);
      // Whether a headless Chromium asks for an icon at all is its own business; every built page
      // names one, and it is there.
      for (const file of BUILT_PAGES) {
        const html = await fs.readFile(path.join(FRONTEND_DIST_DIR, file), 'utf8');
        const icon = /<link rel="icon" href="([^"]+)"/.exec(html);
        expect(icon?.[1], file).toBeDefined();
        expect((await page.request.get(`${baseUrl}${icon![1]}`)).status(), file).toBe(200);
      }
      const ico = await page.request.get(`${baseUrl}/favicon.ico`);
      expect(ico.status()).toBe(200);
      expect(ico.headers()['content-type']).toBe('image/x-icon');
      // An icon directory (reserved 0, type 1) holding at least one image.
      const body = await ico.body();
      expect([body.readUInt16LE(0), body.readUInt16LE(2)]).toEqual([0, 1]);
      expect(body.readUInt16LE(4)).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});

describe('survey-core dropdowns in the interviewer app', () => {
  it('show the chosen district and language with no empty box over them', async () => {
    const { page, close } = await newPage(1024);
    try {
      await page.goto(`${baseUrl}/interview`);
      await page.getByLabel('E-Mail-Adresse').fill(account('interviewer').email);
      await page.getByLabel('Passwort').fill(account('interviewer').password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.locator('#new-conversation').click();
      await page.getByLabel('Leitfaden').selectOption('interview-guide');
      await page.getByLabel('Ortsteil').selectOption('klein-gerau');
      await page.getByLabel('Funktion der befragten Person').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Gespräch beginnen' }).click();
      const district = page.locator('.sd-question[data-name="district"] .sd-dropdown');
      await district.waitFor();
      // The conversation language starts as German.
      const language = page.locator('.sd-question[data-name="conversation_language"] .sd-dropdown');

      for (const [name, dropdown] of [['district', district], ['conversation_language', language]] as const) {
        await expect.poll(() => dropdown.locator('.sd-dropdown__value').innerText(), { message: name }).not.toBe('');
        const filter = await dropdown.locator('.sd-dropdown__filter-string-input').evaluate((input) => {
          const style = getComputedStyle(input);
          const box = input.getBoundingClientRect();
          const around = input.closest('.sd-dropdown')!.getBoundingClientRect();
          return {
            borders: [style.borderTopWidth, style.borderRightWidth, style.borderBottomWidth, style.borderLeftWidth].map(parseFloat),
            background: style.backgroundColor,
            inside: box.top >= around.top - 0.5 && box.bottom <= around.bottom + 0.5,
          };
        });
        expect(filter.borders, name).toEqual([0, 0, 0, 0]);
        expect(filter.background.replace(/\s/g, ''), name).toBe('rgba(0,0,0,0)');
        expect(filter.inside, name).toBe(true);
      }
      expect(await district.locator('.sd-dropdown__value').innerText()).toContain('Klein-Gerau');
    } finally {
      await close();
    }
  });
});
