import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { RTL_LOCALES, type Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { townNameIn } from '../town/index.ts';
import { htmlMessagePage } from '../web/html-message.ts';
import * as repository from './repository.ts';
import { resultsIndexPage, resultsPage, RESULTS_CSS, RESULTS_CSS_PATH } from './results-page.ts';
import { measureSchema, measureUpdateSchema, snapshotRequestSchema } from './schemas.ts';
import { snapshotCandidates } from './candidates.ts';
import { createSnapshot, discardSnapshot, publishedSnapshot, publishSnapshot } from './service.ts';

export interface ResultsRoutesDeps {
  db: Kysely<Database>;
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actor(c: Context<AppEnv>) {
  const user = c.get('user');
  if (!user) throw new ApiError(401, 'unauthenticated');
  return user;
}

function snapshotId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw new ApiError(404, 'snapshot_not_found', { id });
  return id.toLowerCase();
}

const summary = (snapshot: repository.SnapshotRow) => ({
  id: snapshot.id,
  status: snapshot.status,
  weighted: snapshot.weighted,
  createdAt: snapshot.createdAt.toISOString(),
  publishedAt: snapshot.publishedAt?.toISOString() ?? null,
  questions: snapshot.content.items.map((item) => item.key),
});

/**
 * Snapshots for analysts and admins, under /api/analysis/:slug/snapshots: freeze published tables
 * as a draft, review it (JSON, or the public page as it will look), publish it or discard it.
 */
export function createSnapshotRoutes({ db, now = () => new Date() }: ResultsRoutesDeps) {
  const app = new Hono<AppEnv>();
  app.use('/:slug/snapshots', requireRole('analyst', 'admin'));
  app.use('/:slug/snapshots/*', requireRole('analyst', 'admin'));

  app.post('/:slug/snapshots', async (c) => {
    const request = await readJsonBody(c, snapshotRequestSchema);
    const created = await createSnapshot(db, c.req.param('slug'), request, actor(c), c.get('locale'));
    return c.json(created, 201);
  });

  app.get('/:slug/snapshots', async (c) => {
    const snapshots = await repository.listSnapshots(db, c.req.param('slug'));
    return c.json({ snapshots: snapshots.map(summary) });
  });

  // What can be chosen, by section, and why a table cannot be published (before any text is written).
  app.get('/:slug/snapshots/candidates', async (c) => {
    const by = c.req.query('by') ?? '';
    if (by !== '' && by !== 'district') throw new ApiError(400, 'invalid_breakdown', { by, allowed: 'district' });
    return c.json(await snapshotCandidates(db, c.req.param('slug'), by === '' ? [] : ['district'], c.get('locale')));
  });

  app.get('/:slug/snapshots/:id', async (c) => {
    const snapshot = await repository.findSnapshot(db, c.req.param('slug'), snapshotId(c));
    if (!snapshot) throw new ApiError(404, 'snapshot_not_found', { id: c.req.param('id') });
    return c.json({ ...summary(snapshot), content: snapshot.content });
  });

  // The review: the page residents will see, from this (draft) snapshot.
  app.get('/:slug/snapshots/:id/preview', async (c) => {
    const slug = c.req.param('slug');
    const snapshot = await repository.findSnapshot(db, slug, snapshotId(c));
    if (!snapshot) throw new ApiError(404, 'snapshot_not_found', { id: c.req.param('id') });
    const locale = c.get('locale');
    const html = resultsPage({
      locale,
      townName: await townNameIn(db, locale),
      slug,
      content: snapshot.content,
      publishedAt: snapshot.publishedAt ?? snapshot.createdAt,
      snapshotId: snapshot.id,
      isEarlier: false,
      earlier: [],
      measures: await repository.listMeasures(db, { surveySlug: slug }),
      preview: true,
    });
    return c.html(html, 200, { 'cache-control': 'private, no-store' });
  });

  app.post('/:slug/snapshots/:id/publish', async (c) => c.json(await publishSnapshot(db, c.req.param('slug'), snapshotId(c), actor(c), now())));

  app.delete('/:slug/snapshots/:id', async (c) => {
    await discardSnapshot(db, c.req.param('slug'), snapshotId(c), actor(c));
    return c.body(null, 204);
  });

  return app;
}

async function checkMeasureSurvey(db: Kysely<Database>, slug: string | null) {
  if (slug === null) return;
  const survey = await db.selectFrom('survey').select('slug').where('slug', '=', slug).executeTakeFirst();
  if (!survey) throw new ApiError(422, 'measure_unknown_survey', { slug });
}

const measureValues = (body: ReturnType<typeof measureSchema.parse>): repository.MeasureValues => ({
  fieldOfAction: body.fieldOfAction,
  title: body.title,
  description: body.description ?? {},
  status: body.status,
  surveySlug: body.surveySlug,
  resultKeys: body.resultKeys,
  eventSlugs: body.eventSlugs,
});

/** Measures ("what happened with your input") for admins, at /api/admin/measures. Every change is audited. */
export function createMeasureAdminRoutes({ db, now = () => new Date() }: ResultsRoutesDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));

  app.get('/', async (c) => c.json({ measures: await repository.listMeasures(db) }));

  app.post('/', async (c) => {
    const body = await readJsonBody(c, measureSchema);
    await checkMeasureSurvey(db, body.surveySlug);
    const id = randomUUID();
    await repository.insertMeasure(db, id, measureValues(body));
    await recordAudit(db, { actorId: actor(c).id, action: 'measure.create', target: id, details: { fieldOfAction: body.fieldOfAction, status: body.status, survey: body.surveySlug } });
    return c.json({ id }, 201);
  });

  app.put('/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'measure_not_found');
    const body = await readJsonBody(c, measureSchema);
    await checkMeasureSurvey(db, body.surveySlug);
    if (!(await repository.updateMeasure(db, id, measureValues(body), now()))) throw new ApiError(404, 'measure_not_found');
    await recordAudit(db, { actorId: actor(c).id, action: 'measure.update', target: id, details: { fieldOfAction: body.fieldOfAction, status: body.status, survey: body.surveySlug } });
    return c.json({ id });
  });

  app.post('/:id/updates', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'measure_not_found');
    const body = await readJsonBody(c, measureUpdateSchema);
    if (!(await repository.insertMeasureUpdate(db, id, randomUUID(), body, now()))) throw new ApiError(404, 'measure_not_found');
    await recordAudit(db, { actorId: actor(c).id, action: 'measure.add_update', target: id, details: { date: body.date, status: body.status } });
    return c.json({ id }, 201);
  });

  return app;
}

