import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../support/test-platform.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// The resident baseline writes Leichte Sprache one sentence per line; the page must show those lines,
// in type of at least 14 pt, with generous line height, left-aligned.
const SLUG = 'resident-baseline';
const PT_14_IN_PX = (14 * 96) / 72;

let platform: TestPlatform;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ platform, server, baseUrl, browser } = await startBrowserApp());
});
afterAll(async () => {
  await stopBrowserApp({ platform, server, browser });
});

describe('Leichte Sprache in the questionnaire', () => {
  it('keeps one sentence per line, in large type, generous line height, left-aligned', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 412, height: 860 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/s/${SLUG}?lang=de-x-easy`);
      await page.locator('#start-button').click();
      // The first page's district question has a two-sentence description, one sentence per line.
      const description = page.locator('#survey .sd-question__description').first();
      await description.waitFor({ state: 'visible' });
      const shown = await description.evaluate((element) => {
        const style = getComputedStyle(element);
        const lineHeight = parseFloat(style.lineHeight);
        return {
          text: element.textContent ?? '',
          whiteSpace: style.whiteSpace,
          fontSize: parseFloat(style.fontSize),
          lineRatio: lineHeight / parseFloat(style.fontSize),
          textAlign: style.textAlign,
          lines: Math.round(element.getBoundingClientRect().height / lineHeight),
        };
      });
      expect(shown.text).toContain('\n');
      expect(shown.whiteSpace).toBe('pre-line');
      expect(shown.fontSize).toBeGreaterThanOrEqual(PT_14_IN_PX);
      expect(shown.lineRatio).toBeGreaterThanOrEqual(1.5);
      expect(['left', 'start']).toContain(shown.textAlign);
      expect(shown.lines).toBeGreaterThanOrEqual(shown.text.split('\n').length);
    } finally {
      await context.close();
    }
  });
});
