import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import { UndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { demoNetworkActors } from '../../api/src/demo/demo-network.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The network of actors in the analysis dashboard, in a real browser against the real server with
// the demo town's network: the map (sigma.js, WebGL), filters, choosing an actor by keyboard, the
// table of the same data, the GEXF export read back, the comparison of two dates, axe clean.
const WAIT_MS = 20_000;
const analyst = demoAccounts.find((account) => account.role === 'analyst')!;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['analysis.html'], platform: { config: { seedDemoNetwork: true } } }));
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

interface ApiNetwork {
  nodes: { id: string; name: string }[];
  edges: { source: string; target: string }[];
}

async function openNetwork(page: Page, lang: string) {
  await page.goto(`${baseUrl}/analysis?lang=${lang}#network`);
  await page.locator('#login-email').fill(analyst.email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(analyst.password);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('#network-canvas canvas').first().waitFor({ timeout: WAIT_MS });
}

/** The API's answer, fetched in the page with the analyst's session. */
const apiNetwork = (page: Page, query: string) =>
  page.evaluate(async (url) => (await (await fetch(url, { credentials: 'same-origin' })).json()) as ApiNetwork, `/api/analysis/network?${query}`);

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

const actorOptions = (page: Page) => page.locator('#network-actor option:not([value=""])').allInnerTexts();

describe('the network map in /analysis', () => {
  it('draws the demo network, filters by field of action, selects an actor by keyboard and lists the same actors in the table', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
    // The map runs under the app's Content-Security-Policy: no violation (sigma needs no eval, no <style>).
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    await openNetwork(page, 'de');

    expect(await page.locator('#network-heading').innerText()).toBe('Netzwerk der Akteure');
    expect(await page.locator('.dashboard-nav a[aria-current=page]').innerText()).toBe('Netzwerk der Akteure');
    expect((await actorOptions(page)).sort()).toEqual(demoNetworkActors.map((actor) => actor.name).sort());
    expect(await page.locator('.network-summary').innerText()).toContain(`${demoNetworkActors.length} Akteure`);
    expect(await axeViolations(page)).toEqual([]);

    // Filter: only actors in language and education.
    const wanted = await apiNetwork(page, 'fieldOfAction=language_education');
    expect(wanted.nodes.length).toBeGreaterThan(1);
    expect(wanted.nodes.length).toBeLessThan(demoNetworkActors.length);
    await page.locator('#network-field').selectOption('language_education');
    await page.waitForFunction((n) => document.querySelectorAll('#network-actor option:not([value=""])').length === n, wanted.nodes.length, { timeout: WAIT_MS });
    expect((await actorOptions(page)).sort()).toEqual(wanted.nodes.map((node) => node.name).sort());

    // Keyboard only: tab to the list of actors, choose one with the arrow key; its details appear.
    await page.locator('#network-actor').focus();
    await page.keyboard.press('ArrowDown');
    const chosen = [...wanted.nodes].sort((a, b) => a.name.localeCompare(b.name))[0]!;
    await page.locator('#network-details h3').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#network-details h3').innerText()).toBe(chosen.name);
    expect(await page.locator('#network-details dl').innerText()).toContain('Anzahl der Partner');
    // In the map: the arrow keys move to a neighbour on screen, Escape clears.
    await page.locator('#network-canvas').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('#network-details h3') !== null);
    const inMap = await page.locator('#network-details h3').innerText();
    expect(wanted.nodes.map((node) => node.name)).toContain(inMap);
    expect(await page.locator('#network-actor').inputValue()).not.toBe('');
    await page.keyboard.press('Escape');
    await page.locator('#network-details h3').waitFor({ state: 'detached', timeout: WAIT_MS });

    // The table view: the same actors and ties as the API.
    await page.getByRole('button', { name: 'Tabelle' }).click();
    await page.locator('#network-table-panel table.network-actors').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#network-map-panel').isHidden()).toBe(true);
    const rowIds = await page.locator('table.network-actors tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
    expect(rowIds.sort()).toEqual(wanted.nodes.map((node) => node.id).sort());
    expect(await page.locator('table.network-ties tbody tr').count()).toBe(wanted.edges.length);
    expect(await page.locator('table.network-actors thead th').count()).toBe(11);
    expect(await axeViolations(page)).toEqual([]);

    // The GEXF export with the same filter, read back with graphology-gexf: same nodes and edges.
    const gexfHref = await page.locator('.network-downloads a[href*="network.gexf"]').getAttribute('href');
    expect(gexfHref).toContain('fieldOfAction=language_education');
    const gexf = await page.evaluate(async (href) => (await fetch(href!, { credentials: 'same-origin' })).text(), gexfHref);
    const graph = parseGexf(UndirectedGraph, gexf);
    expect(graph.nodes().sort()).toEqual(wanted.nodes.map((node) => node.id).sort());
    expect(graph.size).toBe(wanted.edges.length);
    for (const edge of wanted.edges) expect(graph.hasEdge(edge.source, edge.target)).toBe(true);
    const png = await page.evaluate(async (href) => {
      const response = await fetch(href!, { credentials: 'same-origin' });
      return [response.status, response.headers.get('content-type')];
    }, await page.locator('.network-downloads a[href*="network.png"]').getAttribute('href'));
    expect(png).toEqual([200, 'image/png']);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    await context.close();
  });

  it('compares two dates: new ties since March are listed and drawn, in English, axe clean', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openNetwork(page, 'en');
    const expected = (await page.evaluate(async () => (await (await fetch('/api/analysis/network?compare=2026-03-31', { credentials: 'same-origin' })).json()) as { comparison: { newEdges: unknown[] } })).comparison.newEdges.length;
    expect(expected).toBeGreaterThan(0);
    await page.locator('#network-compare').fill('2026-03-31');
    await page.locator('#network-compare').dispatchEvent('change');
    await page.locator('.network-changes ul.new-ties').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.network-changes ul.new-ties li').count()).toBe(expected);
    expect(await page.locator('.network-changes h4').first().innerText()).toBe(`New ties (${expected})`);
    expect(await page.locator('.network-legend').innerText()).toContain('new tie');
    await page.screenshot({ path: '/tmp/network-en.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('mirrors the page in Arabic and keeps the surveys reachable', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openNetwork(page, 'ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('#network-heading').innerText()).toBe('شبكة الجهات الفاعلة');
    await page.screenshot({ path: '/tmp/network-ar.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('.dashboard-nav a[href="#surveys"]').click();
    await page.locator('#survey').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#network-heading').count()).toBe(0);
    await context.close();
  });
});
