import { randomBytes } from 'node:crypto';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import type { ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveHeldContacts } from '../../api/src/contacts/index.ts';
import { hashConfirmToken, hashWithdrawToken } from '../../api/src/mail/index.ts';
import { FIXTURE_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The page the links in messages open (/contact#confirm=… and #withdraw=…). The token a message
// would carry is set here through its hash, as the mail queue does (api/src/mail/mail.test.ts shows
// the message carrying the link).
const WAIT_MS = 20_000;
// Shaped like the tokens the mail queue draws (24 random bytes, base64url); the second one was never
// sent, so the page must refuse it as a link that is not valid.
const TOKEN = randomBytes(24).toString('base64url');
const UNKNOWN_TOKEN = randomBytes(24).toString('base64url');
// The withdrawal link has a token of its own (the confirmation token never withdraws).
const WITHDRAW_TOKEN = randomBytes(24).toString('base64url');

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;
const logged: string[] = [];

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['contact.html'], platform: { surveysDir: FIXTURE_SURVEYS_DIR } }));
  const res = await platform.app.request('/api/contacts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ consent: true, consentVersion: '2026-11', locale: 'ar', email: 'layla@example.org', topics: [], formats: [] }),
  });
  expect(res.status).toBe(201);
  await moveHeldContacts(platform.database.db, { minBatch: 1 });
  await platform.database.db.updateTable('contact').set({ confirm_token_hash: hashConfirmToken(TOKEN), withdraw_token_hash: hashWithdrawToken(WITHDRAW_TOKEN) }).execute();
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

describe('confirmation page /contact', () => {
  it('confirms from the fragment (never in a request URL), right-to-left in Arabic, then withdraws, axe clean', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => logged.push(request.url()));
    await page.goto(`${baseUrl}/contact?lang=ar#confirm=${TOKEN}`);
    await page.locator('[role=status]', { hasText: 'شكرًا' }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await axeViolations(page)).toEqual([]);
    const row = await platform.database.db.selectFrom('contact').select('confirmed').executeTakeFirstOrThrow();
    expect(row.confirmed).toBe(true);
    // The token travelled in a POST body only; the address bar no longer shows it.
    expect(logged.some((url) => url.includes(TOKEN))).toBe(false);
    expect(page.url()).not.toContain(TOKEN);

    await page.goto(`${baseUrl}/contact?lang=en#confirm=${UNKNOWN_TOKEN}`);
    await page.locator('[role=alert]').waitFor({ timeout: WAIT_MS });
    expect(await page.locator('[role=alert]').innerText()).toBe('This confirmation link is not valid or has expired.');

    await page.goto(`${baseUrl}/contact?lang=en#withdraw=${WITHDRAW_TOKEN}`);
    await page.locator('button', { hasText: 'Delete my details now' }).click({ timeout: WAIT_MS });
    await page.locator('[role=status]', { hasText: 'deleted' }).waitFor({ timeout: WAIT_MS });
    expect(await axeViolations(page)).toEqual([]);
    expect(await platform.database.db.selectFrom('contact').select('id').execute()).toEqual([]);
    await context.close();
  });
});
