/**
 * `npm run bench:first-load` (on demand, not part of the tests): what a respondent's phone downloads
 * for the respondent page, per locale, measured in Chromium against the real server on 127.0.0.1.
 *
 *  - "welcome": everything transferred until the welcome page has shown and the survey code has
 *    loaded in the background (HTML, JS, CSS, strings, survey JSON) — the first load;
 *  - "ready": plus what "start" fetches (survey-core's strings for the locale) until the first
 *    question is on screen.
 *
 * Beside it, in the same run and browser profile, the public results page `/results/<slug>` (issue
 * 15): first 400 answers are posted and a snapshot of every publishable table of the survey, by
 * district and weighted where the margins allow, is published with a text per table and a measure
 * with an update — the largest page the admin can make of it. Its first load (HTML, stylesheet) is
 * reported beside the respondent's welcome load, and as a ratio to it.
 *
 * Bytes are as transferred (compressed bodies plus headers: Chromium's encodedDataLength).
 * With `--lighthouse`, also runs Lighthouse (mobile, simulated Slow 4G) for the LCP of the page.
 * Goals: respondent page ≤ 400 KB transferred in any locale, LCP ≤ 2.5 s (issue 4); public results
 * page ≤ 150 KB (issue 15). Exit code 1 when either is exceeded.
 *
 * Needs the front end built (`npm run build`) and Debian's chromium at /usr/bin/chromium.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { SUPPORTED_LOCALES, type Locale } from '../api/src/shared/locales.ts';
import { openPlatform } from '../api/src/platform.ts';
import { AnswerValidator } from '../api/src/responses/validate-answers.ts';
import { findSurveyVersion } from '../api/src/surveys/repository.ts';
import { generateAnswers, seededRandom } from '../tests/support/answer-generator.ts';
import { loginAsDemo } from '../tests/support/staff-session.ts';

const SLUG = process.env.BENCH_SURVEY ?? 'resident-baseline';
const BUDGET_BYTES = 400 * 1024;
const RESULTS_BUDGET_BYTES = 150 * 1024;
const RESPONSES = 400;
const CHROMIUM = '/usr/bin/chromium';
const withLighthouse = process.argv.includes('--lighthouse');

type Kind = 'html' | 'js' | 'css' | 'json' | 'other';
interface Transfer {
  url: string;
  kind: Kind;
  bytes: number;
}

function kindOf(url: string, mimeType: string): Kind {
  if (mimeType.includes('html')) return 'html';
  if (mimeType.includes('javascript')) return 'js';
  if (mimeType.includes('css')) return 'css';
  if (mimeType.includes('json') || url.includes('/api/')) return 'json';
  return 'other';
}

async function measureLocale(browser: Browser, baseUrl: string, locale: Locale, resultsPage = false) {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 412, height: 860 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const meta = new Map<string, { url: string; mimeType: string }>();
  const transfers: Transfer[] = [];
  cdp.on('Network.responseReceived', (event) => meta.set(event.requestId, { url: event.response.url, mimeType: event.response.mimeType }));
  cdp.on('Network.loadingFinished', (event) => {
    const info = meta.get(event.requestId);
    if (info) transfers.push({ url: info.url, kind: kindOf(info.url, info.mimeType), bytes: event.encodedDataLength });
  });

  const started = Date.now();
  if (resultsPage) {
    await page.goto(`${baseUrl}/results/${SLUG}?lang=${encodeURIComponent(locale)}`);
    await page.locator('h1').waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForLoadState('networkidle', { timeout: 30_000 });
    const shownMs = Date.now() - started;
    const loaded = [...transfers];
    await context.close();
    return { locale, welcomeMs: shownMs, welcome: loaded, ready: loaded };
  }
  await page.goto(`${baseUrl}/s/${SLUG}?lang=${encodeURIComponent(locale)}`);
  await page.locator('#welcome-heading').waitFor({ state: 'visible', timeout: 30_000 });
  const welcomeMs = Date.now() - started;
  // The survey code loads after the welcome page has painted; wait for it and the survey JSON.
  await page.waitForLoadState('networkidle', { timeout: 30_000 });
  const welcome = [...transfers];

  await page.locator('#start-button').click();
  await page.locator('#survey .sd-page__title').waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForLoadState('networkidle', { timeout: 30_000 });
  const ready = [...transfers];
  await context.close();
  return { locale, welcomeMs, welcome, ready };
}

const sum = (transfers: Transfer[], kind?: Kind) => transfers.filter((t) => !kind || t.kind === kind).reduce((total, t) => total + t.bytes, 0);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function lighthouseLcp(baseUrl: string, locale: Locale): Promise<{ lcpMs: number; fcpMs: number; score: number }> {
  // Optional dev dependency, imported only when asked for (by name, so type checking does not need it).
  const optional = (name: string) => import(name);
  const { default: lighthouse } = (await optional('lighthouse')) as { default: (url: string, flags: object) => Promise<{ lhr: LighthouseResult }> };
  const { launch } = (await optional('chrome-launcher')) as { launch: (options: object) => Promise<{ port: number; kill(): Promise<void> | void }> };
  const chrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    // Lighthouse's defaults are the mobile profile: Moto G Power emulation, simulated Slow 4G
    // (150 ms RTT, 1.6 Mbit/s down) and 4x CPU slowdown.
    const result = await lighthouse(`${baseUrl}/s/${SLUG}?lang=${encodeURIComponent(locale)}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
    });
    const audits = result.lhr.audits;
    return {
      lcpMs: audits['largest-contentful-paint']!.numericValue,
      fcpMs: audits['first-contentful-paint']!.numericValue,
      score: result.lhr.categories.performance!.score,
    };
  } finally {
    await chrome.kill();
  }
}

interface LighthouseResult {
  audits: Record<string, { numericValue: number }>;
  categories: Record<string, { score: number }>;
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-'));
const platform = await openPlatform({
  port: 0,
  databaseUrl: null,
  dataDir,
  surveysDir: path.resolve(import.meta.dirname, '../surveys'),
  seedDemo: true,
  publicWriteLimitPerMinute: 1_000_000_000,
});

/**
 * Answers, then the biggest snapshot an admin can publish of the survey: every table that can be
 * published, by district, weighted if the margins allow, each with a German, a Leichte Sprache and
 * a Farsi text; and a measure with an update, which the results page shows too.
 */