async function surveyTitles(db: Kysely<Database>, locale: Locale) {
  const published = await repository.listPublishedSurveys(db);
  return Promise.all(
    published.map(async (survey) => {
      const { shown } = await publishedSnapshot(db, survey.slug);
      return { slug: survey.slug, title: shown.content.title[locale] ?? survey.slug, publishedAt: survey.publishedAt };
    }),
  );
}

/** Published results for anyone: JSON under /api/results, the server-rendered pages under /results. */
export function createResultsPublicRoutes({ db }: ResultsRoutesDeps) {
  // gzip (for clients that accept it): a page of every table of the baseline by district is
  // 240–320 KB of HTML, 30–40 KB on the wire — what keeps a phone's first load under 150 KB.
  const gzip = compress({ encoding: 'gzip' });
  const api = new Hono<AppEnv>();
  api.use('*', gzip);
  api.get('/', async (c) => {
    const surveys = await surveyTitles(db, c.get('locale'));
    return c.json({ results: surveys.map((survey) => ({ ...survey, publishedAt: survey.publishedAt.toISOString() })) });
  });
  api.get('/:slug', async (c) => {
    const slug = c.req.param('slug');
    const requested = c.req.query('snapshot');
    if (requested !== undefined && !UUID.test(requested)) throw new ApiError(404, 'results_not_found', { slug });
    const { shown, earlier } = await publishedSnapshot(db, slug, requested?.toLowerCase());
    return c.json({
      slug,
      snapshot: { id: shown.id, publishedAt: shown.publishedAt!.toISOString(), content: shown.content },
      earlier: earlier.map((snapshot) => ({ id: snapshot.id, publishedAt: snapshot.publishedAt!.toISOString() })),
      measures: await repository.listMeasures(db, { surveySlug: slug }),
    });
  });

  // What the respondent's start and thank-you pages need: is there a published result to link to,
  // and the measures taken on this survey ("what happened with your input"). Small, always 200.
  api.get('/:slug/summary', async (c) => {
    const slug = c.req.param('slug');
    const survey = await db.selectFrom('survey').select('slug').where('slug', '=', slug).executeTakeFirst();
    if (!survey) throw new ApiError(404, 'survey_not_found', { slug });
    const newest = await repository.newestPublished(db, slug);
    return c.json(
      {
        slug,
        published: newest ? { snapshotId: newest.id, publishedAt: newest.publishedAt.toISOString(), path: `/results/${encodeURIComponent(slug)}` } : null,
        measures: await repository.listMeasures(db, { surveySlug: slug }),
      },
      200,
      { 'cache-control': 'no-cache' },
    );
  });

  const pages = new Hono<AppEnv>();
  pages.use('*', gzip);
  pages.get(RESULTS_CSS_PATH.replace('/results', ''), (c) => c.body(RESULTS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  pages.get('/', async (c) => {
    const locale = c.get('locale');
    return c.html(resultsIndexPage({ locale, townName: await townNameIn(db, locale), surveys: await surveyTitles(db, locale) }), 200, { 'cache-control': 'no-cache' });
  });
  pages.get('/:slug', async (c) => {
    const slug = c.req.param('slug');
    const locale = c.get('locale');
    const requested = c.req.query('snapshot');
    if (requested !== undefined && !UUID.test(requested)) return resultsNotFound(c, slug);
    const found = await publishedSnapshot(db, slug, requested?.toLowerCase()).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'results_not_found') return null;
      throw error;
    });
    if (!found) return resultsNotFound(c, slug);
    const { shown, earlier } = found;
    const html = resultsPage({
      locale,
      townName: await townNameIn(db, locale),
      slug,
      content: shown.content,
      publishedAt: shown.publishedAt!,
      snapshotId: shown.id,
      isEarlier: earlier.some((snapshot) => snapshot.publishedAt! > shown.publishedAt!),
      earlier: earlier.map((snapshot) => ({ id: snapshot.id, publishedAt: snapshot.publishedAt! })),
      measures: await repository.listMeasures(db, { surveySlug: slug }),
    });
    return c.html(html, 200, { 'cache-control': 'no-cache', 'content-language': locale });
  });
  return { api, pages };
}

/** A page, not JSON, for a browser asking for results that are not (yet) published. */
function resultsNotFound(c: Context<AppEnv>, slug: string): Response {
  const locale = c.get('locale');
  const t = messageFor(locale);
  const message = t('errors.results_not_found', { slug });
  return c.html(htmlMessagePage({ lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', title: message, message, homeLabel: t('web.home') }), 404, { 'cache-control': 'no-store' });
}
