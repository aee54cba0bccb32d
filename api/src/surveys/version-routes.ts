import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { checkUpload, publishUpload } from './upload.ts';

export interface SurveyVersionDeps {
  db: Kysely<Database>;
  /** Where `code-lists.json` lives, for the content rules; null: those rules are skipped. */
  surveysDir?: string | null;
}

/** The resident baseline is about 330 KB; this leaves room for more locales. */
export const MAX_INSTRUMENT_BYTES = 4 * 1024 * 1024;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The uploaded file as text: UTF-8 (a leading byte-order mark is dropped), JSON by content type. */
async function readInstrumentUpload(c: Context<AppEnv>): Promise<string> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new ApiError(415, 'unsupported_media_type');
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_INSTRUMENT_BYTES) throw new ApiError(413, 'payload_too_large');
  try {
    return strictUtf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ApiError(400, 'invalid_json');
  }
}

/**
 * New versions of an instrument from the browser: a preview (the checks and the diff against the
 * current version, nothing stored) and publishing, which makes it the current version.
 */
export function createSurveyVersionRoutes(deps: SurveyVersionDeps) {
  const surveysDir = deps.surveysDir ?? null;
  const newSlug = (c: Context<AppEnv>) => {
    // A missing or unusable name is one of the preview's problems, at "slug".
    return c.req.query('slug') ?? '';
  };
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    // A new instrument (a slug no survey has yet): the same checks, then version 1, closed.
    .post('/preview', async (c) => {
      const { file: _file, ...check } = await checkUpload(deps.db, surveysDir, newSlug(c), await readInstrumentUpload(c), { newInstrument: true });
      return c.json(check);
    })
    .post('/', async (c) => {
      const slug = newSlug(c);
      const source = await readInstrumentUpload(c);
      const published = await publishUpload(deps.db, surveysDir, slug, source, c.req.query('fileName') ?? `${slug}.json`, { actorId: c.get('user')!.id, newInstrument: true });
      await recordAudit(deps.db, {
        actorId: c.get('user')!.id,
        action: 'survey.create',
        target: slug,
        details: { version: published.version, questions: published.diff.added.length },
      });
      return c.json(published, 201);
    })
    .post('/:slug/versions/preview', async (c) => {
      const { file: _file, ...check } = await checkUpload(deps.db, surveysDir, c.req.param('slug'), await readInstrumentUpload(c));
      return c.json(check);
    })
    .post('/:slug/versions', async (c) => {
      const slug = c.req.param('slug');
      const source = await readInstrumentUpload(c);
      const published = await publishUpload(deps.db, surveysDir, slug, source, c.req.query('fileName') ?? `${slug}.json`, { actorId: c.get('user')!.id });
      await recordAudit(deps.db, {
        actorId: c.get('user')!.id,
        action: 'survey.version_publish',
        target: slug,
        details: {
          version: published.version,
          isNewVersion: published.isNewVersion,
          added: published.diff.added.length,
          removed: published.diff.removed.length,
          changed: published.diff.changed.length,
        },
      });
      return c.json(published, published.isNewVersion ? 201 : 200);
    });
}
