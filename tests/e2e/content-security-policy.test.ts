import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import type { TestPlatform } from '../support/test-platform.ts';
import { FRONTEND_DIST_DIR } from './support/frontend-build.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The Content-Security-Policy (api/src/http/security-headers.ts) against the real pages in
// Chromium: a respondent goes through the whole questionnaire, an interviewer and an analyst open
// their apps, and the browser reports no violation. A script smuggled into a page must be blocked.

const WAIT_MS = 20_000;
let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp({ pages: ['index.html', 'respond.html', 'interview.html', 'analysis.html', 'admin.html', 'set-password.html'] }));
});

afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

/** A page that records every CSP violation the browser reports, by event and on the console. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ locale: 'de-DE' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

async function signIn(page: Page, role: 'interviewer' | 'analyst' | 'admin') {
  const account = demoAccounts.find((candidate) => candidate.role === role)!;
  const status = await page.evaluate(async ([email, password]) => {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return response.status;
  }, [account.email, account.password]);
  expect(status).toBe(200);
}

describe('Content-Security-Policy in the browser', () => {
  it('the built pages contain no inline script and no inline event handler', async () => {
    const pages = (await fs.readdir(FRONTEND_DIST_DIR)).filter((file) => file.endsWith('.html'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const file of pages) {
      const html = await fs.readFile(path.join(FRONTEND_DIST_DIR, file), 'utf8');
      const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
      expect(scripts.every((tag) => /\bsrc=/.test(tag)), `${file}: ${scripts.join(' ')}`).toBe(true);
      expect(html, file).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, file).not.toMatch(/javascript:/i);
    }
  });

  it('a respondent completes the questionnaire without a single violation', { timeout: 120_000 }, async () => {
    const { page, violations } = await watchedPage();
    const response = await page.goto(`${baseUrl}/s/resident-baseline`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    await page.locator('#start-button').click();
    await page.locator('#survey .sd-page__title').waitFor();
    for (let step = 0; step < 40; step += 1) {
      const choices = page.locator('#survey .sd-item__control-label, #survey .sd-rating__item');
      if ((await choices.count()) > 0) await choices.first().click();
      const next = page.locator('#survey .sd-navigation__next-btn');
      if (!(await next.isVisible())) break;
      const title = await page.locator('#survey .sd-page__title').textContent();
      await next.click();
      await page.waitForFunction((before) => document.querySelector('#survey .sd-page__title')?.textContent !== before, title);
    }
    await page.locator('#survey .sd-navigation__complete-btn').click();
    await page.locator('#thank-you').waitFor({ state: 'visible' });
    // The get-involved form after the thanks is part of the same page.
    await page.getByLabel('E-Mail-Adresse').fill('csp-test@example.org');
    await page.locator('#involve-consent').check();
    const sent = page.waitForResponse((answer) => answer.url().endsWith('/api/contacts'));
    await page.getByRole('button', { name: 'Kontaktdaten senden' }).click();
    expect((await sent).status()).toBe(201);
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('the start page, the interviewer app, the analysis and the admin area open without a violation', { timeout: 120_000 }, async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${baseUrl}/`);
    await signIn(page, 'interviewer');
    await page.goto(`${baseUrl}/interview`);
    await page.locator('main').waitFor();
    await page.waitForLoadState('networkidle');
    await signIn(page, 'analyst');
    await page.goto(`${baseUrl}/analysis`);
    await page.locator('main').waitFor();
    await page.waitForLoadState('networkidle');
    // The admin area, every section, and the set-password page (its token is in the fragment).
    await signIn(page, 'admin');
    for (const section of ['town', 'districts', 'accounts', 'surveys']) {
      await page.goto(`${baseUrl}/admin#${section}`);
      await page.locator(`#${section}-heading`).waitFor();
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`${baseUrl}/admin/set-password#token=not-a-real-token`);
    await page.locator('#new-password').waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('blocks a script smuggled into a page, inline or from another origin', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${baseUrl}/`);
    await page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.smuggled = true';
      document.body.append(inline);
      const foreign = document.createElement('script');
      foreign.src = 'https://evil.example/x.js';
      document.body.append(foreign);
      const handler = document.createElement('img');
      handler.setAttribute('onerror', 'window.smuggled = true');
      handler.src = '/no-such-image.png';
      document.body.append(handler);
    });
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => (window as unknown as { smuggled?: boolean }).smuggled)).toBeUndefined();
    expect(violations.join('\n')).toMatch(/script-src/);
    await page.context().close();
  });
});
