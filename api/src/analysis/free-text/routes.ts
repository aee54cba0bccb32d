import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/index.ts';
import { requireRole } from '../../auth/index.ts';
import type { Database } from '../../db/schema.ts';
import type { AppEnv } from '../../http/app-env.ts';
import { ApiError } from '../../http/errors.ts';
import { CONTENT_HASH_PATTERN, readImage } from '../../media/index.ts';
import { getSuppressionThreshold } from '../../settings/index.ts';
import { analysisLabels } from '../labels.ts';
import { dimensionValues, loadAnalysisContext } from '../service.ts';
import { readerSelectionAllowed } from './reader-threshold.ts';
import { countResponsesByDistrict, isPhotoOfSurvey, photosOfInterviews, readTextPage, type PhotoRow, type ReaderFilter } from './repository.ts';
import { freeTextLabel, freeTextQuestions } from './text-questions.ts';
import type { FreeTextPage } from '../../shared/analysis.ts';

export interface FreeTextRoutesDeps {
  db: Kysely<Database>;
  /** For media/readImage (photos of earlier versions kept in DATA_DIR). */
  dataDir: string;
}

/** Texts per page of the reader. */
export const FREE_TEXT_PAGE_SIZE = 20;
const MAX_PAGE = 100_000;
const ORDER_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

function actor(c: Context<AppEnv>) {
  const user = c.get('user');
  if (!user) throw new ApiError(401, 'unauthenticated');
  return user;
}

/** A filter value: empty for none, else one of the survey's known codes. */
function parseChoice(value: string | undefined, known: readonly string[], name: string): string | null {
  if (value === undefined || value === '') return null;
  if (!known.includes(value)) throw new ApiError(400, 'invalid_request', { details: `unknown ${name}` });
  return value;
}

function parsePage(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const page = Number(value);
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new ApiError(400, 'invalid_request', { details: 'page must be a whole number from 1' });
  return page;
}

function parseOrder(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!ORDER_PATTERN.test(value)) throw new ApiError(400, 'invalid_request', { details: 'order must be 8 to 64 letters, digits, - or _' });
  return value;
}

const photoUrl = (slug: string, hash: string, variant: 'image' | 'thumbnail') =>
  `/api/analysis/${encodeURIComponent(slug)}/free-text/photos/${hash}${variant === 'thumbnail' ? '/thumb' : ''}`;

/**
 * The free-text reader (docs/analysis.md, "Reading what people wrote"): analysts and admins read
 * the texts of one question at a time, optionally of one district and/or one target group, a page
 * at a time in a stable shuffle, with the month at most and nothing else of the same person; an
 * interview's pin-board photos beside its interviewer's notes. Every view, refused ones included,
 * is written to the audit log. Nothing here is published or exported: the de-identified raw export
 * with `text=include` is the only file that carries free text.
 */
