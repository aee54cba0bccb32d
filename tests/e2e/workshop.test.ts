import type { ServerType } from '@hono/node-server';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../api/src/auth/index.ts';
import { loginAsNew, type StaffSession } from '../support/staff-session.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The workshop mode in a real browser: the facilitator signs in while connected (the registry
// comes onto the tablet, the page into the service worker's cache), goes offline, reloads, builds
// a poster — key actor, an actor from the registry, two new ones, three ties, a cluster, dot
// votes — reloads offline again (the poster stays), goes online and syncs; the wave is stored once
// however often the sync runs.
const facilitator = { email: 'workshop.coordinator@example.org', password: 'workshop-e2e-2026' };
const WAIT_MS = 20_000;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let analyst: StaffSession;
const registry: Record<string, string> = {};

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['workshop.html', 'workshop-sw.js', 'workshop.webmanifest', 'analysis.html'] }));
  await createAccount(platform.database.db, { ...facilitator, role: 'coordinator' });
  analyst = await loginAsNew(platform.app, platform.database.db, 'analyst');
  for (const [key, name, kind] of [
    ['town', 'Gemeindeverwaltung', 'administration'],
    ['club', 'TSV Worfelden', 'club'],
    ['awo', 'AWO Ortsverein', 'welfare_association'],
  ] as const) {
    const response = await platform.app.request('/api/actors', { method: 'POST', headers: analyst.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify({ name, kind }) });
    expect(response.status).toBe(201);
    registry[key] = ((await response.json()) as { actor: { id: string } }).actor.id;
  }
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

const count = async (table: 'workshop' | 'workshop_actor' | 'workshop_cluster' | 'actor') =>
  Number((await platform.database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);

// Functions, not strings: the page's CSP forbids evaluating strings.
const waitForCount = (page: Page, selector: string, n: number) =>
  page.waitForFunction(([s, count]) => document.querySelectorAll(s as string).length === count, [selector, n] as const, { timeout: WAIT_MS });
const waitForText = (page: Page, id: string, text: string) =>
  page.waitForFunction(([i, t]) => document.getElementById(i)?.textContent === t, [id, text] as const, { timeout: WAIT_MS });
const waitForAttribute = (page: Page, selector: string, name: string, value: string, equal = true) =>
  page.waitForFunction(([s, n, v, e]) => (document.querySelector(s as string)?.getAttribute(n as string) === v) === e, [selector, name, value, equal] as const, { timeout: WAIT_MS });

async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async (timeoutMs) => {
    const deadline = new Promise((_, reject) => setTimeout(() => reject(new Error('service worker not ready')), timeoutMs));
    await Promise.race([navigator.serviceWorker.ready, deadline]);
    if (!navigator.serviceWorker.controller) {
      await Promise.race([new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })), deadline]);
    }
  }, WAIT_MS);
}

/** Presses + on a counter until it shows `target`, waiting for each press to be kept. */
async function pressPlus(page: Page, counterId: string, target: number): Promise<void> {
  for (;;) {
    const shown = Number(await page.locator(`#${counterId}-count`).innerText());
    if (shown >= target) return;
    await page.locator(`#${counterId}-plus`).click();
    await waitForText(page, `${counterId}-count`, String(shown + 1));
  }
}

const actorIdByName = (page: Page, name: string) => page.locator('#ws-actor-table tbody tr', { hasText: name }).getAttribute('data-actor');

