import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { perturbationBound, showsStatistics } from '../analysis/disclosure/cell-key.ts';
import { messageResources } from '../i18n/messages.ts';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { checkEasyText } from '../surveys/content-rules/easy-language.ts';
import type { SnapshotContent } from './snapshot-content.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const SLUG = DATASET_SLUG;
/** What the issue allows one public results page on a phone. */
const MAX_PAGE_BYTES = 150 * 1024;

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
});
afterAll(async () => {
  await platform?.close();
});

/** A server message as the bundle holds it (before interpolation). */
function message(locale: Locale, key: string): string {
  let node: unknown = messageResources[locale].translation;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return node as string;
}

const texts = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, { de: `Kurzer Text zu ${key}.`, fa: `متن کوتاه دربارهٔ ${key}.` }]));

async function post(session: StaffSession, url: string, body?: unknown, locale = 'en') {
  return platform.app.request(url, {
    method: 'POST',
    headers: session.writeHeaders({ 'content-type': 'application/json', 'accept-language': locale }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createSnapshot(body: unknown) {
  const response = await post(analyst, `/api/analysis/${SLUG}/snapshots`, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string; status: string; content: SnapshotContent };
}

async function page(url: string) {
  const response = await platform.app.request(url, { headers: { accept: 'text/html' } });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

const QUESTIONS = ['participation_wish', 'barriers_health', 'living_together', 'languages_home', 'children', 'age_band'];

describe('result snapshots', () => {
  it('refuses what cannot be published, naming each question, and publishes nothing', async () => {
    // No responses yet: every cell would read "too few answers to show".
    const empty = await post(analyst, `/api/analysis/${SLUG}/snapshots`, { questions: ['participation_wish'], texts: texts(['participation_wish']) }, 'de');
    expect(empty.status).toBe(422);
    const emptyBody = await empty.json();
    expect(emptyBody.error.code).toBe('snapshot_invalid');
    expect(emptyBody.errors).toEqual([{ question: 'participation_wish', message: message('de', 'results.errors.only_suppressed') }]);

    const wrong = await post(analyst, `/api/analysis/${SLUG}/snapshots`, {
      questions: ['improvement_ideas', 'age', 'nonexistent', 'children'],
      texts: texts(['improvement_ideas', 'age', 'nonexistent']),
    });
    expect(wrong.status).toBe(422);
    const wrongBody = await wrong.json();
    expect(wrongBody.errors.map((error: { question: string }) => error.question)).toEqual(['improvement_ideas', 'age', 'nonexistent', 'children']);
    expect(wrongBody.errors[3].message).toBe(message('en', 'results.errors.text_required'));

    const byTargetGroup = await post(analyst, `/api/analysis/${SLUG}/snapshots`, { questions: ['children'], by: ['target_group'], texts: texts(['children']) });
    expect(byTargetGroup.status).toBe(400);
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    expect((await post(interviewer, `/api/analysis/${SLUG}/snapshots`, { questions: ['children'], texts: texts(['children']) })).status).toBe(403);

    const stored = await platform.database.db.selectFrom('result_snapshot').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(stored.n).toBe(0);
  });

  it('tells the admin page beforehand what can be published, by section, with the reason a table cannot', async () => {
    const response = await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates?by=district`, { headers: analyst.headers({ 'accept-language': 'de' }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { k: number; sections: { name: string | null; title: string | null; items: { key: string; kind: string; problem: { code: string; message: string } | null }[] }[] };
    expect(body.sections.map((section) => section.name)).toEqual(['main']);
    const items = new Map(body.sections[0]!.items.map((item) => [item.key, item]));
    // Free text and numbers never; the matrix by row; with no answers yet, every table only "too few answers".
    expect(items.get('improvement_ideas')!.problem).toEqual({ code: 'not_publishable', message: message('de', 'results.errors.not_publishable') });
    expect(items.get('age')!.problem!.code).toBe('not_publishable');
    expect(items.get('living_together.feel_welcome')!.kind).toBe('single');
    expect(items.get('participation_wish')!.problem).toEqual({ code: 'only_suppressed', message: message('de', 'results.errors.only_suppressed') });
    expect((await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates?by=target_group`, { headers: analyst.headers() })).status).toBe(400);
    expect((await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates`)).status).toBe(401);
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    expect((await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates`, { headers: interviewer.headers() })).status).toBe(403);
  });

  it('tells the start page that nothing is published yet (a small public route)', async () => {
    const response = await platform.app.request(`/api/results/${SLUG}/summary`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ slug: SLUG, published: null, measures: [] });
    expect((await platform.app.request('/api/results/no-such-survey/summary')).status).toBe(404);
  });

  let first: { id: string; content: SnapshotContent };

  it('freezes the tables analysis publishes (cell key method, raked) as a draft that nobody outside sees', async () => {
    await insertResponses(platform.database.db, analysisDataset());
    first = await createSnapshot({ questions: QUESTIONS, by: ['district'], weighted: true, texts: texts(QUESTIONS) });
    const aggregate = await (await platform.app.request(`/api/analysis/${SLUG}/aggregate?by=district&weights=raked`, { headers: analyst.headers() })).json();
    const k = aggregate.k as number;
    expect(first.content.k).toBe(k);
    expect(first.content.weighted).toBe(true);
    // Matrix questions publish one table per row.
    expect(first.content.items.map((item) => item.key)).toEqual(['living_together.feel_welcome', 'living_together.neighbours_help', 'barriers_health', 'participation_wish', 'age_band', 'languages_home', 'children']);
    for (const item of first.content.items) {
      const published = aggregate.items.find((candidate: { key: string }) => candidate.key === item.key);
      expect(item.base).toEqual(published.base);
      item.options.forEach((option, o) => {
        expect(option.counts).toEqual(published.options[o].counts);
        expect(option.shares).toEqual(published.options[o].shares);
        expectSameEstimates(option.weighted!, published.options[o].weighted);
        // Never a count from 1 to k−1, never a weighted share that stands on one.
        for (const count of option.counts) expect(count === 0 || count >= k).toBe(true);
        option.weighted!.forEach((estimate, g) => {
          if (estimate) expect(showsStatistics(option.counts[g]!, k)).toBe(true);
        });
      });
    }
    // Labels are frozen in every locale.
    expect(Object.keys(first.content.items[0]!.label).sort()).toEqual([...SUPPORTED_LOCALES].sort());

    expect((await platform.app.request(`/api/results/${SLUG}`)).status).toBe(404);
    const publicPage = await page(`/results/${SLUG}?lang=de`);
    expect(publicPage.status).toBe(404);
    expect(publicPage.html).toContain(message('de', 'errors.results_not_found').replace('{{slug}}', SLUG));

    const preview = await platform.app.request(`/api/analysis/${SLUG}/snapshots/${first.id}/preview?lang=de`, { headers: analyst.headers() });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('<meta name="robots" content="noindex">');
    expect((await platform.app.request(`/api/analysis/${SLUG}/snapshots/${first.id}/preview`)).status).toBe(401);
  });

  it('publishes a reviewed snapshot, audit-logged; a published snapshot never changes, even in SQL', async () => {
    const published = await post(admin, `/api/analysis/${SLUG}/snapshots/${first.id}/publish`);
    expect(published.status).toBe(200);
    expect((await published.json()).status).toBe('published');

    const again = await post(admin, `/api/analysis/${SLUG}/snapshots/${first.id}/publish`);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('snapshot_published');
    const discard = await platform.app.request(`/api/analysis/${SLUG}/snapshots/${first.id}`, { method: 'DELETE', headers: analyst.writeHeaders() });
    expect(discard.status).toBe(409);

    const db = platform.database.db;
    await expect(db.updateTable('result_snapshot').set({ content: JSON.stringify({ tampered: true }) }).where('id', '=', first.id).execute()).rejects.toThrow(/cannot change/);
    await expect(db.deleteFrom('result_snapshot').where('id', '=', first.id).execute()).rejects.toThrow(/cannot be deleted/);

    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id', 'target']).where('action', 'like', 'results.%').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'results.snapshot_create', actor_id: analyst.user.id, target: SLUG },
      { action: 'results.snapshot_publish', actor_id: admin.user.id, target: SLUG },
    ]);

    const body = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    expect(body.snapshot.id).toBe(first.id);
    expect(body.snapshot.content).toEqual(first.content);
    const list = await (await platform.app.request('/api/results?lang=en')).json();
    expect(list.results).toEqual([expect.objectContaining({ slug: SLUG, title: first.content.title.en })]);
  });

  it('new data makes a new snapshot; the public page shows the newest, earlier ones stay reachable unchanged', async () => {
    await insertResponses(platform.database.db, analysisDataset(7).slice(0, 60));
    const second = await createSnapshot({ questions: ['participation_wish'], texts: texts(['participation_wish']) });
    expect(second.content.items[0]!.base[0]).toBeGreaterThan(first.content.items.find((item) => item.key === 'participation_wish')!.base[0]!);
    expect((await post(analyst, `/api/analysis/${SLUG}/snapshots/${second.id}/publish`)).status).toBe(200);

    const latest = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    expect(latest.snapshot.id).toBe(second.id);
    expect(latest.earlier.map((snapshot: { id: string }) => snapshot.id)).toEqual([first.id]);
    const earlier = await (await platform.app.request(`/api/results/${SLUG}?snapshot=${first.id}`)).json();
    expect(earlier.snapshot.content).toEqual(first.content);

    const earlierPage = await page(`/results/${SLUG}?snapshot=${first.id}&lang=en`);
    expect(earlierPage.status).toBe(200);
    expect(earlierPage.html).toContain(`href="/results/${SLUG}?lang=en"`);
    expect((await page(`/results/${SLUG}?snapshot=not-a-uuid`)).status).toBe(404);

    // A draft is never reachable from outside, not even by its id.
    const draft = await createSnapshot({ questions: ['children'], texts: texts(['children']) });
    expect((await platform.app.request(`/api/results/${SLUG}?snapshot=${draft.id}`)).status).toBe(404);
    const discarded = await platform.app.request(`/api/analysis/${SLUG}/snapshots/${draft.id}`, { method: 'DELETE', headers: analyst.writeHeaders() });
    expect(discarded.status).toBe(204);
    // Back to the first for the page tests below: weighted, by district.
  });
});

