import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { messageResources } from '../../api/src/i18n/messages.ts';
import type { Locale } from '../../api/src/shared/locales.ts';
import { analysisDataset, DATASET_SLUG } from '../support/analysis-dataset.ts';
import { insertResponses } from '../support/insert-responses.ts';
import { loginAsDemo } from '../support/staff-session.ts';
import { REPO_ROOT, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The whole way back to the town, in a real browser: an admin chooses tables at /admin (learning
// first that a table with nothing to show cannot be published), writes the texts (German required,
// Farsi and Leichte Sprache as drafts), looks at the preview, publishes, later replaces it on
// request, and edits a measure with a dated update; residents then find the results and the measure
// on the public page and on the survey's start page in German, Leichte Sprache and Farsi. axe
// checks the new admin views and the start page.

const WAIT_MS = 20_000;
const admin = demoAccounts.find((account) => account.role === 'admin')!;
type RespondStrings = { results: { link: string }; measures: { heading: string; statuses: Record<string, string> }; involve: { topics: Record<string, string> } };
const bundle = <T>(namespace: string, locale: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, `frontend/src/i18n/${namespace}/${locale}.json`), 'utf8')) as T;
const RESPOND: Record<string, RespondStrings> = Object.fromEntries(['de', 'de-x-easy', 'fa'].map((locale) => [locale, bundle<RespondStrings>('respond', locale)]));
const adminResultsDe = bundle<{ text: Record<string, string>; snapshots: Record<string, string>; status: Record<string, string> }>('admin-results', 'de');
const MEASURE_TITLE = { de: 'Sprachcafé im Bürgerhaus', fa: 'کافهٔ زبان در خانهٔ شهروندان' };
const TEXTS = { de: 'Viele möchten mitmachen.', 'de-x-easy': 'Viele wollen mit·machen.', fa: 'بسیاری می‌خواهند مشارکت کنند.' };
const UPDATE = { de: 'Der erste Termin ist im Januar.', fa: 'نخستین نشست در ژانویه است.' };

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
let measureId: string;

function message(locale: Locale, key: string): string {
  let node: unknown = messageResources[locale].translation;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node as string;
}

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({
    pages: ['admin.html', 'respond.html'],
    platform: { surveysDir: path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys') },
  }));
  const session = await loginAsDemo(platform.app, 'admin');
  const created = await platform.app.request('/api/admin/measures', {
    method: 'POST',
    headers: session.writeHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify({ fieldOfAction: 'language_education', title: MEASURE_TITLE, status: 'proposed', surveySlug: DATASET_SLUG }),
  });
  expect(created.status).toBe(201);
  ({ id: measureId } = (await created.json()) as { id: string });
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