export function createFreeTextRoutes({ db, dataDir }: FreeTextRoutesDeps) {
  const app = new Hono<AppEnv>();
  const staff = requireRole('analyst', 'admin');

  app.get('/:slug/free-text', staff, async (c) => {
    const slug = c.req.param('slug');
    const user = actor(c);
    const locale = c.get('locale');
    const context = await loadAnalysisContext(db, slug);
    const labels = analysisLabels(context, locale);
    const values = dimensionValues(context);
    const filter: ReaderFilter = {
      district: parseChoice(c.req.query('district'), values.district, 'district'),
      targetGroup: parseChoice(c.req.query('target_group'), values.target_group, 'target_group'),
    };
    const page = parsePage(c.req.query('page'));
    const order = parseOrder(c.req.query('order')) ?? randomBytes(12).toString('base64url');
    const questions = freeTextQuestions(context);
    const asked = c.req.query('question') || questions[0]?.key;
    const question = questions.find((candidate) => candidate.key === asked);
    if (asked !== undefined && !question) throw new ApiError(404, 'question_not_found', { slug, question: asked });

    const allowed = readerSelectionAllowed(await countResponsesByDistrict(db, slug, filter.targetGroup), filter, context.k);
    const result = question && allowed ? await readTextPage(db, slug, question.key, filter, { order, offset: (page - 1) * FREE_TEXT_PAGE_SIZE, limit: FREE_TEXT_PAGE_SIZE }) : { total: 0, rows: [] };
    const photos = question?.kind === 'note' ? await photosOfInterviews(db, result.rows.map((row) => row.responseId)) : new Map<string, PhotoRow[]>();
    await recordAudit(db, {
      actorId: user.id,
      action: 'export.free_text_json',
      target: slug,
      details: { question: question?.key ?? null, district: filter.district, targetGroup: filter.targetGroup, page, k: context.k, allowed, texts: result.rows.length },
    });
    if (!allowed) throw new ApiError(422, 'free_text_filter_too_small', { k: context.k });

    const otherKind = new Set(context.targetGroups.filter((group) => group.surveyKind !== null && group.surveyKind !== context.kind).map((group) => group.code));
    const body: FreeTextPage = {
      slug,
      k: context.k,
      questions: questions.map((candidate) => ({ key: candidate.key, kind: candidate.kind, label: freeTextLabel(candidate, locale) })),
      filters: {
        districts: values.district.map((code) => ({ code, label: labels.dimensionValue('district', code) })),
        // The groups whose rule applies to this kind of survey (an interview rule never matches a resident's response).
        targetGroups: values.target_group
          .filter((code) => !otherKind.has(code))
          .map((code) => ({ code, label: labels.dimensionValue('target_group', code) })),
      },
      selection: { question: question?.key ?? null, district: filter.district, targetGroup: filter.targetGroup },
      order,
      page,
      pageSize: FREE_TEXT_PAGE_SIZE,
      total: result.total,
      pages: Math.ceil(result.total / FREE_TEXT_PAGE_SIZE),
      entries: result.rows.map((row) => ({
        text: row.text,
        month: row.month,
        ...(question?.kind === 'note'
          ? {
              photos: (photos.get(row.responseId) ?? []).map((photo) => ({
                image: photoUrl(slug, photo.contentHash, 'image'),
                thumbnail: photoUrl(slug, photo.contentHash, 'thumbnail'),
                width: photo.width,
                height: photo.height,
              })),
            }
          : {}),
      })),
    };
    return c.json(body);
  });

  // A photo of the reader: only one linked to an interview of this survey, only while the survey's
  // texts may be read at all. Every other request (no such photo, another survey's, a malformed
  // name) gets the same 404, so the route tells nothing about photos it does not serve.
  const servePhoto = (variant: 'image' | 'thumbnail') => async (c: Context<AppEnv>) => {
    const slug = c.req.param('slug') ?? '';
    const hash = c.req.param('hash') ?? '';
    const user = actor(c);
    const wellFormed = CONTENT_HASH_PATTERN.test(hash);
    let image: Awaited<ReturnType<typeof readImage>>;
    if (wellFormed && (await isPhotoOfSurvey(db, slug, hash))) {
      const k = await getSuppressionThreshold(db);
      const everyone: ReaderFilter = { district: null, targetGroup: null };
      if (readerSelectionAllowed(await countResponsesByDistrict(db, slug, null), everyone, k)) image = await readImage({ db, dataDir }, hash, variant);
    }
    await recordAudit(db, { actorId: user.id, action: 'export.free_text_photo', target: slug, details: { photo: wellFormed ? hash.slice(0, 12) : null, variant, served: image !== undefined } });
    if (!image) throw new ApiError(404, 'media_not_found');
    return c.body(new Uint8Array(image.data), 200, {
      'Content-Type': image.mimeType,
      // Not cached: each view is a read of the reader, and audited as one.
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  };
  app.get('/:slug/free-text/photos/:hash', staff, servePhoto('image'));
  app.get('/:slug/free-text/photos/:hash/thumb', staff, servePhoto('thumbnail'));

  return app;
}
