import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { messageFor } from '../i18n/messages.ts';
import { isLocale, type Locale } from '../shared/locales.ts';
import type { TranslationStatusReport } from '../shared/surveys-admin.ts';
import type { InstrumentFile } from './instrument-file.ts';
import * as repository from './repository.ts';
import { csvHeaders, parseDialect } from '../analysis/csv/csv-writer.ts';
import { isWorkbook, planTranslationCsvImport, translationCsv } from './translation-csv.ts';
import { planTranslationImport, translatedLocaleOf, translationStatusOf, translationWorkbook, type TranslationImportPlan } from './translations.ts';
import { checkUpload, publishUpload } from './upload.ts';

export interface TranslationDeps {
  db: Kysely<Database>;
  surveysDir?: string | null;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_WORKBOOK_BYTES = 4 * 1024 * 1024;

async function currentFile(db: Kysely<Database>, slug: string): Promise<InstrumentFile & { version: number }> {
  const current = await repository.findSurveyVersion(db, slug);
  if (!current) throw new ApiError(404, 'survey_not_found', { slug });
  return {
    version: current.version,
    kind: current.kind,
    locales: current.locales as Locale[],
    translationStatus: current.translationStatus as InstrumentFile['translationStatus'],
    definition: current.definition,
  };
}

async function readWorkbook(c: Context<AppEnv>): Promise<Uint8Array> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_WORKBOOK_BYTES) throw new ApiError(413, 'payload_too_large');
  return bytes;
}

/** Each problem with its message in the admin's language. */
function localisedProblems(c: Context<AppEnv>, plan: TranslationImportPlan) {
  const t = messageFor(c.get('locale') ?? 'de');
  return plan.problems.map((problem) => ({ ...problem, message: t(`errors.${problem.code}`, problem.params) }));
}

/** The instrument file the import would publish, as JSON, so it goes through the uploads' checks. */
const sourceOf = ({ version: _version, ...file }: InstrumentFile & { version: number }) => JSON.stringify(file);

/**
 * Translation review: each locale's completeness and status, a workbook for a native speaker, and
 * its import, which publishes a new version after the checks every upload passes.
 */
export function createTranslationRoutes(deps: TranslationDeps) {
  const surveysDir = deps.surveysDir ?? null;
  const plan = async (c: Context<AppEnv>) => {
    const current = await currentFile(deps.db, c.req.param('slug')!);
    const bytes = await readWorkbook(c);
    // The same routes take the workbook and the CSV file: told apart by content, not by the
    // browser's label (Windows calls a .csv file application/vnd.ms-excel).
    const imported = isWorkbook(bytes) ? await planTranslationImport(current, bytes) : planTranslationCsvImport(current, bytes);
    return { current, imported };
  };
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/:slug/translations', async (c) => {
      const current = await currentFile(deps.db, c.req.param('slug'));
      const marks = await repository.listTranslationMarks(deps.db, c.req.param('slug'));
      return c.json({ slug: c.req.param('slug'), version: current.version, locales: translationStatusOf(current, marks) } satisfies TranslationStatusReport);
    })
    .get('/:slug/translations.xlsx', async (c) => {
      const slug = c.req.param('slug');
      const current = await currentFile(deps.db, slug);
      const requested = c.req.query('locale');
      if (requested !== undefined && (!isLocale(requested) || !current.locales.includes(requested) || requested === 'de')) {
        throw new ApiError(400, 'translation_column_unknown', { column: requested });
      }
      const only = requested ? [requested as Locale] : null;
      await recordAudit(deps.db, { actorId: c.get('user')!.id, action: 'export.translations_xlsx', target: slug, details: { version: current.version, locale: requested ?? null } });
      return c.body(new Uint8Array(await translationWorkbook(current, only)), 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="${slug}-v${current.version}${requested ? `-${requested}` : ''}-translations.xlsx"`,
      });
    })
    .get('/:slug/translations.csv', async (c) => {
      const slug = c.req.param('slug');
      const current = await currentFile(deps.db, slug);
      const requested = c.req.query('locale') ?? '';
      const locale = translatedLocaleOf(current, requested);
      if (!locale) throw new ApiError(400, 'translation_column_unknown', { column: requested });
      const dialect = parseDialect(c.req.query('dialect'));
      await recordAudit(deps.db, { actorId: c.get('user')!.id, action: 'export.translations_csv', target: slug, details: { version: current.version, locale, dialect } });
      return c.body(translationCsv(current, locale, dialect), 200, csvHeaders(`${slug}-v${current.version}-${locale}-translations.csv`));
    })
    .post('/:slug/translations/preview', async (c) => {
      const { current, imported } = await plan(c);
      if (!imported.file) return c.json({ problems: localisedProblems(c, imported), changedTexts: 0, check: null });
      const { file: _file, ...check } = await checkUpload(deps.db, surveysDir, c.req.param('slug'), sourceOf({ ...imported.file, version: current.version }));
      return c.json({ problems: [], changedTexts: imported.changedTexts, check });
    })
    .post('/:slug/translations', async (c) => {
      const slug = c.req.param('slug');
      const { current, imported } = await plan(c);
      if (!imported.file) throw new ApiError(422, 'translation_import_invalid', { count: imported.problems.length }, { problems: localisedProblems(c, imported) });
      const published = await publishUpload(deps.db, surveysDir, slug, sourceOf({ ...imported.file, version: current.version }), c.req.query('fileName') ?? `${slug}-translations.xlsx`, { actorId: c.get('user')!.id });
      await recordAudit(deps.db, {
        actorId: c.get('user')!.id,
        action: 'survey.translations_import',
        target: slug,
        details: { version: published.version, changedTexts: imported.changedTexts, translationStatus: imported.file.translationStatus },
      });
      return c.json({ ...published, changedTexts: imported.changedTexts }, published.isNewVersion ? 201 : 200);
    });
}
