import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createAccount } from '../../api/src/auth/index.ts';
import { allQuestions } from '../../api/src/surveys/content-rules/texts.ts';
import { REAL_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// A real town sets itself up in a real browser, on a server started as a town starts it
// (SEED_DEMO=false: no district, no account, no settings): the first admin exists as the command
// line makes it, everything else happens at /admin; a resident then sees the town's name.
const WAIT_MS = 20_000;
const admin = { email: 'it@musterstadt.example', password: 'erste-admin-2026' };
const analyst = { email: 'a.analyse@musterstadt.example', password: 'analyse-passwort-2026' };

// Three districts as a statistics office delivers them: semicolons, BOM, totals and both margins.
const DISTRICTS_CSV = `\uFEFFdistrict;age_band;gender;count
Nord;;;1200
Nord;16-20;;60
Nord;21-29;;140
Nord;30-44;;250
Nord;45-64;;330
Nord;65-74;;120
Nord;75+;;100
Nord;;female;505
Nord;;male;490
Nord;;diverse;5
Süd-Ost;;;800
Süd-Ost;16-20;;40
Süd-Ost;30-44;;300
Süd-Ost;45-64;;300
Süd-Ost;;female;330
Süd-Ost;;male;310
Altstadt;;;500
Altstadt;21-29;;200
Altstadt;65-74;;200
Altstadt;;female;210
Altstadt;;male;190
`;
// The same file with one line wrong: the preview names the line and nothing can be imported.
const BROKEN_CSV = DISTRICTS_CSV.replace('Nord;75+;;100', 'Nord;80+;;100');

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({
    pages: ['admin.html', 'set-password.html', 'respond.html', 'index.html', 'analysis.html'],
    platform: { config: { seedDemo: false } },
  }));
  // What `npm run user:create -- --role admin` does (the CLI itself has its own test).
  await createAccount(platform.database.db, { ...admin, role: 'admin' });
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

async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.locator('#login-email').fill(account.email, { timeout: WAIT_MS });
  await page.locator('#login-password').fill(account.password);
  await page.locator('form.login-form button[type=submit]').click();
}

