import fs from 'node:fs';
import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import { UndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';
import { fillInventory } from './support/stakeholder-inventory.ts';

// The registry of actors in the analysis dashboard (`/analysis#actors`), in a real browser against
// the real server with the demo town's network: three organisations fill the revised stakeholder
// inventory in the respondent page (one misspells a partner), the registry page suggests the
// duplicate pair, a merge into a retired actor is refused at the action, the merge
// through the page moves every tie of both to the survivor; an actor is added and edited by
// keyboard; then the map (`#network`) filtered by a field of action, and its GEXF download read
// back with the same nodes and edges as the API.
const WAIT_MS = 20_000;
const analyst = demoAccounts.find((account) => account.role === 'analyst')!;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['analysis.html', 'respond.html'], platform: { config: { seedDemoNetwork: true } } }));
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

interface ApiActor {
  id: string;
  name: string;
  mergedInto: string | null;
  retiredAt: string | null;
  ties?: number;
}
interface ApiTie {
  fromActorId: string;
  toActorId: string;
  responseId: string | null;
}
interface ApiNetwork {
  nodes: { id: string; name: string }[];
  edges: { source: string; target: string }[];
}

/** A call of the API in the page, with the analyst's session and CSRF token, in German. */
async function api<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([method, url, body]) => {
      const me = (await (await fetch('/api/auth/me', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const response = await fetch(url as string, {
        method: method as string,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'accept-language': 'de', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    [method, url, body] as const,
  );
}

/** What the rest of the test needs from the set-up: the duplicate pair and whom they are tied to. */
interface RegistryFixture {
  /** The actor that stays ("AWO Ortsverein Worfelden"). */
  survivor: ApiActor;
  /** The same organisation written another way ("AWO Ortsvrein Worfelden"), merged into the survivor. */
  duplicate: ApiActor;
  /** Every actor either of the two is tied to (ids), each once. */
  partners: string[];
  /** The three inventory responses, in the order they were sent. */
  responses: string[];
}

const THIRD = 'Kulturverein Anadolu Worfelden';

/**
 * Three organisations fill the revised stakeholder inventory in the respondent page, each in a
 * browser context of its own, and the ingest builds the registry from it: the AWO names the family
 * centre as a partner (two kinds of tie) and one offer; the family centre names the AWO with a typo
 * (a new actor: the duplicate) and an offer in one district; a cultural association takes the AWO
 * from the field's list of public names. Then the actors are looked up as the analyst.
 */
async function fillThreeInventories(page: Page): Promise<RegistryFixture> {
  const awo = await fillInventory(browser, baseUrl, {
    name: 'AWO Ortsverein Worfelden',
    kind: 'welfare_association',
    fields: ['arrival', 'health'],
    districts: ['worfelden'],
    isPublic: true,
    partners: [{ name: 'Familienzentrum Worfelden', kind: 'initiative', tieKinds: ['information', 'joint_projects'], frequency: 'monthly' }],
    offers: [
      { title: 'Sozialberatung für Neuzugewanderte', field: 'arrival', targetGroups: ['newcomers'], languages: ['german', 'arabic'], cost: 'free', times: ['weekday_morning'], accessibility: ['step_free'], capacity: 10, isPublic: true },
    ],
  });
  // A new name is offered by nobody yet: the demo town's public actors only.
  expect(awo.suggestedNames).toContain('Helferkreis Asyl');
  expect(awo.suggestedNames).not.toContain('AWO Ortsverein Worfelden');
  const centre = await fillInventory(browser, baseUrl, {
    name: 'Familienzentrum Worfelden',
    kind: 'initiative',
    fields: ['arrival', 'youth'],
    districts: ['worfelden'],
    isPublic: true,
    partners: [{ name: 'AWO Ortsvrein Worfelden', kind: 'welfare_association', tieKinds: ['referrals'], frequency: 'weekly' }],
    offers: [{ title: 'Eltern-Kind-Gruppe', field: 'youth', targetGroups: ['families'], districts: ['worfelden'], languages: ['german', 'turkish'], cost: 'reduced', times: ['weekday_afternoon'], isPublic: true }],
  });
  const third = await fillInventory(browser, baseUrl, {
    name: THIRD,
    kind: 'migrant_organisation',
    fields: ['encounter', 'arrival'],
    districts: ['worfelden'],
    isPublic: true,
    partners: [{ name: 'AWO Ortsverein Worfelden', pickAfter: 'AWO Ortsverein W', kind: 'welfare_association', tieKinds: ['referrals'], frequency: 'several_times_a_year' }],
  });
  // The AWO came in public and is offered now; the misspelt partner (not public) is not.
  expect(third.partnerSuggestions[0]).toContain('AWO Ortsverein Worfelden');
  expect(third.partnerSuggestions[0]).not.toContain('AWO Ortsvrein Worfelden');

  const { body: listed } = await api<{ actors: ApiActor[] }>(page, 'GET', '/api/actors');
  const named = (name: string) => {
    const found = listed.actors.filter((actor) => actor.name === name);
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };
  // The offers came in with their organisations: the family centre's in its one district.
  const { body: inventory } = await api<{ offers: { title: string; districts: string[]; actor: { name: string } | null; publicationConsent: boolean | null }[] }>(page, 'GET', '/api/analysis/offers');
  const offers = inventory.offers.filter((offer) => offer.actor?.name.endsWith('Worfelden'));
  expect(offers.map((offer) => [offer.actor!.name, offer.title]).sort()).toEqual([
    ['AWO Ortsverein Worfelden', 'Sozialberatung für Neuzugewanderte'],
    ['Familienzentrum Worfelden', 'Eltern-Kind-Gruppe'],
  ]);
  expect(offers.find((offer) => offer.title === 'Eltern-Kind-Gruppe')!.districts).toEqual(['worfelden']);
  const survivor = named('AWO Ortsverein Worfelden');
  const duplicate = named('AWO Ortsvrein Worfelden');
  return { survivor, duplicate, partners: [named('Familienzentrum Worfelden').id, named(THIRD).id], responses: [awo.responseId, centre.responseId, third.responseId] };
}

async function signIn(page: Page, lang: string, part: string) {
  await page.goto(`${baseUrl}/analysis?lang=${lang}#${part}`);
  await page.locator('#login-email').fill(analyst.email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(analyst.password);
  await page.locator('form.login-form button[type=submit]').click();
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
  });
}

const row = (page: Page, id: string) => page.locator(`table.actors-table tbody tr[data-id="${id}"]`);
const cells = async (page: Page, id: string) => row(page, id).locator('th, td').allInnerTexts();
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('the actor registry in /analysis#actors', () => {
  it('takes three organisations’ inventories from the respondent page, suggests the duplicate, merges it through the page keeping every tie, and the map exports the same network as the API', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
    await signIn(page, 'de', 'actors');
    await page.locator('#actors-heading').waitFor({ timeout: WAIT_MS });
    const fixture = await fillThreeInventories(page);
    const { survivor, duplicate } = fixture;
    await page.reload();
    await page.locator('table.actors-table').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.dashboard-nav a[aria-current=page]').innerText()).toBe('Akteursregister');

    // The table: both AWO rows with their ties; the suggestion names the pair with its similarity.
    expect(await cells(page, survivor.id)).toEqual(['AWO Ortsverein Worfelden', expect.any(String), expect.any(String), expect.any(String), 'ja', 'aktiv', '3', '1', expect.any(String)]);
    // The misspelt partner came in as a new actor: not public, one tie, no response of its own.
    expect((await cells(page, duplicate.id)).slice(4, 8)).toEqual(['nein', 'aktiv', '1', '0']);
    const pair = page.locator('li.actor-pair', { hasText: 'AWO Ortsvrein Worfelden' }).filter({ hasText: 'AWO Ortsverein Worfelden' });
    await pair.waitFor({ timeout: WAIT_MS });
    expect(await pair.locator('.actor-similarity').innerText()).toMatch(/^\(Ähnlichkeit \d+\s?%\)$/);
    expect(await axeViolations(page)).toEqual([]);

    // The filters narrow the table; the count says how many.
    await page.locator('#actors-search').fill('worfelden');
    expect(await page.locator('table.actors-table tbody tr').count()).toBe(4);
    expect(await page.locator('#actors-count').innerText()).toMatch(/^4 von \d+ Akteuren angezeigt$/);
    await page.locator('#actors-kind').selectOption('initiative');
    expect(await page.locator('table.actors-table tbody tr th').allInnerTexts()).toEqual(['Familienzentrum Worfelden']);
    await page.locator('#actors-kind').selectOption('');
    await page.locator('#actors-search').fill('');

    // Someone retires the survivor meanwhile: the merge is refused at the action with the API's words.
    expect((await api(page, 'POST', `/api/actors/${survivor.id}/retirement`, { retired: true })).status).toBe(200);
    const refusal = await api<{ error: { code: string; message: string } }>(page, 'POST', `/api/actors/${duplicate.id}/merge`, { into: survivor.id });
    expect(refusal.body.error.code).toBe('actor_merge_into_retired');
    await pair.getByRole('button', { name: '„AWO Ortsvrein Worfelden“ in „AWO Ortsverein Worfelden“ zusammenführen' }).click();
    const question = pair.locator('.actor-merge-confirm p');
    await question.waitFor({ timeout: WAIT_MS });
    expect(await question.innerText()).toContain('Auf „AWO Ortsverein Worfelden“ übertragen werden Verbindungen: 1, Antworten: 0');
    expect(await question.innerText()).toContain('Verbindungen zwischen den beiden entfallen: 0.');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ja, zusammenführen');
    await page.keyboard.press('Enter');
    await pair.locator('[role=alert]').filter({ hasText: refusal.body.error.message }).waitFor({ timeout: WAIT_MS });
    expect(await pair.locator('[role=alert]').innerText()).toBe(refusal.body.error.message);

    // Reinstated, the same confirmation merges (keyboard only); the status line says what moved and takes the focus.
    expect((await api(page, 'POST', `/api/actors/${survivor.id}/retirement`, { retired: false })).status).toBe(200);
    await pair.locator('button.actor-merge-yes').focus();
    await page.keyboard.press('Enter');
    await page.locator('#actors-status').filter({ hasText: 'aufgegangen' }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#actors-status').innerText()).toBe(
      '„AWO Ortsvrein Worfelden“ ist in „AWO Ortsverein Worfelden“ aufgegangen. Übertragen: Verbindungen 1, Antworten 0. Entfallen: Verbindungen zwischen beiden 0, doppelte Verbindungen aus derselben Antwort 0.',
    );
    expect(await focusedId(page)).toBe('actors-status');
    expect(await pair.count()).toBe(0);
    expect(await row(page, duplicate.id).count()).toBe(0);
    expect((await cells(page, survivor.id)).slice(6, 8)).toEqual(['4', '1']);
    // Merged ones on request, with whom they became.
    await page.locator('#actors-show-retired').check();
    await row(page, duplicate.id).waitFor({ timeout: WAIT_MS });
    expect((await cells(page, duplicate.id))[5]).toBe('zusammengeführt in „AWO Ortsverein Worfelden“');
    expect(await row(page, duplicate.id).locator('button').count()).toBe(0);
    await page.locator('#actors-show-retired').uncheck();

    // Through the API: every tie of both now ends at the survivor; the duplicate points at it.
    const survivorDetail = (await api<{ ties: ApiTie[] }>(page, 'GET', `/api/actors/${survivor.id}`)).body;
    expect(survivorDetail.ties).toHaveLength(4);
    for (const tie of survivorDetail.ties) expect([tie.fromActorId, tie.toActorId]).toContain(survivor.id);
    const partnersNow = survivorDetail.ties.map((tie) => (tie.fromActorId === survivor.id ? tie.toActorId : tie.fromActorId));
    expect([...new Set(partnersNow)].sort()).toEqual([...fixture.partners].sort());
    // Each response's ties: the AWO's own two, the family centre's (to the misspelt name), the third's.
    const [awoResponse, centreResponse, thirdResponse] = fixture.responses;
    expect(survivorDetail.ties.map((tie) => tie.responseId).sort()).toEqual([awoResponse, awoResponse, centreResponse, thirdResponse].sort());
    expect((await api<{ responses: string[] }>(page, 'GET', `/api/actors/${survivor.id}`)).body.responses).toEqual([awoResponse]);
    const duplicateDetail = (await api<{ actor: ApiActor; ties: ApiTie[] }>(page, 'GET', `/api/actors/${duplicate.id}`)).body;
    expect(duplicateDetail.actor.mergedInto).toBe(survivor.id);
    expect(duplicateDetail.ties).toEqual([]);

    // Add an actor with the form: a missing kind is said at the field, then it is added.
    await page.locator('#actor-name').fill('Tafel Worfelden');
    await page.locator('#actor-form-heading + form button[type=submit]').click();
    await page.locator('#actor-kind-error').filter({ hasText: /\S/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#actor-kind').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('actor-kind');
    await page.locator('#actor-kind').selectOption('welfare_association');
    await page.locator('#actor-fields-health').check();
    await page.locator('#actor-districts-worfelden').check();
    await page.locator('#actor-name').press('Enter');
    await page.locator('#actors-status').filter({ hasText: '„Tafel Worfelden“ hinzugefügt.' }).waitFor({ timeout: WAIT_MS });
    const tafel = (await api<{ actors: ApiActor[] }>(page, 'GET', '/api/actors')).body.actors.find((actor) => actor.name === 'Tafel Worfelden')!;
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-id'))).toBe(tafel.id);

    // Edit by keyboard: Enter on the row's button fills the form and focuses the name.
    await page.keyboard.press('Enter');
    expect(await page.locator('#actor-form-heading').innerText()).toBe('„Tafel Worfelden“ bearbeiten');
    expect(await focusedId(page)).toBe('actor-name');
    expect(await page.locator('#actor-fields-health').isChecked()).toBe(true);
    await page.keyboard.press('End');
    await page.keyboard.type(' e.V.');
    await page.keyboard.press('Enter');
    await page.locator('#actors-status').filter({ hasText: '„Tafel Worfelden e.V.“ gespeichert.' }).waitFor({ timeout: WAIT_MS });
    expect((await cells(page, tafel.id))[0]).toBe('Tafel Worfelden e.V.');
    // Retire it from the row; the status line says so.
    await row(page, tafel.id).getByRole('button', { name: '„Tafel Worfelden e.V.“ stilllegen' }).click();
    await page.locator('#actors-status').filter({ hasText: 'stillgelegt' }).waitFor({ timeout: WAIT_MS });
    expect(await row(page, tafel.id).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The map, filtered by a field of action: the survivor is there, the duplicate is not.
    await page.locator('.dashboard-nav a[href="#network"]').click();
    await page.locator('#network-canvas canvas').first().waitFor({ timeout: WAIT_MS });
    const wanted = (await api<ApiNetwork>(page, 'GET', '/api/analysis/network?fieldOfAction=arrival')).body;
    expect(wanted.nodes.map((node) => node.id)).toContain(survivor.id);
    expect(wanted.nodes.map((node) => node.id)).not.toContain(duplicate.id);
    await page.locator('#network-field').selectOption('arrival');
    await page.waitForFunction((n) => document.querySelectorAll('#network-actor option:not([value=""])').length === n, wanted.nodes.length, { timeout: WAIT_MS });

    // The GEXF through the page's own link (a download), read back: the API's nodes and edges.
    const link = page.locator('.network-downloads a[href*="network.gexf"]');
    expect(await link.getAttribute('href')).toContain('fieldOfAction=arrival');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const graph = parseGexf(UndirectedGraph, fs.readFileSync((await download.path())!, 'utf8'));
    expect(graph.nodes().sort()).toEqual(wanted.nodes.map((node) => node.id).sort());
    expect(graph.size).toBe(wanted.edges.length);
    for (const edge of wanted.edges) expect(graph.hasEdge(edge.source, edge.target), `${edge.source}–${edge.target}`).toBe(true);
    expect(graph.getNodeAttribute(survivor.id, 'label')).toBe('AWO Ortsverein Worfelden');
    expect(graph.degree(survivor.id)).toBe(wanted.edges.filter((edge) => edge.source === survivor.id || edge.target === survivor.id).length);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('speaks English and is axe clean there, and mirrors in Arabic', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'en', 'actors');
    await page.locator('table.actors-table').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#actors-heading').innerText()).toBe('Actor registry');
    expect(await page.locator('table.actors-table caption').innerText()).toBe('Actors in the registry');
    await page.screenshot({ path: '/tmp/actor-registry-en.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/analysis?lang=ar#actors`);
    await page.locator('table.actors-table').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('#actors-heading').innerText()).toBe('سجل الجهات الفاعلة');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
