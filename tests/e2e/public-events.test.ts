import { randomUUID } from 'node:crypto';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The public event pages /events and /events/<slug>: list, registration without an account, the
// published closing report, Arabic right-to-left, and no person's details or exact seat count.
const WAIT_MS = 20_000;
const HOUR = 3600 * 1000;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

async function addEvent(slug: string, startsAt: number, extra: { capacity?: number | null; title?: Record<string, string>; status?: 'published' | 'closed' } = {}) {
  const id = randomUUID();
  await platform.database.db
    .insertInto('event')
    .values({
      id,
      slug,
      format: 'beteiligungscafe',
      title: JSON.stringify(extra.title ?? { de: `Café ${slug}`, ar: `مقهى ${slug}` }),
      description: JSON.stringify({ de: 'Wir reden über den Marktplatz.' }),
      place_name: 'Bürgerhaus',
      place_address: 'Marktstraße 1',
      step_free: true,
      hearing_loop: false,
      accessible_toilet: true,
      accessibility_notes: '{}',
      starts_at: new Date(startsAt).toISOString(),
      ends_at: new Date(startsAt + 3 * HOUR).toISOString(),
      capacity: extra.capacity === undefined ? 3 : extra.capacity,
      registration_deadline: null,
      languages: '["de","ar"]',
      interpretation: '["ar","tr"]',
      status: extra.status ?? 'published',
    })
    .execute();
  return id;
}

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['events.html'], platform: { surveysDir: FIXTURE_SURVEYS_DIR } }));
  await addEvent('cafe-markt', Date.now() + 5 * 24 * HOUR);
  await addEvent('cafe-entwurf', Date.now() + 6 * 24 * HOUR);
  await platform.database.db.updateTable('event').set({ status: 'draft' }).where('slug', '=', 'cafe-entwurf').execute();
  const past = await addEvent('cafe-vorbei', Date.now() - 10 * 24 * HOUR, { status: 'closed' });
  await platform.database.db
    .insertInto('event_report')
    .values({ event_id: past, attendees_count: 27, organisations: JSON.stringify(['Moscheeverein', 'Jugendzentrum']), results: JSON.stringify({ de: 'Mehr Bänke am Markt.', ar: 'مقاعد أكثر في السوق.' }), published: true })
    .execute();
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

async function open(path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

describe('public event pages', () => {
  it('lists upcoming events and documented earlier ones, never drafts, with a coarse seat status', async () => {
    const page = await open('/events?lang=de');
    await page.locator('#upcoming-events').waitFor({ timeout: WAIT_MS });
    const upcoming = await page.locator('#upcoming-events').innerText();
    expect(upcoming).toContain('Café cafe-markt');
    expect(upcoming).toContain('Plätze frei');
    expect(await page.locator('#documented-events').innerText()).toContain('Café cafe-vorbei');
    expect(await page.locator('main').innerText()).not.toContain('cafe-entwurf');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#upcoming-events a').first().click();
    await page.locator('#register-form').waitFor({ timeout: WAIT_MS });
    expect(new URL(page.url()).pathname).toBe('/events/cafe-markt');
  });

  it('registers without an account; as seats fill the page says "few", then "full", never a number', async () => {
    const page = await open('/events/cafe-markt?lang=de');
    await page.locator('#register-form').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#register-submit').click();
    await page.locator('#register-problem >> text=Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.').waitFor({ timeout: WAIT_MS });
    await page.locator('#register-email').fill('lea@example.org');
    await page.locator('#register-submit').click();
    await page.locator('#register-problem >> text=Bitte stimmen Sie zu, damit wir Ihre Anmeldung speichern dürfen.').waitFor({ timeout: WAIT_MS });
    await page.locator('#register-childcare').check();
    await page.locator('#register-consent').check();
    await page.locator('#register-submit').click();
    await page.locator('#register-done >> text=Sie sind angemeldet.').waitFor({ timeout: WAIT_MS });
    const row = await platform.database.db.selectFrom('event_registration').select(['email', 'status', 'needs', 'locale']).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: 'lea@example.org', status: 'confirmed', locale: 'de', needs: { childcare: true } });

    const statusOf = async () => {
      const again = await open('/events/cafe-markt?lang=de');
      await again.locator('.event-status').waitFor({ timeout: WAIT_MS });
      const text = await again.locator('main').innerText();
      expect(text).not.toContain('lea@example.org');
      return again.locator('.event-status').innerText();
    };
    expect(await statusOf()).toBe('Nur noch wenige Plätze frei');
    for (const email of ['b@example.org', 'c@example.org']) {
      const response = await platform.app.request('/api/events/public/cafe-markt/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: 'de', consent: true, email }) });
      expect(response.status).toBe(201);
    }
    expect(await statusOf()).toBe('Ausgebucht – Sie können sich auf die Warteliste setzen');
  });

  it('shows the published closing report in Arabic, right-to-left, with counts and organisations only', async () => {
    const page = await open('/events/cafe-vorbei?lang=ar');
    await page.locator('#event-report').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('h1').innerText()).toBe('مقهى cafe-vorbei');
    expect(await page.locator('#report-attendees').innerText()).toBe('عدد الحاضرين: 27');
    expect(await page.locator('#event-report').innerText()).toContain('مقاعد أكثر في السوق.');
    expect(await page.locator('#report-organisations li').allInnerTexts()).toEqual(['Moscheeverein', 'Jugendzentrum']);
    // Closed: no registration form, the status says so.
    expect(await page.locator('#register-form').count()).toBe(0);
    expect(await page.locator('.event-status').innerText()).toBe('التسجيل مغلق');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('an unknown or draft event gets the localised "not found"', async () => {
    const page = await open('/events/cafe-entwurf?lang=tr');
    await page.locator('text=Bu etkinlik yok (artık).').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
  });
});