/** The tags of an HTML string, crudely: enough to count tables, headers and charts. */
const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe('the public results page', () => {
  let measureId: string;

  it('admins record measures with status and dated updates; bad input is refused and changes nothing', async () => {
    const created = await post(admin, '/api/admin/measures', {
      fieldOfAction: 'language_education',
      title: { de: 'Sprachcafé im Bürgerhaus', fa: 'کافهٔ زبان در خانهٔ شهروندان' },
      description: { de: 'Jeden Dienstag.' },
      status: 'decided',
      surveySlug: SLUG,
      resultKeys: ['languages_home'],
      eventSlugs: ['zukunftswerkstatt-2026'],
    });
    expect(created.status).toBe(201);
    measureId = (await created.json()).id;
    const update = await post(admin, `/api/admin/measures/${measureId}/updates`, { date: '2026-11-30', status: 'in_progress', text: { de: 'Der erste Termin hat stattgefunden.' } });
    expect(update.status).toBe(201);

    const badField = await post(admin, '/api/admin/measures', { fieldOfAction: 'weather', title: { de: 'x' }, status: 'done' }, 'de');
    expect(badField.status).toBe(400);
    expect((await badField.json()).error.message).toContain('fieldOfAction');
    const noGerman = await post(admin, '/api/admin/measures', { fieldOfAction: 'health', title: { en: 'x' }, status: 'done' });
    expect(noGerman.status).toBe(400);
    const unknownSurvey = await post(admin, '/api/admin/measures', { fieldOfAction: 'health', title: { de: 'x' }, status: 'done', surveySlug: 'nope' }, 'de');
    expect(unknownSurvey.status).toBe(422);
    expect((await unknownSurvey.json()).error.message).toBe('Die Befragung „nope“ gibt es nicht.');
    const badDate = await post(admin, `/api/admin/measures/${measureId}/updates`, { date: '2026-02-30', status: 'done', text: { de: 'x' } });
    expect(badDate.status).toBe(400);
    expect((await post(analyst, '/api/admin/measures', { fieldOfAction: 'health', title: { de: 'x' }, status: 'done' })).status).toBe(403);

    const measures = await platform.database.db.selectFrom('measure').select(['status']).execute();
    expect(measures).toEqual([{ status: 'in_progress' }]);
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'measure.%').orderBy('id').execute();
    expect(audit.map((entry) => entry.action)).toEqual(['measure.create', 'measure.add_update']);
  });

  it.each(SUPPORTED_LOCALES)('%s: server-rendered, in its language and direction, tables with headers beside every chart, under 150 KB', async (locale: Locale) => {
    const t = (key: string) => {
      let node: unknown = messageResources[locale].translation;
      for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
      return node as string;
    };
    const { status, html, headers } = await page(`/results/${SLUG}?lang=${locale}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/html');
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr'}">`);
    // No script at all: everything is in the HTML.
    expect(html).not.toMatch(/<script/i);
    const tables = count(html, /<table>/g);
    expect(tables).toBe(1);
    expect(count(html, /<svg [^>]*role="img"/g)).toBe(tables);
    expect(count(html, /<caption>/g)).toBe(tables);
    expect(html).toContain(escapeForHtml(t('results.measures_heading')));
    expect(html).toContain(escapeForHtml(t('results.status.in_progress')));
    expect(html).toContain(escapeForHtml(t('results.field.language_education')));
    // The privacy explanation names k and the largest change the cell-key method makes to a number
    // (its bound D), both as the snapshot froze them.
    const snapshot = await platform.database.db.selectFrom('result_snapshot').select('content').where('published_at', 'is not', null).orderBy('published_at', 'desc').executeTakeFirstOrThrow();
    const content = (typeof snapshot.content === 'string' ? JSON.parse(snapshot.content) : snapshot.content) as SnapshotContent;
    const k = content.k;
    const number = new Intl.NumberFormat(locale === 'de-x-easy' ? 'de-DE' : locale === 'en' ? 'en-GB' : locale);
    const privacy = t('results.privacy').replace('{{k}}', number.format(k)).replace('{{d}}', number.format(perturbationBound(k)));
    expect(t('results.privacy')).toContain('{{d}}');
    for (const line of privacy.split('\n')) expect(html).toContain(escapeForHtml(line.trim()));
    // The newest snapshot is unweighted, town-wide.
    expect(html).toContain(t('results.method_unweighted').split('\n')[0]!.slice(0, 20));
  });

  it('the weighted snapshot by district: ranges, "too few answers" for small cells, a table per chart, under 150 KB in every locale', async () => {
    const list = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    const firstId = list.earlier[0].id as string;
    for (const locale of SUPPORTED_LOCALES) {
      const { status, html } = await page(`/results/${SLUG}?snapshot=${firstId}&lang=${locale}`);
      expect(status).toBe(200);
      expect(Buffer.byteLength(html), locale).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      const tables = count(html, /<table>/g);
      expect(tables).toBe(7);
      expect(count(html, /<svg [^>]*role="img"/g)).toBe(tables);
      // Every column and row of every table has a header cell.
      for (const table of html.match(/<table>[\s\S]*?<\/table>/g)!) {
        expect(table).toMatch(/<thead><tr><th scope="col">/);
        for (const row of table.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr>[\s\S]*?<\/tr>/g)!) expect(row).toMatch(/^<tr><th scope="row">/);
      }
      const messages = messageResources[locale].translation as { results: Record<string, string> };
      expect(html).toContain(escapeForHtml(messages.results.too_few!));
      expect(html).toContain(escapeForHtml(messages.results.range!.split('{{')[0]!.trim()));
      expect(html).toContain(escapeForHtml(messages.results.method_weighted!.split('\n')[0]!.slice(0, 20)));
      // Staff texts: Farsi has its own (marked as a draft translation); others fall back to German, marked.
      if (locale === 'fa') expect(html).toContain(escapeForHtml(messages.results.text_draft!));
      else if (locale !== 'de') expect(html).toContain(escapeForHtml(messages.results.text_german!));
    }
  });

  it('is sent gzipped to a browser that accepts it (a phone\'s first load), plain to one that does not', async () => {
    // The weighted snapshot by district, the larger page.
    const list = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    const url = `/results/${SLUG}?snapshot=${list.earlier[0].id}&lang=fa`;
    const zipped = await platform.app.request(url, { headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    const { html, headers } = await page(url);
    expect(headers.get('content-encoding')).toBeNull();
    expect(gunzipSync(bytes).toString('utf8')).toBe(html);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(html) / 3);
  });

  it('the measure links to the result it answers', async () => {
    const list = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    const { html } = await page(`/results/${SLUG}?snapshot=${list.earlier[0].id}&lang=fa`);
    expect(html).toContain('کافهٔ زبان در خانهٔ شهروندان');
    const earlier = await (await platform.app.request(`/api/results/${SLUG}?snapshot=${list.earlier[0].id}`)).json();
    const position = (earlier.snapshot.content as SnapshotContent).items.findIndex((item) => item.key === 'languages_home') + 1;
    expect(position).toBeGreaterThan(0);
    expect(html).toContain(`href="#q${position}-h"`);
  });

  it('once published, the start page learns where the results are and which measures answer the survey', async () => {
    const summary = await (await platform.app.request(`/api/results/${SLUG}/summary`)).json();
    const newest = await (await platform.app.request(`/api/results/${SLUG}`)).json();
    expect(summary.published).toEqual({ snapshotId: newest.snapshot.id, publishedAt: newest.snapshot.publishedAt, path: `/results/${SLUG}` });
    expect(summary.measures).toEqual(newest.measures);
    expect(summary.measures.length).toBeGreaterThan(0);
    // With answers in, the same table is publishable; the reasons still match what a snapshot request is told.
    const candidates = await (await platform.app.request(`/api/analysis/${SLUG}/snapshots/candidates`, { headers: admin.headers({ 'accept-language': 'en' }) })).json();
    const items = candidates.sections.flatMap((section: { items: { key: string; problem: unknown }[] }) => section.items);
    expect(items.find((item: { key: string }) => item.key === 'participation_wish').problem).toBeNull();
    const refused = await post(admin, `/api/analysis/${SLUG}/snapshots`, { questions: ['improvement_ideas'], texts: texts(['improvement_ideas']) });
    expect((await refused.json()).errors[0].message).toBe(items.find((item: { key: string }) => item.key === 'improvement_ideas').problem.message);
  });

  it('its Leichte Sprache texts keep the rules the instruments are checked by', () => {
    const easy = messageResources['de-x-easy'].translation as { results: Record<string, unknown> };
    const strings: string[] = [];
    const collect = (node: unknown) => {
      if (typeof node === 'string') strings.push(node);
      else if (node && typeof node === 'object') for (const child of Object.values(node)) collect(child);
    };
    // What residents read (the staff error messages are for staff).
    const { errors: _staffOnly, ...residentFacing } = easy.results;
    collect(residentFacing);
    const findings = strings.flatMap((text) => checkEasyText('messages/de-x-easy.json', { where: 'results', property: 'results', byLocale: { 'de-x-easy': text } }));
    expect(findings.map((finding) => finding.message)).toEqual([]);
  });
});

type Estimate = { share: number; ciLow: number; ciHigh: number; nEffective: number } | null;
/** The same estimates (sums in SQL may add in another order: equal to the last few bits). */
function expectSameEstimates(actual: Estimate[], expected: Estimate[]) {
  expect(actual.map((estimate) => estimate === null)).toEqual(expected.map((estimate) => estimate === null));
  actual.forEach((estimate, g) => {
    if (!estimate) return;
    for (const field of ['share', 'ciLow', 'ciHigh', 'nEffective'] as const) expect(estimate[field]).toBeCloseTo(expected[g]![field], 9);
  });
}

function escapeForHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