const csvFile = (text: string) => ({ name: 'einwohner.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

describe('a town sets itself up at /admin', () => {
  it('admin signs in, sets the town, imports districts, invites an analyst and an interviewer, opens the instruments; a resident sees the town and submits', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseUrl}/admin?lang=de`);
    await page.locator('#login-email').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await signIn(page, admin);

    // Not set up: the banner says why surveys cannot open; the town form is the first section.
    await page.locator('#not-set-up').waitFor({ timeout: WAIT_MS });
    await page.locator('#town-form').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // A bad value is answered next to its field and nothing is saved.
    await page.locator('#town-name-default').fill('Musterstadt');
    await page.locator('#town-name-en').fill('Sample Town');
    await page.locator('#town-dataProtection-name').fill('Erika Muster');
    await page.locator('#town-dataProtection-email').fill('kein-at-zeichen');
    await page.locator('#town-answersDeletedBy').fill('2030-12-31');
    await page.locator('#town-contactsDeletedBy').fill('2030-06-30');
    await page.locator('#town-form button[type=submit]').click();
    const emailError = page.locator('#town-dataProtection-email-error');
    await emailError.filter({ hasText: /.+/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#town-dataProtection-email').getAttribute('aria-invalid')).toBe('true');
    expect(((await (await page.request.get(`${baseUrl}/api/town`)).json()) as { configured: boolean }).configured).toBe(false);
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#town-dataProtection-email').fill('datenschutz@musterstadt.example');
    await page.locator('#town-dataProtection-phone').fill('+49 6000 123-4');
    await page.locator('#town-imprintUrl').fill('https://musterstadt.example/impressum');
    await page.locator('#town-form button[type=submit]').click();
    await page.locator('#town-status').filter({ hasText: /gespeichert/ }).waitFor({ timeout: WAIT_MS });
    await page.locator('#not-set-up').waitFor({ state: 'detached', timeout: WAIT_MS });
    // Deletion dates years away are no warning (those come 30 and 7 days before).
    expect(await page.locator('#admin-banners .notice').count()).toBe(0);
    expect(await emailError.innerText()).toBe('');

    // Districts from the statistics office's CSV: a broken file shows its line, a clean one imports.
    await page.locator('nav a[href="#districts"]').click();
    await page.locator('#import-form').waitFor({ timeout: WAIT_MS });
    await page.locator('#import-file').setInputFiles(csvFile(BROKEN_CSV));
    await page.locator('#import-preview').click();
    await page.locator('#import-problems').waitFor({ timeout: WAIT_MS });
    const problemRows = await page.locator('#import-problems tbody tr').allInnerTexts();
    expect(problemRows.find((row) => row.startsWith('8\t')), problemRows.join('\n')).toContain('80+');
    expect(await page.locator('#import-confirm').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('#import-file').setInputFiles(csvFile(DISTRICTS_CSV));
    await page.locator('#import-year').fill('2025');
    await page.locator('#import-source').fill('Melderegister');
    await page.locator('#import-preview').click();
    await page.locator('#import-preview-table').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#import-preview-table tbody tr').count()).toBe(3);
    // Previewing saved nothing.
    expect(await page.locator('#district-table').count()).toBe(0);
    await page.locator('#import-confirm').click();
    await page.locator('#district-table tbody tr').nth(2).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#import-result').innerText()).toContain('3 neu');
    const rows = await page.locator('#district-table tbody tr').allInnerTexts();
    expect(rows.map((row) => row.split('\t')[0])).toEqual(['nord', 'sued-ost', 'altstadt']);
    expect(rows[0]).toContain('1200');
    expect(rows[0]).toContain('Melderegister');
    expect(await axeViolations(page)).toEqual([]);

    // An analyst account: the one-time link is shown once; the analyst sets a password with it.
    await page.locator('nav a[href="#accounts"]').click();
    await page.locator('#invite-form').waitFor({ timeout: WAIT_MS });
    await page.locator('#invite-email').fill(analyst.email);
    await page.locator('#invite-role').selectOption('analyst');
    await page.locator('#invite-form button[type=submit]').click();
    const link = await page.locator('#setup-link').inputValue({ timeout: WAIT_MS });
    expect(link).toMatch(new RegExp(`^${baseUrl}/admin/set-password#token=[A-Za-z0-9_-]{40,}$`));
    await page.locator(`#account-table tr[data-email="${analyst.email}"]`).waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    // And an interviewer (its link would be handed over the same way).
    await page.locator('#invite-email').fill('interview@musterstadt.example');
    await page.locator('#invite-displayName').fill('Ayşe Yılmaz');
    await page.locator('#invite-role').selectOption('interviewer');
    await page.locator('#invite-form button[type=submit]').click();
    await page.locator('#account-table tr[data-email="interview@musterstadt.example"]').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#setup-link-panel').innerText()).toContain('interview@musterstadt.example');

    const analystContext = await browser.newContext();
    const analystPage = await analystContext.newPage();
    await analystPage.goto(link.replace('/admin/set-password#', '/admin/set-password?lang=en#'));
    await analystPage.locator('#new-password').waitFor({ timeout: WAIT_MS });
    expect(analystPage.url()).not.toContain('token=');
    expect(await axeViolations(analystPage)).toEqual([]);
    // Too short: the page says the rule in English before anything is sent.
    await analystPage.locator('#new-password').fill('kurz');
    await analystPage.locator('#repeat-password').fill('kurz');
    await analystPage.locator('#set-password-form button[type=submit]').click();
    expect(await analystPage.locator('#new-password-error').innerText()).toBe('The password needs at least 12 characters.');
    await analystPage.locator('#new-password').fill(analyst.password);
    await analystPage.locator('#repeat-password').fill(analyst.password);
    await analystPage.locator('#set-password-form button[type=submit]').click();
    await analystPage.locator('#set-password-done').waitFor({ timeout: WAIT_MS });
    // The analyst signs in at /analysis, the analyst's page, with the new password.
    await analystPage.locator('a[href="/analysis"]').click();
    await signIn(analystPage, analyst);
    await analystPage.locator('#account').filter({ hasText: analyst.email }).waitFor({ timeout: WAIT_MS });
    // The link worked once: used again it is refused, with the server's message in the page's language.
    // (A fresh tab: the same address with only a new fragment would not load the page again.)
    const again = await analystContext.newPage();
    await again.goto(link.replace('/admin/set-password#', '/admin/set-password?lang=en#'));
    await again.locator('#new-password').fill('ein-anderes-passwort');
    await again.locator('#repeat-password').fill('ein-anderes-passwort');
    await again.locator('#set-password-form button[type=submit]').click();
    await again.locator('#set-password-error').filter({ hasText: /not valid/ }).waitFor({ timeout: WAIT_MS });
    await analystContext.close();

    // Open the three instruments; each starts closed on a new town.
    await page.locator('nav a[href="#surveys"]').click();
    for (const slug of ['resident-baseline', 'stakeholder-inventory', 'interview-guide']) {
      const survey = page.locator(`article[data-slug="${slug}"]`);
      await survey.waitFor({ timeout: WAIT_MS });
      expect(await survey.locator('.survey-state').innerText()).toBe('geschlossen');
      await survey.locator('button[data-action="open"]').click();
      await page.locator(`article[data-slug="${slug}"] .survey-state[data-state="accepting"]`).waitFor({ timeout: WAIT_MS });
    }
    expect(await axeViolations(page)).toEqual([]);

    // English, the other admin language: the same page, axe clean.
    await page.locator('#ui-language').selectOption('en');
    await page.locator('#surveys-heading').filter({ hasText: 'Surveys' }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();

    // A resident: the welcome page names the town, its data-protection contact and the deletion
    // date; the resident submits, and the answer is stored for the imported district.
    const resident = await browser.newContext();
    const residentPage = await resident.newPage();
    await residentPage.goto(`${baseUrl}/s/resident-baseline?lang=de&d=nord`);
    await residentPage.locator('#welcome').waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await residentPage.locator('.site-header__town').innerText()).toContain('Musterstadt');
    const welcome = await residentPage.locator('#welcome').innerText();
    expect(welcome).toContain('31. Dezember 2030');
    expect(welcome).toContain('Erika Muster');
    expect(welcome).toContain('datenschutz@musterstadt.example');
    await residentPage.locator('#start-button').click();
    await residentPage.locator('#survey .sd-page__title').waitFor({ timeout: WAIT_MS });
    for (let pages = 0; pages < 40; pages++) {
      const complete = residentPage.locator('#survey .sd-navigation__complete-btn');
      if (await complete.isVisible()) {
        await complete.click();
        break;
      }
      const title = await residentPage.locator('#survey .sd-page__title').innerText();
      await residentPage.locator('#survey .sd-navigation__next-btn').click();
      await residentPage.waitForFunction((previous) => document.querySelector('#survey .sd-page__title')?.textContent !== previous, title, { timeout: WAIT_MS });
    }
    await residentPage.locator('#thank-you').waitFor({ state: 'visible', timeout: WAIT_MS });
    const stored = await platform.database.db.selectFrom('response').select(['survey_slug', 'district']).execute();
    expect(stored).toEqual([{ survey_slug: 'resident-baseline', district: 'nord' }]);
    await resident.close();
  });

  it('creates, renames, reorders, retires and deletes districts; manages accounts; schedules a survey — refusals shown where they belong', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseUrl}/admin?lang=en#districts`);
    await signIn(page, admin);
    await page.locator('#district-table').waitFor({ timeout: WAIT_MS });

    // A new district by hand: margins whose sums differ are refused next to the figures, nothing saved.
    await page.locator('#district-new').click();
    await page.locator('#district-name-default').fill('Waldsiedlung');
    expect(await page.locator('#district-code').inputValue()).toBe('waldsiedlung');
    await page.locator('#district-name-tr').fill('Orman Mahallesi');
    await page.locator('#district-population-total').fill('300');
    await page.locator('#district-population-byAgeBand-30-44').fill('200');
    await page.locator('#district-population-byGender-female').fill('150');
    await page.locator('#district-form button[type=submit]').click();
    await page.locator('#district-population-error').filter({ hasText: /200.*150|150.*200/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#district-table tbody tr').count()).toBe(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#district-population-byGender-male').fill('50');
    await page.locator('#district-form button[type=submit]').click();
    await page.locator('#district-table tbody tr[data-code="waldsiedlung"]').waitFor({ timeout: WAIT_MS });

    // Rename in English; move it up; retire and reactivate "nord"; delete the empty new one.
    await page.locator('tr[data-code="altstadt"] button[data-action="edit"]').click();
    await page.locator('#district-name-en').fill('Old Town');
    await page.locator('#district-form button[type=submit]').click();
    await page.locator('#districts-status').filter({ hasText: 'Altstadt' }).waitFor({ timeout: WAIT_MS });
    const districts = async () => (await (await page.request.get(`${baseUrl}/api/admin/districts`)).json()) as { districts: { code: string; name: Record<string, string>; retired: boolean }[] };
    expect((await districts()).districts.find((d) => d.code === 'altstadt')!.name).toEqual({ default: 'Altstadt', en: 'Old Town' });
    await page.locator('tr[data-code="altstadt"] button[data-action="up"]').click();
    await page.waitForFunction(() => document.querySelector('#district-table tbody tr:nth-child(2)')?.getAttribute('data-code') === 'altstadt', undefined, { timeout: WAIT_MS });
    await page.locator('tr[data-code="nord"] button', { hasText: /^Retire$/ }).click();
    await page.locator('tr[data-code="nord"] td.state', { hasText: /^retired$/ }).waitFor({ timeout: WAIT_MS });
    expect((await districts()).districts.find((d) => d.code === 'nord')!.retired).toBe(true);
    await page.locator('tr[data-code="nord"] button', { hasText: 'Reactivate' }).click();
    await page.locator('tr[data-code="nord"] td.state', { hasText: /^active$/ }).waitFor({ timeout: WAIT_MS });
    expect((await districts()).districts.find((d) => d.code === 'nord')!.retired).toBe(false);
    await page.locator('tr[data-code="waldsiedlung"] button', { hasText: 'Delete' }).click();
    await page.locator('tr[data-code="waldsiedlung"]').waitFor({ state: 'detached', timeout: WAIT_MS });

    // Accounts: a taken address is refused at the field; the last admin cannot disable itself.
    await page.locator('nav a[href="#accounts"]').click();
    await page.locator('#account-table').waitFor({ timeout: WAIT_MS });
    await page.locator('#invite-email').fill(analyst.email);
    await page.locator('#invite-form button[type=submit]').click();
    await page.locator('#invite-email-error').filter({ hasText: 'exists already' }).waitFor({ timeout: WAIT_MS });
    await page.locator(`tr[data-email="${admin.email}"] button[data-action="disable"]`).click();
    await page.locator('#accounts-heading ~ div .field-error', { hasText: 'last active admin' }).waitFor({ timeout: WAIT_MS });

    // The analyst: change role, sign out everywhere, disable and enable, reset (a new one-time link).
    const row = page.locator(`tr[data-email="${analyst.email}"]`);
    await row.locator('select').selectOption('coordinator');
    await row.locator('button[data-action="role"]').click();
    await page.locator('#accounts-status').filter({ hasText: 'role' }).waitFor({ timeout: WAIT_MS });
    const users = async () => (await (await page.request.get(`${baseUrl}/api/admin/users`)).json()) as { users: { email: string; role: string; disabled: boolean }[] };
    expect((await users()).users.find((u) => u.email === analyst.email)!.role).toBe('coordinator');
    await row.locator('button[data-action="sign-out"]').click();
    await page.locator('#accounts-status').filter({ hasText: 'signed out everywhere' }).waitFor({ timeout: WAIT_MS });
    await row.locator('button[data-action="disable"]').click();
    await page.locator(`tr[data-email="${analyst.email}"] td.state`, { hasText: /^disabled$/ }).waitFor({ timeout: WAIT_MS });
    expect((await users()).users.find((u) => u.email === analyst.email)!.disabled).toBe(true);
    await page.locator(`tr[data-email="${analyst.email}"] button[data-action="disable"]`).click();
    await page.locator('#accounts-status').filter({ hasText: 'is enabled' }).waitFor({ timeout: WAIT_MS });
    await page.locator(`tr[data-email="${analyst.email}"] button[data-action="reset"]`).click();
    expect(await page.locator('#setup-link').inputValue({ timeout: WAIT_MS })).toContain('/admin/set-password#token=');
    const oldPassword = await page.request.post(`${baseUrl}/api/auth/login`, { data: analyst });
    expect(oldPassword.status()).toBe(401);
    expect(await axeViolations(page)).toEqual([]);

    // A schedule that closes before it opens is refused at the closing field.
    await page.locator('nav a[href="#surveys"]').click();
    const stakeholder = page.locator('article[data-slug="stakeholder-inventory"]');
    await stakeholder.waitFor({ timeout: WAIT_MS });
    await stakeholder.locator('details.schedule > summary').click();
    await stakeholder.locator('input[id$="-opensAt"]').fill('2030-03-01T08:00');
    await stakeholder.locator('input[id$="-closesAt"]').fill('2030-02-01T08:00');
    await stakeholder.locator('.schedule-form button[type=submit]').click();
    await stakeholder.locator('p[id$="-closesAt-error"]').filter({ hasText: /.+/ }).waitFor({ timeout: WAIT_MS });
    await stakeholder.locator('input[id$="-closesAt"]').fill('2030-04-01T08:00');
    await stakeholder.locator('.schedule-form button[type=submit]').click();
    await page.locator('article[data-slug="stakeholder-inventory"] .survey-state', { hasText: 'opens on' }).waitFor({ timeout: WAIT_MS });
    const listed = (await (await page.request.get(`${baseUrl}/api/admin/surveys`)).json()) as { surveys: { slug: string; opensAt: string | null; accepting: boolean }[] };
    expect(listed.surveys.find((survey) => survey.slug === 'stakeholder-inventory')).toMatchObject({ accepting: false, opensAt: new Date('2030-03-01T08:00').toISOString() });
    expect(await axeViolations(page)).toEqual([]);

    // The survey's own deletion date: later than the town's (2030-12-31) is refused at the field.
    const deletion = page.locator('article[data-slug="stakeholder-inventory"] details.deletion-date');
    await deletion.locator('summary').click();
    await deletion.locator('input[id$="-answersDeletedBy"]').fill('2031-01-01');
    await deletion.locator('.deletion-date-form button[type=submit]').click();
    await deletion.locator('p[id$="-answersDeletedBy-error"]').filter({ hasText: '2030-12-31' }).waitFor({ timeout: WAIT_MS });
    await deletion.locator('input[id$="-answersDeletedBy"]').fill('2030-06-15');
    await deletion.locator('.deletion-date-form button[type=submit]').click();
    await page.locator('article[data-slug="stakeholder-inventory"] details.deletion-date > summary', { hasText: 'Answers deleted on' }).waitFor({ timeout: WAIT_MS });
    const dated = (await (await page.request.get(`${baseUrl}/api/admin/surveys`)).json()) as { surveys: { slug: string; answersDeletedBy: string | null }[] };
    expect(dated.surveys.find((survey) => survey.slug === 'stakeholder-inventory')!.answersDeletedBy).toBe('2030-06-15');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('publishes a new version of an instrument from a file: a broken file is refused with its problems, the diff is shown, version 1 stays', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en#surveys`);
    await signIn(page, admin);
    const guide = page.locator('article[data-slug="interview-guide"]');
    await guide.waitFor({ timeout: WAIT_MS });
    await guide.locator('details.version-upload > summary').click();
    const file = guide.locator('input[type=file]');

    // Not an instrument: refused with where and what, nothing published.
    await file.setInputFiles({ name: 'guide.json', mimeType: 'application/json', buffer: Buffer.from('{"kind": "interview", "definition": {}}') });
    await guide.locator('button[data-action="preview-version"]').click();
    await guide.locator('.version-preview .field-error').filter({ hasText: 'cannot be published' }).waitFor({ timeout: WAIT_MS });
    expect(await guide.locator('.version-problems tbody tr').first().innerText()).toMatch(/error\s+file/);
    expect(await guide.locator('button[data-action="publish-version"]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The same guide with a question's English wording changed: the diff names it, then publish.
    const original = JSON.parse(await fs.readFile(path.join(REAL_SURVEYS_DIR, 'interview-guide.json'), 'utf8')) as { definition: Record<string, unknown> };
    const question = allQuestions(original.definition)[0]!;
    const title = question.title as Record<string, string>;
    title.en = `${title.en} (revised)`;
    await file.setInputFiles({ name: 'interview-guide.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(original)) });
    await guide.locator('button[data-action="preview-version"]').click();
    const changed = guide.locator('.version-diff-group[data-kind="changed"]');
    await changed.waitFor({ timeout: WAIT_MS });
    expect(await changed.innerText()).toContain(String(question.name));
    expect(await changed.innerText()).toContain('Wording changed: title (en)');
    expect(await axeViolations(page)).toEqual([]);
    await guide.locator('button[data-action="publish-version"]').click();
    await page.locator('#surveys-status').filter({ hasText: 'version 2 is now current' }).waitFor({ timeout: WAIT_MS });
    await page.locator('article[data-slug="interview-guide"]', { hasText: 'Version 2' }).waitFor({ timeout: WAIT_MS });
    const versions = await platform.database.db.selectFrom('survey_version').select(['version', 'source_file']).where('survey_slug', '=', 'interview-guide').orderBy('version').execute();
    expect(versions).toEqual([{ version: 1, source_file: 'interview-guide.json' }, { version: 2, source_file: 'upload:interview-guide.json' }]);
    await context.close();
  });

  it('publishes a new instrument from a file: a clashing or bad name is refused at the field, problems are listed, then it is version 1, closed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en#surveys`);
    await signIn(page, admin);
    await page.locator('article[data-slug="interview-guide"]').waitFor({ timeout: WAIT_MS });
    const block = page.locator('details.new-instrument');
    await block.locator('summary').click();
    const file = block.locator('input[type=file]');
    const slug = block.locator('#new-instrument-slug');
    const before = await platform.database.db.selectFrom('survey').select('slug').orderBy('slug').execute();

    // A copy of the interview guide under a new name and title.
    const guide = JSON.parse(await fs.readFile(path.join(REAL_SURVEYS_DIR, 'interview-guide.json'), 'utf8')) as { definition: { title: Record<string, string> } };
    guide.definition.title = { ...guide.definition.title, default: 'Gesprächsleitfaden Jugend', en: 'Interview guide for young people' };
    await file.setInputFiles({ name: 'Leitfaden Jugend.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(guide)) });
    // The name is proposed from the file name.
    expect(await slug.inputValue()).toBe('leitfaden-jugend');

    // A name a survey has already: at the field, nothing to publish.
    await slug.fill('interview-guide');
    await block.locator('button[data-action="preview-instrument"]').click();
    await block.locator('#new-instrument-slug-error').filter({ hasText: 'exists already' }).waitFor({ timeout: WAIT_MS });
    expect(await slug.getAttribute('aria-invalid')).toBe('true');
    expect(await block.locator('button[data-action="publish-instrument"]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // A name that cannot be in a link.
    await slug.fill('Leitfaden Jugend!');
    await block.locator('button[data-action="preview-instrument"]').click();
    await block.locator('#new-instrument-slug-error').filter({ hasText: 'not a usable name' }).waitFor({ timeout: WAIT_MS });
    expect(await block.locator('button[data-action="publish-instrument"]').count()).toBe(0);

    // Not an instrument: the checker's problem with where it is.
    await slug.fill('leitfaden-jugend');
    await file.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"notes": "not a questionnaire"}') });
    await block.locator('button[data-action="preview-instrument"]').click();
    await block.locator('.version-preview .field-error').filter({ hasText: 'cannot be published' }).waitFor({ timeout: WAIT_MS });
    expect(await block.locator('.version-problems tbody tr').first().innerText()).toMatch(/error\s+file/);
    expect(await block.locator('button[data-action="publish-instrument"]').count()).toBe(0);
    expect(await platform.database.db.selectFrom('survey').select('slug').orderBy('slug').execute()).toEqual(before);

    await file.setInputFiles({ name: 'Leitfaden Jugend.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(guide)) });
    await block.locator('button[data-action="preview-instrument"]').click();
    await block.locator('button[data-action="publish-instrument"]').waitFor({ timeout: WAIT_MS });
    expect(await block.locator('#new-instrument-slug-error').innerText()).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await block.locator('button[data-action="publish-instrument"]').click();
    await page.locator('#surveys-status').filter({ hasText: 'The new survey “leitfaden-jugend” is published' }).waitFor({ timeout: WAIT_MS });
    const created = page.locator('article[data-slug="leitfaden-jugend"]');
    await created.waitFor({ timeout: WAIT_MS });
    expect(await created.locator('h3').innerText()).toBe('Interview guide for young people');
    expect(await created.locator('.survey-state').getAttribute('data-state')).toBe('closed');
    expect(await axeViolations(page)).toEqual([]);
    const stored = await platform.database.db.selectFrom('survey_version').select(['version', 'source_file']).where('survey_slug', '=', 'leitfaden-jugend').execute();
    expect(stored).toEqual([{ version: 1, source_file: 'upload:Leitfaden Jugend.json' }]);
    await context.close();
  });

  it('shows which translations are drafts, exports a workbook and imports it back reviewed; a workbook with an unknown key is refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en#translations`);
    await signIn(page, admin);
    const inventory = page.locator('article.translation-admin[data-slug="stakeholder-inventory"]');
    await inventory.locator('tr[data-locale="tr"][data-status="draft"]').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);

    // The Turkish workbook as the page links it, as a reviewer sends it back.
    const href = await inventory.locator('tr[data-locale="tr"] a[data-format="xlsx"]').getAttribute('href');
    const exported = await (await page.request.get(`${baseUrl}${href}`)).body();
    const reviewed = new ExcelJS.Workbook();
    await reviewed.xlsx.load(exported as unknown as ArrayBuffer);
    expect((reviewed.getWorksheet('translations')!.getRow(1).values as unknown[]).slice(1)).toEqual(['key', 'de', 'tr']);
    reviewed.getWorksheet('status')!.getRow(2).getCell(2).value = 'reviewed';
    const broken = new ExcelJS.Workbook();
    await broken.xlsx.load(exported as unknown as ArrayBuffer);
    broken.getWorksheet('translations')!.addRow(['question does-not-exist/title', 'Nein', 'Hayır']);
    const file = inventory.locator('input[type=file]');
    const xlsx = async (workbook: ExcelJS.Workbook) => ({ name: 'tr.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await workbook.xlsx.writeBuffer()) });

    await file.setInputFiles(await xlsx(broken));
    await inventory.locator('button[data-action="preview-translations"]').click();
    await inventory.locator('.translation-problems td', { hasText: 'does-not-exist' }).waitFor({ timeout: WAIT_MS });
    expect(await inventory.locator('button[data-action="import-translations"]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await file.setInputFiles(await xlsx(reviewed));
    await inventory.locator('button[data-action="preview-translations"]').click();
    await inventory.locator('button[data-action="import-translations"]').click({ timeout: WAIT_MS });
    await page.locator('#translations-status').filter({ hasText: 'translations imported as version 2' }).waitFor({ timeout: WAIT_MS });
    const turkish = page.locator('article.translation-admin[data-slug="stakeholder-inventory"] tr[data-locale="tr"][data-status="reviewed"]');
    await turkish.waitFor({ timeout: WAIT_MS });
    // Who marked it and when, kept beside the status (not only in the audit log).
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
    expect(await turkish.locator('.translation-marked').innerText()).toBe(`reviewed by ${admin.email} on ${today}`);
    expect(await page.locator('article.translation-admin[data-slug="stakeholder-inventory"] tr[data-locale="ar"] .translation-marked').innerText()).toMatch(/^as in the instrument file \(recorded on /);
    expect(await axeViolations(page)).toEqual([]);

    // The Arabic CSV file the page links, sent back with "reviewed" on every row (semicolons, BOM).
    const csvHref = await page.locator('article.translation-admin[data-slug="stakeholder-inventory"] tr[data-locale="ar"] a[data-format="csv"]').getAttribute('href');
    const csvBytes = await (await page.request.get(`${baseUrl}${csvHref}`)).body();
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(csvBytes.toString('utf8'), { delimiter: ';', bom: true }) as string[][];
    expect(records[0]).toEqual(['key', 'de', 'ar', 'status']);
    const back = stringify(records.map((record, index) => (index === 0 ? record : [record[0]!, record[1]!, record[2]!, 'reviewed'])), { delimiter: ';', bom: true });
    const csvInput = page.locator('article.translation-admin[data-slug="stakeholder-inventory"] input[type=file]');
    await csvInput.setInputFiles({ name: 'inventory-ar.csv', mimeType: 'text/csv', buffer: Buffer.from(back, 'utf8') });
    await page.locator('article.translation-admin[data-slug="stakeholder-inventory"] button[data-action="preview-translations"]').click();
    await page.locator('article.translation-admin[data-slug="stakeholder-inventory"] button[data-action="import-translations"]').click({ timeout: WAIT_MS });
    await page.locator('#translations-status').filter({ hasText: 'translations imported as version 3' }).waitFor({ timeout: WAIT_MS });
    const arabic = page.locator('article.translation-admin[data-slug="stakeholder-inventory"] tr[data-locale="ar"][data-status="reviewed"]');
    await arabic.waitFor({ timeout: WAIT_MS });
    expect(await arabic.locator('.translation-marked').innerText()).toBe(`reviewed by ${admin.email} on ${today}`);
    await context.close();
  });

  it('the audit log shows who published which version and every export, filtered by action and person', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en#audit`);
    await signIn(page, admin);
    await page.locator('#audit-table').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#audit-action').selectOption('survey.version_publish');
    await page.locator('#audit-actor').selectOption({ label: admin.email });
    await page.locator('#audit-filter button[type=submit]').click();
    await page.locator('#audit-count').filter({ hasText: /^1 entry ·/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#audit-table tbody tr td:nth-child(4)').allInnerTexts()).toEqual(['interview-guide']);
    await page.locator('#audit-action').selectOption('export.');
    await page.locator('#audit-filter button[type=submit]').click();
    await page.locator('#audit-table tbody tr[data-action="export.translations_xlsx"]').first().waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('uploads a logo that the residents\' pages show in their header; a file that is not an image is refused at the field', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en#town`);
    await signIn(page, admin);
    await page.locator('#logo-file').waitFor({ timeout: WAIT_MS });
    await page.locator('#logo-file').setInputFiles({ name: 'logo.txt', mimeType: 'text/plain', buffer: Buffer.from('no image') });
    await page.locator('#logo-form button[type=submit]').click();
    await page.locator('#logo-file-error').filter({ hasText: 'not an image' }).waitFor({ timeout: WAIT_MS });
    const png = await sharp({ create: { width: 1600, height: 400, channels: 4, background: { r: 0, g: 100, b: 60, alpha: 1 } } }).png().toBuffer();
    await page.locator('#logo-file').setInputFiles({ name: 'wappen.png', mimeType: 'image/png', buffer: png });
    await page.locator('#logo-form button[type=submit]').click();
    await page.locator('#logo-status').filter({ hasText: 'logo is saved' }).waitFor({ timeout: WAIT_MS });
    await page.locator('#logo-preview img').waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);

    const resident = await browser.newContext();
    const residentPage = await resident.newPage();
    await residentPage.goto(`${baseUrl}/s/resident-baseline?lang=de`);
    const logo = residentPage.locator('.site-header .site-header__logo');
    await logo.waitFor({ timeout: WAIT_MS });
    await residentPage.waitForFunction(() => (document.querySelector('.site-header__logo') as HTMLImageElement | null)?.complete === true, undefined, { timeout: WAIT_MS });
    expect(await logo.evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight])).toEqual([800, 200]);
    expect(await residentPage.locator('.site-header__brand .site-header__town').innerText()).toContain('Musterstadt');
    expect(await axeViolations(residentPage)).toEqual([]);
    await resident.close();
    await context.close();
  });

  it('adds, checks as typed and deletes a target-group rule', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${baseUrl}/admin?lang=en#targetGroups`);
    await signIn(page, admin);
    await page.locator('#rule-form').waitFor({ timeout: WAIT_MS });
    await page.locator('#rule-expression').fill("{years_in_town} < 2 and");
    // What is wrong and where, not the parser's text: "{years_in_town} < 2 and" is 23 characters.
    await page.locator('#rule-expression-error').filter({ hasText: /stops before it is complete \(at character 24\)/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#rule-expression').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#rule-expression').fill("{age_band} = '16-20'");
    await page.locator('#rule-check').filter({ hasText: /Matches/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#rule-expression-error').innerText()).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#rule-code').fill('young');
    await page.locator('#rule-label-default').fill('Junge Menschen');
    await page.locator('#rule-form button[type=submit]').click();
    await page.locator('#target-group-table tr[data-code="young"]').waitFor({ timeout: WAIT_MS });
    const rules = await platform.database.db.selectFrom('target_group').select(['code', 'expression']).execute();
    expect(rules).toEqual([{ code: 'young', expression: "{age_band} = '16-20'" }]);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#target-group-table tr[data-code="young"] button[data-action="delete"]').click();
    await page.locator('#target-groups-status').filter({ hasText: 'deleted' }).waitFor({ timeout: WAIT_MS });
    expect(await platform.database.db.selectFrom('target_group').select('code').execute()).toEqual([]);
    await context.close();
  });

  it('at tablet width the admin area is axe clean, its sections are reachable by keyboard, and it warns before a deletion date', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1100 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin?lang=en`);
    await signIn(page, admin);
    for (const section of ['districts', 'accounts', 'surveys', 'translations', 'targetGroups', 'audit', 'town']) {
      const link = page.locator(`nav a[href="#${section}"]`);
      await link.focus({ timeout: WAIT_MS });
      await page.keyboard.press('Enter');
      await page.locator(`#${section}-heading`).waitFor({ timeout: WAIT_MS });
      expect(await link.getAttribute('aria-current')).toBe('page');
      expect(await axeViolations(page)).toEqual([]);
    }

    // A deletion date ten days ahead: the admin area warns what will be deleted when.
    const soon = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await page.locator('#town-answersDeletedBy').fill(soon);
    await page.locator('#town-form button[type=submit]').click();
    await page.locator('#admin-banners .notice', { hasText: 'in 10 days) all answers will be deleted' }).waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