async function publishResults(): Promise<{ tables: number; weighted: boolean }> {
  const { db } = platform.database;
  const survey = (await findSurveyVersion(db, SLUG))!;
  const districtCodes = (await db.selectFrom('district').select('code').execute()).map((row) => row.code);
  const validator = new AnswerValidator(survey.definition);
  const random = seededRandom(815);
  for (let stored = 0, n = 0; stored < RESPONSES && n < RESPONSES * 5; n++) {
    const locale = SUPPORTED_LOCALES[n % SUPPORTED_LOCALES.length]!;
    const answers = generateAnswers(survey.definition, { districtCodes, random });
    if (!validator.validate(answers, { locale, districtCodes }).ok) continue;
    const response = await platform.app.request(`/api/surveys/${SLUG}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), version: survey.version, locale, answers }),
    });
    if (response.status === 201) stored += 1;
  }
  const admin = await loginAsDemo(platform.app, 'admin');
  const candidates = (await (await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates?by=district`, { headers: admin.headers() })).json()) as {
    sections: { items: { key: string; problem: unknown }[] }[];
  };
  const questions = candidates.sections.flatMap((section) => section.items).filter((item) => item.problem === null).map((item) => item.key);
  const text = { de: 'Das zeigt, wo die Gemeinde ansetzen kann.', 'de-x-easy': 'Das zeigt uns:\nHier können wir etwas tun.', fa: 'این نشان می‌دهد شهرداری از کجا می‌تواند شروع کند.' };
  const write = (url: string, body?: unknown) =>
    platform.app.request(url, { method: 'POST', headers: admin.writeHeaders({ 'content-type': 'application/json' }), body: body === undefined ? undefined : JSON.stringify(body) });
  const create = (weighted: boolean) => write(`/api/analysis/${SLUG}/snapshots`, { questions, by: ['district'], weighted, texts: Object.fromEntries(questions.map((key) => [key, text])) });
  let weighted = true;
  let created = await create(true);
  if (created.status !== 201) {
    weighted = false;
    created = await create(false);
  }
  if (created.status !== 201) throw new Error(`snapshot refused: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const published = await write(`/api/analysis/${SLUG}/snapshots/${id}/publish`);
  if (published.status !== 200) throw new Error(`publish refused: ${published.status}`);
  const measure = await write('/api/admin/measures', {
    fieldOfAction: 'language_education',
    title: { de: 'Sprachcafé im Bürgerhaus', fa: 'کافهٔ زبان در خانهٔ شهروندان' },
    status: 'decided',
    surveySlug: SLUG,
    resultKeys: questions.slice(0, 2),
  });
  const { id: measureId } = (await measure.json()) as { id: string };
  await write(`/api/admin/measures/${measureId}/updates`, { date: '2026-12-01', status: 'in_progress', text: { de: 'Der erste Termin ist im Januar.' } });
  return { tables: questions.length, weighted };
}
const server = serve({ fetch: platform.app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'] });

let overBudget = false;
try {
  const published = await publishResults();
  const welcomeTotals = new Map<Locale, number>();
  console.log(`respondent page /s/${SLUG}, bytes transferred (compressed bodies + headers), KB`);
  console.log('locale     | welcome: html    js   css  json | total | ready total | requests | welcome shown (unthrottled)');
  for (const locale of SUPPORTED_LOCALES) {
    const { welcome, ready, welcomeMs } = await measureLocale(browser, baseUrl, locale);
    const total = sum(welcome);
    welcomeTotals.set(locale, total);
    if (sum(ready) > BUDGET_BYTES) overBudget = true;
    console.log(
      `${locale.padEnd(10)} | ${kb(sum(welcome, 'html')).padStart(13)} ${kb(sum(welcome, 'js')).padStart(5)} ${kb(sum(welcome, 'css')).padStart(5)} ${kb(sum(welcome, 'json')).padStart(5)} | ${kb(total).padStart(5)} | ${kb(sum(ready)).padStart(11)} | ${String(ready.length).padStart(8)} | ${welcomeMs} ms`,
    );
  }
  console.log(`budget: ${kb(BUDGET_BYTES)} KB for "ready" in every locale → ${overBudget ? 'EXCEEDED' : 'met'}`);

  console.log(`\npublic results page /results/${SLUG} (${published.tables} tables by district, ${published.weighted ? 'weighted' : 'unweighted'}, one measure), same profile, KB`);
  console.log('locale     |  html   css other | total | ratio to the welcome load | requests | shown (unthrottled)');
  let resultsOver = false;
  for (const locale of SUPPORTED_LOCALES) {
    const { welcome: loaded, welcomeMs } = await measureLocale(browser, baseUrl, locale, true);
    const total = sum(loaded);
    if (total > RESULTS_BUDGET_BYTES) resultsOver = true;
    const ratio = total / welcomeTotals.get(locale)!;
    console.log(
      `${locale.padEnd(10)} | ${kb(sum(loaded, 'html')).padStart(5)} ${kb(sum(loaded, 'css')).padStart(5)} ${kb(sum(loaded, 'other') + sum(loaded, 'js') + sum(loaded, 'json')).padStart(5)} | ${kb(total).padStart(5)} | ${ratio.toFixed(3).padStart(25)} | ${String(loaded.length).padStart(8)} | ${welcomeMs} ms`,
    );
  }
  console.log(`budget: ${kb(RESULTS_BUDGET_BYTES)} KB for the results page in every locale → ${resultsOver ? 'EXCEEDED' : 'met'}`);
  if (resultsOver) overBudget = true;

  if (withLighthouse) {
    console.log('\nLighthouse 12 mobile (simulated Slow 4G, 4x CPU slowdown):');
    for (const locale of ['de', 'de-x-easy', 'ar'] as Locale[]) {
      const { lcpMs, fcpMs, score } = await lighthouseLcp(baseUrl, locale);
      console.log(`${locale.padEnd(10)} LCP ${(lcpMs / 1000).toFixed(2)} s, FCP ${(fcpMs / 1000).toFixed(2)} s, performance score ${Math.round(score * 100)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
  await platform.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
process.exitCode = overBudget ? 1 : 0;