describe('the workshop mode /workshop', () => {
  it('builds a poster offline, keeps it over an offline reload, and syncs it once as a workshop wave', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 1000 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));

    // Online: sign in on the page itself; the registry is downloaded and the page cached.
    await page.goto(`${baseUrl}/workshop?lang=de`);
    await page.locator('#login-email').fill(facilitator.email);
    await page.locator('#login-password').fill(facilitator.password);
    await page.locator('form.login-form button[type=submit]').click();
    await page.locator('#ws-new').waitFor();
    expect(await page.locator('#ws-registry').innerText()).toContain('3 Akteure');
    await waitForServiceWorker(page);
    expect(await axeViolations(page)).toEqual([]);

    await context.setOffline(true);
    await page.reload();
    await page.locator('#ws-new').waitFor();
    expect(await page.locator('#ws-connection').innerText()).toContain('Keine Verbindung');

    // The workshop, from the key actor picked in the registry.
    await page.locator('#ws-name').fill('Workshop März 2026');
    await page.locator('#ws-date').fill('2026-03-12');
    await page.locator('#ws-topic').fill('Ankommen im Ort');
    await page.locator('#ws-key').selectOption(registry.town!);
    await page.locator('#ws-start').click();
    await page.locator('#poster').waitFor();

    // Actors: one from the registry, two new ones.
    await page.locator('#ws-existing').selectOption(registry.club!);
    await page.locator('#ws-add-existing').click();
    await waitForCount(page, '#poster [data-actor]', 2);
    for (const [name, kind] of [
      ['Sprachcafé Bücherei', 'initiative'],
      ['Moscheegemeinde', 'religious_community'],
    ] as const) {
      const before = await page.locator('#poster [data-actor]').count();
      await page.locator('#ws-new-name').fill(name);
      await page.locator('#ws-new-kind').selectOption(kind);
      await page.locator('#ws-add-new').click();
      await waitForCount(page, '#poster [data-actor]', before + 1);
    }
    const cafe = (await actorIdByName(page, 'Sprachcafé Bücherei'))!;
    const mosque = (await actorIdByName(page, 'Moscheegemeinde'))!;

    // Three ties; a self-tie is refused on the tablet already.
    const drawTie = async (from: string, to: string, kind: string, frequency = '') => {
      await page.locator('#ws-tie-from').selectOption(from);
      await page.locator('#ws-tie-to').selectOption(to);
      await page.locator('#ws-tie-kind').selectOption(kind);
      await page.locator('#ws-tie-frequency').selectOption(frequency);
      await page.locator('#ws-add-tie').click();
    };
    for (const [index, [from, to, kind, frequency]] of ([
      [registry.town!, cafe, 'funding', 'several_times_a_year'],
      [cafe, registry.club!, 'shared_premises', ''],
      [mosque, cafe, 'joint_projects', 'monthly'],
    ] as const).entries()) {
      await drawTie(from, to, kind, frequency);
      await waitForCount(page, '#ws-tie-list li', index + 1);
    }
    await drawTie(cafe, cafe, 'information');
    await page.locator('#ws-tie-error', { hasText: 'zwei verschiedene Akteure' }).waitFor();
    await drawTie(cafe, mosque, 'joint_projects');
    await page.locator('#ws-tie-error', { hasText: 'schon eingezeichnet' }).waitFor();
    expect(await page.locator('#ws-tie-list li').count()).toBe(3);

    // A cluster: the café by the select (keyboard way), the club dragged onto the cluster's frame.
    await page.locator('#ws-cluster-name').fill('Begegnung');
    await page.locator('#ws-add-cluster').click();
    await page.locator('#ws-cluster-list li').waitFor();
    await page.locator(`#ws-cluster-of-${cafe}`).selectOption({ label: 'Begegnung' });
    await page.locator('#poster .poster-frames [data-cluster]').waitFor();
    // The whole poster in view: the mouse only reaches what is on the screen.
    await page.locator('#poster').evaluate((poster) => poster.scrollIntoView({ block: 'start' }));
    const frame = (await page.locator('#poster .poster-frames [data-cluster] rect').boundingBox())!;
    const club = (await page.locator(`#poster [data-actor="${registry.club}"] circle`).boundingBox())!;
    await page.mouse.move(club.x + club.width / 2, club.y + club.height / 2);
    await page.mouse.down();
    await page.mouse.move(frame.x + frame.width / 2 + 5, frame.y + frame.height / 2 + 5, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((id) => (document.getElementById(id) as HTMLSelectElement | null)?.selectedOptions[0]?.textContent === 'Begegnung', `ws-cluster-of-${registry.club}`, { timeout: WAIT_MS });
    // And the arrow keys move a focused actor.
    const mosqueBefore = await page.locator(`#poster [data-actor="${mosque}"]`).getAttribute('transform');
    await page.locator(`#poster [data-actor="${mosque}"]`).focus();
    await page.keyboard.press('ArrowLeft');
    await waitForAttribute(page, `#poster [data-actor="${mosque}"]`, 'transform', mosqueBefore!, false);

    // Dot votes: on actors and on the cluster.
    // By keyboard: Enter on the focused +, and the focus stays there after the redraw.
    await page.locator(`#ws-dots-${registry.town}-plus`).focus();
    await page.keyboard.press('Enter');
    await waitForText(page, `ws-dots-${registry.town}-count`, '1');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`ws-dots-${registry.town}-plus`);
    await pressPlus(page, `ws-dots-${cafe}`, 3);
    await pressPlus(page, `ws-dots-${mosque}`, 2);
    const clusterId = (await page.locator('#ws-cluster-list li').getAttribute('data-cluster'))!;
    await pressPlus(page, `ws-cdots-${clusterId}`, 4);
    // One − after one + too many.
    await page.locator(`#ws-dots-${mosque}-plus`).click();
    await waitForText(page, `ws-dots-${mosque}-count`, '3');
    await page.locator(`#ws-dots-${mosque}-minus`).click();
    await waitForText(page, `ws-dots-${mosque}-count`, '2');
    expect(await axeViolations(page)).toEqual([]);

    // An offline reload keeps the poster.
    await page.reload();
    await page.locator('#poster').waitFor();
    expect(await page.locator('#poster [data-actor]').count()).toBe(4);
    expect(await page.locator('#poster').textContent()).toContain('Moscheegemeinde');
    expect(await page.locator(`#ws-dots-${cafe}-count`).innerText()).toBe('3');
    expect(await page.locator('#ws-tie-list li').count()).toBe(3);

    // Finished offline: it waits on the tablet, nothing has reached the server.
    await page.locator('#ws-finish').click();
    await waitForAttribute(page, '#ws-waiting', 'data-waiting', '1');
    expect(await count('workshop')).toBe(0);
    expect(await page.locator('#ws-add-tie').count()).toBe(0);

    await context.setOffline(false);
    await page.locator('#ws-sync:not([disabled])').click();
    await waitForAttribute(page, '#ws-waiting', 'data-waiting', '0');
    await waitForAttribute(page, '#ws-state', 'data-state', 'synced');
    const afterFirst = { workshops: await count('workshop'), onPoster: await count('workshop_actor'), clusters: await count('workshop_cluster'), actors: await count('actor') };
    expect(afterFirst).toEqual({ workshops: 1, onPoster: 4, clusters: 1, actors: 5 });

    // Sent again: pressing once more, and the tablet's request repeated as after a lost answer.
    await page.locator('#ws-sync:not([disabled])').click();
    await page.locator('#ws-sync:not([disabled])').waitFor();
    const replay = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('vielstimmig-workshop');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const workshops = await new Promise<Record<string, unknown>[]>((resolve) => {
        const request = db.transaction('workshops').objectStore('workshops').getAll();
        request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
      });
      db.close();
      const w = workshops[0] as { id: string; name: string; heldOn: string; topic: string | null; fieldOfAction: string | null; keyActorId: string; clusters: { id: string; name: string; dots: number }[]; actors: { id: string; isNew: boolean; name: string; kind: string; fieldsOfAction: string[]; x: number; y: number; clusterId: string | null; dots: number }[]; ties: { from: string; to: string; kind: string; frequency: string | null }[] };
      const body = {
        id: w.id,
        name: w.name,
        heldOn: w.heldOn,
        topic: w.topic,
        fieldOfAction: w.fieldOfAction,
        keyActorId: w.keyActorId,
        clusters: w.clusters.map((c) => ({ id: c.id, name: c.name, dots: c.dots })),
        actors: w.actors.map((a) => ({ id: a.id, ...(a.isNew ? { new: { name: a.name, kind: a.kind, fieldsOfAction: a.fieldsOfAction } } : {}), x: a.x, y: a.y, clusterId: a.clusterId, dots: a.dots })),
        ties: w.ties.map((t) => ({ from: t.from, to: t.to, kind: t.kind, frequency: t.frequency })),
      };
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/workshops/sync', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as { status: string } };
    });
    expect({ status: replay.status, answer: replay.body.status }).toEqual({ status: 200, answer: 'duplicate' });
    expect({ workshops: await count('workshop'), onPoster: await count('workshop_actor'), clusters: await count('workshop_cluster'), actors: await count('actor') }).toEqual(afterFirst);

    // Through the API: the wave's actors, ties, cluster and dots, stored once.
    const list = (await (await platform.app.request('/api/workshops', { headers: analyst.headers() })).json()) as { workshops: { id: string; name: string }[] };
    expect(list.workshops.map((w) => w.name)).toEqual(['Workshop März 2026']);
    const detail = (
      (await (await platform.app.request(`/api/workshops/${list.workshops[0]!.id}`, { headers: analyst.headers() })).json()) as {
        workshop: { heldOn: string; topic: string; keyActorId: string; actors: { id: string; name: string; dots: number; clusterId: string | null; addedHere: boolean }[]; clusters: { name: string; dots: number; actorIds: string[] }[]; ties: { from: string; to: string; kind: string; frequency: string | null }[] };
      }
    ).workshop;
    expect({ heldOn: detail.heldOn, topic: detail.topic, keyActorId: detail.keyActorId }).toEqual({ heldOn: '2026-03-12', topic: 'Ankommen im Ort', keyActorId: registry.town });
    expect(Object.fromEntries(detail.actors.map((a) => [a.name, { dots: a.dots, addedHere: a.addedHere }]))).toEqual({
      Gemeindeverwaltung: { dots: 1, addedHere: false },
      'TSV Worfelden': { dots: 0, addedHere: false },
      'Sprachcafé Bücherei': { dots: 3, addedHere: true },
      Moscheegemeinde: { dots: 2, addedHere: true },
    });
    expect(detail.clusters.map((c) => ({ name: c.name, dots: c.dots, members: [...c.actorIds].sort() }))).toEqual([{ name: 'Begegnung', dots: 4, members: [registry.club!, cafe].sort() }]);
    expect(detail.ties.map((tie) => `${tie.from}|${tie.to}|${tie.kind}|${tie.frequency}`).sort()).toEqual(
      [`${registry.town}|${cafe}|funding|several_times_a_year`, `${cafe}|${registry.club}|shared_premises|null`, `${mosque}|${cafe}|joint_projects|monthly`].sort(),
    );
    // The wave in the network: alone, and beside the rest.
    const wave = (await (await platform.app.request(`/api/analysis/network?wave=${encodeURIComponent('Workshop März 2026')}`, { headers: analyst.headers() })).json()) as { nodes: { name: string }[]; edges: unknown[] };
    expect(wave.nodes.map((n) => n.name).sort()).toEqual(['Gemeindeverwaltung', 'Moscheegemeinde', 'Sprachcafé Bücherei', 'TSV Worfelden']);
    expect(wave.edges).toHaveLength(3);
    const ties = await platform.database.db.selectFrom('actor_tie').select(['source', 'workshop_wave']).execute();
    expect(ties).toEqual([
      { source: 'workshop', workshop_wave: 'Workshop März 2026' },
      { source: 'workshop', workshop_wave: 'Workshop März 2026' },
      { source: 'workshop', workshop_wave: 'Workshop März 2026' },
    ]);
    await context.close();

    // The dashboard: the wave alone on the map, with its clusters and dot votes.
    const staff = { email: 'workshop.analyst@example.org', password: 'workshop-analyst-e2e-2026' };
    await createAccount(platform.database.db, { ...staff, role: 'analyst' });
    const dashboard = await browser.newContext({ locale: 'de-DE' });
    dashboard.setDefaultTimeout(WAIT_MS);
    const view = await dashboard.newPage();
    await view.goto(`${baseUrl}/analysis?lang=de#network`);
    await view.locator('#login-email').fill(staff.email);
    await view.locator('#login-password').fill(staff.password);
    await view.locator('form.login-form button[type=submit]').click();
    await view.locator('#network-source').waitFor();
    await view.locator('#network-source').selectOption({ label: 'Workshop: Workshop März 2026 (12.03.2026)' });
    await view.locator('#network-workshop-clusters li').waitFor();
    expect(await view.locator('#network-workshop-clusters').innerText()).toContain('Begegnung – Punkte: 4');
    expect(await view.locator('#network-workshop-dots li').allInnerTexts()).toEqual(['Sprachcafé Bücherei – Punkte: 3', 'Moscheegemeinde – Punkte: 2', 'Gemeindeverwaltung – Punkte: 1']);
    await view.waitForFunction(() => /^4 Akteure/.test(document.querySelector('.network-summary')?.textContent ?? ''), undefined, { timeout: WAIT_MS });
    expect(await axeViolations(view)).toEqual([]);
    await dashboard.close();
  });
});
