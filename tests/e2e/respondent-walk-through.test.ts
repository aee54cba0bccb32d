import fs from 'node:fs';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTownSettings } from '../../api/src/demo/demo-town.ts';
import { SUPPORTED_LOCALES, type Locale } from '../../api/src/shared/locales.ts';
import { REAL_SURVEYS_DIR, type TestPlatform } from '../support/test-platform.ts';
import { contrastRatio, parseCssColor, type Rgba } from './support/contrast.ts';
import { startBrowserApp, stopBrowserApp } from './support/browser-app.ts';

// What a new user saw on the respondent page (issue 16, part 4), each pinned by the fact in the
// browser: the text of the progress bar, boxes that must not overlap, a contrast computed from the
// computed styles, what is shown on which page, the page's width, and the dates as written.
const WAIT_MS = 20_000;
const SLUG = 'resident-baseline';
const instrument = JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, `${SLUG}.json`), 'utf8')) as {
  definition: { pages: unknown[] };
};
const PAGES = instrument.definition.pages.length;

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

async function withPage(width: number, run: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({ locale: 'de-DE', viewport: { width, height: 800 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  try {
    await run(page);
  } finally {
    await context.close();
  }
}

async function openWelcome(page: Page, locale: Locale): Promise<void> {
  await page.goto(`${baseUrl}/s/${SLUG}?lang=${locale}`);
  await page.locator('#welcome').waitFor({ state: 'visible' });
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

async function startSurvey(page: Page, locale: Locale): Promise<void> {
  await openWelcome(page, locale);
  await page.locator('#start-button').click();
  await page.locator('#survey .sd-page__title').waitFor();
}

/** Next page without answering (every question of the baseline is voluntary). */
async function nextPage(page: Page): Promise<void> {
  const before = await page.locator('#survey .sd-page__title').textContent();
  await page.locator('#survey .sd-navigation__next-btn').click();
  await page.waitForFunction((title) => document.querySelector('#survey .sd-page__title')?.textContent !== title, before);
}

const progressText = (page: Page) => page.locator('#survey .sd-progress-buttons__container-center').evaluate((element) => (element as HTMLElement).innerText.trim());

describe('the progress text', () => {
  // What each language writes for "page 1 of 15"; survey-core's Arabic string put the words in the wrong order.
  const expected: Record<Locale, (page: number, of: number) => string> = {
    de: (p, n) => `Seite ${p} von ${n}`,
    'de-x-easy': (p, n) => `Seite ${p} von ${n}`,
    en: (p, n) => `Page ${p} of ${n}`,
    tr: (p, n) => `Sayfa ${p}/${n}`,
    ar: (p, n) => `الصفحة ${p} من ${n}`,
    fa: (p, n) => `صفحه ${p} از ${n}`,
    ru: (p, n) => `Страница ${p} из ${n}`,
    uk: (p, n) => `Сторінка ${p} з ${n}`,
    pl: (p, n) => `Strona ${p} z ${n}`,
  };

  it('reads correctly in all nine languages, and in Arabic on a later page too', { timeout: 120_000 }, async () => {
    expect(Object.keys(expected).sort()).toEqual([...SUPPORTED_LOCALES].sort());
    await withPage(412, async (page) => {
      for (const locale of SUPPORTED_LOCALES) {
        await startSurvey(page, locale);
        expect(await progressText(page), locale).toBe(expected[locale](1, PAGES));
      }
      await startSurvey(page, 'ar');
      await nextPage(page);
      expect(await progressText(page)).toBe(expected.ar(2, PAGES));
    });
  });
});

describe('matrix on a phone, right to left', () => {
  it('keeps every column label clear of its radio circle in Arabic and Farsi (and German)', { timeout: 90_000 }, async () => {
    // A fresh browser per language: this device's draft would otherwise resume on the matrix page.
    for (const locale of ['ar', 'fa', 'de'] as const) {
      await withPage(412, async (page) => {
        await startSurvey(page, locale);
        await nextPage(page);
        const labels = page.locator('#survey .sd-question--mobile .sd-matrix__label');
        await labels.first().waitFor();
        const overlaps = await labels.evaluateAll((elements) =>
          elements.map((label) => {
            const circle = label.querySelector('.sd-item__decorator')!.getBoundingClientRect();
            const text = label.querySelector('.sd-matrix__responsive-title')!.getBoundingClientRect();
            const intersects = circle.left < text.right && text.left < circle.right && circle.top < text.bottom && text.top < circle.bottom;
            return { intersects, width: text.width };
          }),
        );
        expect(overlaps.length, locale).toBeGreaterThan(10);
        expect(overlaps.every((box) => box.width > 0)).toBe(true);
        expect(overlaps.filter((box) => box.intersects), locale).toEqual([]);
      });
    }
  });
});

describe('unchecked radios and checkboxes', () => {
  it('(the contrast formula gives WCAG\'s known values)', () => {
    const white = parseCssColor('rgb(255, 255, 255)');
    expect(contrastRatio(parseCssColor('rgb(0, 0, 0)'), white)).toBeCloseTo(21, 5);
    // #767676 is the lightest grey with 4.5:1 on white.
    expect(contrastRatio(parseCssColor('rgb(118, 118, 118)'), white)).toBeCloseTo(4.54, 2);
    expect(contrastRatio(parseCssColor('rgba(0, 0, 0, 0)'), white)).toBe(1);
  });

  it('have a boundary of at least 3:1 against what surrounds them (WCAG 1.4.11)', async () => {
    await withPage(412, async (page) => {
      await startSurvey(page, 'de');
      await nextPage(page);
      await nextPage(page);
      for (const kind of ['radio', 'checkbox'] as const) {
        const decorator = page.locator(`#survey .sd-item:not(.sd-item--checked) .sd-${kind}__decorator`).first();
        await decorator.waitFor();
        const styles = await decorator.evaluate((element) => {
          const own = getComputedStyle(element);
          // What surrounds the control: the first ancestor with a background of its own.
          let around = element.parentElement;
          while (around && getComputedStyle(around).backgroundColor.replace(/\s/g, '') === 'rgba(0,0,0,0)') around = around.parentElement;
          return {
            borderWidth: parseFloat(own.borderTopWidth),
            borderColor: own.borderTopColor,
            background: own.backgroundColor,
            around: around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)',
          };
        });
        const outside: Rgba = parseCssColor(styles.around);
        // The edge a person sees: the border if there is one, otherwise the filled disc itself.
        const edge = styles.borderWidth >= 1 ? styles.borderColor : styles.background;
        const ratio = contrastRatio(parseCssColor(edge), outside);
        expect(ratio, `${kind}: ${edge} on ${styles.around}`).toBeGreaterThanOrEqual(3);
      }
    });
  });
});

describe('the survey introduction', () => {
  it('shows on the first page only', async () => {
    await withPage(412, async (page) => {
      await startSurvey(page, 'de-x-easy');
      const introduction = page.locator('#survey .sd-container-modern__title .sd-description');
      expect(await introduction.isVisible()).toBe(true);
      expect((await introduction.textContent())!.split('\n').length).toBeGreaterThanOrEqual(9);
      await nextPage(page);
      expect(await introduction.isVisible()).toBe(false);
      await nextPage(page);
      expect(await introduction.isVisible()).toBe(false);
      await page.locator('#survey .sd-navigation__prev-btn').click();
      await page.locator('#survey .sd-navigation__prev-btn').click();
      await expect.poll(() => introduction.isVisible()).toBe(true);
    });
  });
});

describe('Leichte Sprache on a phone', () => {
  it('the welcome page and the survey fit the width, and the header keeps its text off the edges', async () => {
    await withPage(360, async (page) => {
      await openWelcome(page, 'de-x-easy');
      const width = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      const welcome = await width();
      expect(welcome.scroll).toBeLessThanOrEqual(welcome.client);
      // The e-mail address is the longest word on the page: it must be shown, and wrap.
      expect(await page.locator('#dp-email').isVisible()).toBe(true);
      const header = await page.locator('.site-header').evaluate((element) => {
        const style = getComputedStyle(element);
        const town = element.querySelector('.site-header__town')!.getBoundingClientRect();
        return { start: parseFloat(style.paddingInlineStart), end: parseFloat(style.paddingInlineEnd), left: town.left, right: town.right, client: document.documentElement.clientWidth };
      });
      expect(header.start).toBeGreaterThanOrEqual(12);
      expect(header.end).toBeGreaterThanOrEqual(12);
      expect(header.left).toBeGreaterThanOrEqual(12);
      expect(header.right).toBeLessThanOrEqual(header.client - 12);

      await page.locator('#start-button').click();
      await page.locator('#survey .sd-page__title').waitFor();
      const survey = await width();
      expect(survey.scroll).toBeLessThanOrEqual(survey.client);
    });
  });
});

describe('deletion dates', () => {
  const year = demoTownSettings.answersDeletedBy.slice(0, 4);
  const persianDigits = (digits: string) => digits.replace(/\d/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]!);

  it('in Farsi are Gregorian (the legal, German date) in Persian digits', async () => {
    await withPage(412, async (page) => {
      await openWelcome(page, 'fa');
      const text = (await page.locator('[data-i18n="respond:welcome.deletion"]').textContent())!;
      // 31 December 2028: the Gregorian year and month name, not the Solar Hijri 1407 or its months.
      expect(text).toContain(persianDigits(year));
      expect(text).toContain('دسامبر');
      expect(text).toContain(persianDigits('31'));
      expect(text).not.toContain(persianDigits(String(Number(year) - 621)));
    });
  });

  it("name the survey's own date when it is earlier than the town's", async () => {
    const db = platform.database.db;
    await db.updateTable('survey').set({ answers_deleted_by: `${year}-06-15` }).where('slug', '=', SLUG).execute();
    try {
      await withPage(412, async (page) => {
        await openWelcome(page, 'de');
        await page.locator('[data-i18n="respond:welcome.deletion"]', { hasText: `15. Juni ${year}` }).waitFor({ timeout: WAIT_MS });
        await openWelcome(page, 'en');
        await page.locator('[data-i18n="respond:welcome.deletion"]', { hasText: new RegExp(`(15 June|June 15),? ${year}`) }).waitFor({ timeout: WAIT_MS });
      });
    } finally {
      await db.updateTable('survey').set({ answers_deleted_by: null }).where('slug', '=', SLUG).execute();
    }
  });

  it('in Ukrainian end a sentence with one full stop', async () => {
    await withPage(412, async (page) => {
      await openWelcome(page, 'uk');
      const text = (await page.locator('[data-i18n="respond:welcome.deletion"]').textContent())!.trim();
      expect(text).toContain(`31 грудня ${year}`);
      expect(text).not.toMatch(/\.\s*\.$/);
      expect(text.endsWith('.')).toBe(true);
    });
  });
});