async function signIn(page: Page, section: string) {
  await page.goto(`${baseUrl}/admin?lang=de#${section}`);
  await page.locator('#login-email').fill(admin.email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(admin.password);
  await page.locator('form.login-form button[type=submit]').click();
}

const item = (page: Page, key: string) => page.locator(`#snapshot-candidates li[data-key="${key}"]`);
const textBlock = (page: Page, key: string) => page.locator(`fieldset.snapshot-text[data-key="${key}"]`);

/** Chooses tables, writes the German text and the drafts, and makes the preview. */
async function makeDraft(page: Page, keys: string[]) {
  for (const key of keys) await item(page, key).locator('input[type=checkbox]').check();
  for (const key of keys) {
    const block = textBlock(page, key);
    await block.locator('textarea[lang="de"]').fill(TEXTS.de);
    await block.locator('summary').click();
    await block.locator('textarea[lang="de-x-easy"]').fill(TEXTS['de-x-easy']);
    await block.locator('textarea[lang="fa"]').fill(TEXTS.fa);
  }
  await page.locator('#snapshot-create').click();
  await page.locator('#snapshot-preview-section').waitFor({ timeout: WAIT_MS });
}

describe('publishing results at /admin', () => {
  it('explains what cannot be published, requires German, previews with small cells in words, publishes and replaces on request; axe clean', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signIn(page, 'results');
      // No answers yet: the table would show nothing but "too few answers", and the page says so beside it.
      await item(page, 'participation_wish').waitFor({ timeout: WAIT_MS });
      expect(await item(page, 'participation_wish').locator('.field-error').innerText()).toBe(message('de', 'results.errors.only_suppressed'));
      // Free text is never published: its box cannot be ticked, and the reason stands beside it.
      expect(await item(page, 'improvement_ideas').locator('input').isDisabled()).toBe(true);
      expect(await item(page, 'improvement_ideas').innerText()).toContain(message('de', 'results.errors.not_publishable'));

      await insertResponses(platform.database.db, analysisDataset());
      await page.locator('#snapshot-by-district').check();
      await item(page, 'participation_wish').locator('input').waitFor({ timeout: WAIT_MS });
      await expect.poll(() => item(page, 'participation_wish').locator('.field-error').count(), { timeout: WAIT_MS }).toBe(0);

      // German missing: said at the German field of that table, nothing is made.
      await item(page, 'participation_wish').locator('input').check();
      await item(page, 'children').locator('input').check();
      await textBlock(page, 'children').locator('textarea[lang="de"]').fill(TEXTS.de);
      await page.locator('#snapshot-create').click();
      const german = textBlock(page, 'participation_wish').locator('textarea[lang="de"]');
      expect(await german.getAttribute('aria-invalid')).toBe('true');
      const errorId = (await german.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe(adminResultsDe.text.germanRequired);
      expect(await page.locator('#snapshot-preview-section').count()).toBe(0);
      await item(page, 'children').locator('input').uncheck();

      await makeDraft(page, ['participation_wish', 'living_together.feel_welcome']);
      const preview = page.locator('#snapshot-preview-section');
      expect(await preview.locator('table').count()).toBe(2);
      // Worfelden is small: some of its cells read "too few answers", in words.
      expect(await preview.locator('td.too-few').count()).toBeGreaterThan(0);
      expect(await preview.locator('td.too-few').first().innerText()).toBe(adminResultsDe.snapshots.tooFew);
      // The drafts are shown as drafts.
      expect(await preview.innerText()).toContain(adminResultsDe.text.draftsIn);
      expect(await axeViolations(page)).toEqual([]);

      await page.locator('#snapshot-publish').click();
      await page.locator('#snapshot-public-link').waitFor({ timeout: WAIT_MS });
      await expect.poll(() => page.locator('#snapshot-table tbody tr[data-status="published"]').count(), { timeout: WAIT_MS }).toBe(1);

      // A second snapshot replaces the first only when the admin says so; the first stays listed and linked.
      await makeDraft(page, ['participation_wish']);
      await page.locator('#snapshot-publish').click();
      expect(await page.locator('#snapshot-replace-error').innerText()).toBe(adminResultsDe.snapshots.replaceRequired);
      await page.locator('#snapshot-replace').check();
      await page.locator('#snapshot-publish').click();
      await page.locator('#snapshot-public-link').waitFor({ timeout: WAIT_MS });
      await expect.poll(() => page.locator('#snapshot-table tbody tr[data-status="published"]').count(), { timeout: WAIT_MS }).toBe(2);
      const links = await page.locator('#snapshot-table tbody tr[data-status="published"] a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
      expect(links[0]).toBe(`/results/${DATASET_SLUG}`);
      expect(links[1]).toMatch(new RegExp(`^/results/${DATASET_SLUG}\\?snapshot=[0-9a-f-]{36}$`));
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('edits a measure (status, the result it answers) and adds a dated update; axe clean', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signIn(page, 'measures');
      const row = page.locator(`#measure-list tr[data-id="${measureId}"]`);
      await row.waitFor({ timeout: WAIT_MS });
      expect(await axeViolations(page)).toEqual([]);
      await row.locator('button[data-action="edit"]').click();
      expect(await page.locator('#measure-form input[lang="de"]').first().inputValue()).toBe(MEASURE_TITLE.de);
      await page.locator('#measure-status').selectOption('decided');
      await page.locator('#measure-results input[value="participation_wish"]').check({ timeout: WAIT_MS });
      await page.locator('#measure-save').click();
      await expect.poll(() => page.locator('#measures-status').innerText(), { timeout: WAIT_MS }).toContain(MEASURE_TITLE.de);

      await page.locator(`#measure-list tr[data-id="${measureId}"] button[data-action="update"]`).click();
      // Without German the update is refused at the field.
      await page.locator('#measure-update-save').click();
      expect(await page.locator('#measure-update-text-de').getAttribute('aria-invalid')).toBe('true');
      await page.locator('#measure-update-date').fill('2026-12-01');
      await page.locator('#measure-update-status').selectOption('in_progress');
      await page.locator('#measure-update-text-de').fill(UPDATE.de);
      await page.locator('#measure-update-form summary').click();
      await page.locator('#measure-update-text-fa').fill(UPDATE.fa);
      await page.locator('#measure-update-save').click();
      await expect.poll(() => page.locator(`#measure-list tr[data-id="${measureId}"]`).innerText(), { timeout: WAIT_MS }).toContain(UPDATE.de);
      expect(await page.locator(`#measure-list tr[data-id="${measureId}"] td`).first().innerText()).toBe(adminResultsDe.status.in_progress);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const stored = await platform.database.db.selectFrom('measure').select(['status', 'result_keys']).where('id', '=', measureId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'in_progress', result_keys: ['participation_wish'] });
  });
});

describe('residents find it', () => {
  it.each(['de', 'de-x-easy', 'fa'] as const)('%s: the public page shows the texts and the measure; the start page links to it and lists the measure; axe clean', async (locale) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/results/${DATASET_SLUG}?lang=${locale}`);
      const results = await page.locator('main').innerText();
      expect(results).toContain(TEXTS[locale]);
      expect(results).toContain(message(locale, `results.status.in_progress`));
      expect(results).toContain(locale === 'fa' ? MEASURE_TITLE.fa : MEASURE_TITLE.de);
      expect(results).toContain(locale === 'fa' ? UPDATE.fa : UPDATE.de);

      await page.goto(`${baseUrl}/s/${DATASET_SLUG}?lang=${locale}`);
      await page.locator('#welcome-heading').waitFor({ state: 'visible', timeout: WAIT_MS });
      expect(await page.locator('html').getAttribute('dir')).toBe(locale === 'fa' ? 'rtl' : 'ltr');
      const link = page.locator('#welcome-results-link');
      await link.waitFor({ state: 'visible', timeout: WAIT_MS });
      expect(await link.getAttribute('href')).toBe(`/results/${DATASET_SLUG}?lang=${locale}`);
      expect(await link.innerText()).toBe(RESPOND[locale]!.results.link);
      // The thank-you page carries the same link (shown after sending).
      expect(await page.locator('#thanks-results-link').getAttribute('href')).toBe(`/results/${DATASET_SLUG}?lang=${locale}`);
      const measures = page.locator('#welcome-measures');
      await measures.waitFor({ state: 'visible', timeout: WAIT_MS });
      const text = await measures.innerText();
      expect(text).toContain(RESPOND[locale]!.measures.heading);
      expect(text).toContain(RESPOND[locale]!.measures.statuses.in_progress);
      expect(text).toContain(RESPOND[locale]!.involve.topics.language_education);
      // Farsi has its own (draft) title; Leichte Sprache has none and shows the German one, marked as German.
      if (locale === 'fa') expect(text).toContain(MEASURE_TITLE.fa);
      else expect(await measures.locator('h3').first().innerText()).toBe(MEASURE_TITLE.de);
      if (locale === 'de-x-easy') expect(await measures.locator('h3').first().getAttribute('lang')).toBe('de');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
