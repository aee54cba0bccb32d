import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { messageResources } from '../../api/src/i18n/messages.ts';
import { linkResponseToActor } from '../../api/src/network/repository.ts';
import type { Locale } from '../../api/src/shared/locales.ts';
import { insertResponses } from '../support/insert-responses.ts';
import { loginAsDemo } from '../support/staff-session.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The inventory of offers in a real browser: the analyst's matrix with its gaps and a cell's offers,
// and the residents' directory in German, Leichte Sprache and Arabic without JavaScript; axe clean.

const WAIT_MS = 20_000;
const analyst = demoAccounts.find((account) => account.role === 'analyst')!;
let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

function message(locale: Locale, key: string): string {
  let node: unknown = messageResources[locale].translation;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node as string;
}

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['analysis.html', 'index.html'] }));
  const session = await loginAsDemo(platform.app, 'analyst');
  const create = async (name: string, isPublic: boolean) => {
    const response = await platform.app.request('/api/actors', {
      method: 'POST',
      headers: session.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name, kind: 'club', isPublic }),
    });
    return ((await response.json()) as { actor: { id: string } }).actor.id;
  };
  const [club, hidden] = [await create('SV Worfelden', true), await create('Verborgener Verein', false)];
  const [a, b] = await insertResponses(platform.database.db, [
    {
      slug: 'stakeholder-inventory',
      answers: {
        districts_active: ['worfelden'],
        offers: [
          { offer_title: 'Fußball für alle', offer_field: 'sport_culture', offer_target_groups: ['refugees'], offer_all_districts: false, offer_languages: ['german', 'arabic'], offer_frequency: 'weekly' },
          { offer_title: 'Sprachcafé', offer_field: 'language_education', offer_target_groups: ['everyone'], offer_all_districts: true, offer_languages: ['german'] },
        ],
      },
    },
    { slug: 'stakeholder-inventory', answers: { offers: [{ offer_title: 'Geheimes Angebot', offer_field: 'encounter', offer_target_groups: ['families'], offer_all_districts: true }] } },
  ]);
  await linkResponseToActor(platform.database.db, a!, club);
  await linkResponseToActor(platform.database.db, b!, hidden);
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

describe('the inventory of offers in the dashboard', () => {
  it('shows the matrix with gaps in words, a cell’s offers as a table, and export links; axe clean', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/analysis?lang=de`);
      await page.locator('#login-email').fill(analyst.email, { timeout: WAIT_MS });
      await page.locator('#login-password').fill(analyst.password);
      await page.locator('form.login-form button[type=submit]').click();
      const view = page.locator('.offers-view');
      await view.locator('table.offers-matrix').first().waitFor({ timeout: WAIT_MS });
      expect(await view.locator('table.offers-matrix').count()).toBe(13);
      // A gap is said in words ("Lücke"), not only by colour.
      expect(await view.locator('td.offers-gap').first().innerText()).toContain('Lücke');
      const sport = view.locator('table.offers-matrix', { has: page.locator('caption', { hasText: 'Sport' }) });
      await sport.locator('button').first().click();
      const details = view.locator('.offers-details table');
      await details.waitFor({ timeout: WAIT_MS });
      expect(await details.innerText()).toContain('Fußball für alle');
      expect(await view.locator('a[href^="/api/analysis/offers.csv"]').count()).toBe(2);
      expect(await view.locator('a[href^="/api/analysis/offers.xlsx"]').count()).toBe(1);
      const csv = await page.evaluate(async () => (await fetch('/api/analysis/offers.csv')).text());
      expect(csv).toContain('Geheimes Angebot');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});

describe('the public directory of offers', () => {
  it.each(['de', 'de-x-easy', 'ar'] as const)('%s: only public actors’ offers, filterable without JavaScript, axe clean', async (locale) => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const page = await noScript.newPage();
      const response = await page.goto(`${baseUrl}/offers?lang=${locale}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      expect(await page.locator('h1').innerText()).toBe(message(locale, 'offers.heading'));
      const titles = await page.locator('article h2').allInnerTexts();
      expect(titles.sort()).toEqual(['Fußball für alle', 'Sprachcafé']);
      expect(await page.content()).not.toContain('Geheimes Angebot');
      // Filtering by language through the plain form.
      await page.locator('#f-language').selectOption('arabic');
      await Promise.all([page.waitForURL(/language=arabic/), page.locator('form[role=search] button[type=submit]').click()]);
      expect(await page.locator('article h2').allInnerTexts()).toEqual(['Fußball für alle']);
    } finally {
      await noScript.close();
    }
    // axe needs script to run; the page itself has none.
    const withScript = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await withScript.newPage();
      for (const query of ['', '&language=arabic']) {
        await page.goto(`${baseUrl}/offers?lang=${locale}${query}`);
        expect(await axeViolations(page)).toEqual([]);
      }
    } finally {
      await withScript.close();
    }
  }, 60_000);

  it('is linked from the landing page in the chosen language', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/?lang=ar`);
      const link = page.locator('#offers-link');
      await expect.poll(() => link.getAttribute('href'), { timeout: WAIT_MS }).toBe('/offers?lang=ar');
      await link.click();
      await page.waitForURL(/\/offers\?lang=ar/);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    } finally {
      await context.close();
    }
  }, 60_000);
});
