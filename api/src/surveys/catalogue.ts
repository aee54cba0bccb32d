import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database, SurveyStatus } from '../db/schema.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { checkInstrumentSource, type DefinitionProblem } from './definition-check.ts';
import type { InstrumentFile } from './instrument-file.ts';
import { ApiError } from '../http/errors.ts';
import * as repository from './repository.ts';

export interface RegisteredInstrument {
  slug: string;
  version: number;
  /** True when this start wrote a new version (new file, or changed content). */
  isNewVersion: boolean;
}

export interface RefusedInstrument {
  file: string;
  problems: DefinitionProblem[];
}

export interface CatalogueReport {
  registered: RegisteredInstrument[];
  refused: RefusedInstrument[];
}

/** The slug is the file name: `surveys/resident-baseline.json` → `resident-baseline`. */
export function slugOf(fileName: string): string {
  return path.basename(fileName, '.json');
}

export async function listInstrumentFiles(surveysDir: string): Promise<string[]> {
  const entries = await fs.readdir(surveysDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(surveysDir, entry.name))
    .sort();
}

/**
 * Registers every instrument in `surveysDir`. A file whose content changed becomes a new version;
 * earlier versions stay untouched because responses point at them. A broken file is refused and
 * reported, and the others are still registered.
 */
export async function registerInstruments(
  db: Kysely<Database>,
  surveysDir: string,
  log: (line: string) => void = () => {},
  /** The status a survey seen for the first time starts in: closed until the town is set up. */
  newSurveyStatus: SurveyStatus = 'open',
): Promise<CatalogueReport> {
  const report: CatalogueReport = { registered: [], refused: [] };
  for (const filePath of await listInstrumentFiles(surveysDir)) {
    const fileName = path.basename(filePath);
    const result = checkInstrumentSource(await fs.readFile(filePath, 'utf8'));
    const errors = result.problems.filter((problem) => problem.severity === 'error');
    if (!result.file || errors.length > 0) {
      report.refused.push({ file: fileName, problems: errors });
      for (const problem of errors) log(`surveys/${fileName} refused: ${problem.where}: ${problem.message}`);
      continue;
    }
    if (!/^[a-z0-9][a-z0-9-]*$/.test(slugOf(fileName))) {
      const problem: DefinitionProblem = { severity: 'error', where: 'file name', message: 'must be lower-case letters, digits and hyphens' };
      report.refused.push({ file: fileName, problems: [problem] });
      log(`surveys/${fileName} refused: ${problem.message}`);
      continue;
    }
    const registered = await registerOne(db, fileName, result.file, newSurveyStatus);
    report.registered.push(registered);
    log(`survey ${registered.slug}: version ${registered.version}${registered.isNewVersion ? ' (new)' : ''}`);
  }
  return report;
}

/** `source_file` of a version an admin uploaded in the browser (`upload:resident-baseline.json`). */
export const UPLOAD_SOURCE_PREFIX = 'upload:';

async function registerOne(
  db: Kysely<Database>,
  fileName: string,
  file: NonNullable<ReturnType<typeof checkInstrumentSource>['file']>,
  newSurveyStatus: SurveyStatus,
): Promise<RegisteredInstrument> {
  return storeInstrumentVersion(db, slugOf(fileName), file, fileName, { newSurveyStatus, fromDirectory: true });
}

/**
 * Stores `file` as the current version of `slug`: a new version when its content is new, else the
 * stored version with that content becomes current again. From the directory at start-up, an
 * unchanged file does not undo a newer version an admin uploaded in the browser: that upload stays
 * current until the file in `surveys/` itself changes.
 */
export async function storeInstrumentVersion(
  db: Kysely<Database>,
  slug: string,
  file: InstrumentFile,
  sourceFile: string,
  options: {
    newSurveyStatus?: SurveyStatus;
    fromDirectory?: boolean;
    /** The staff account publishing it: recorded as having marked each locale whose status changes (null: the file). */
    markedBy?: string | null;
    /** A new instrument: refused (409) when the slug already has a version, checked under the lock. */
    mustBeNew?: boolean;
  } = {},
): Promise<RegisteredInstrument> {
  const versioned = { definition: file.definition, locales: file.locales, translationStatus: file.translationStatus };
  const contentHash = sha256Hex(canonicalJson(versioned));
  return db.transaction().execute(async (trx) => {
    // Two instances starting at once must not both write version n+1.
    await sql`select pg_advisory_xact_lock(hashtext(${'survey:' + slug}))`.execute(trx);
    const before = await repository.findCurrentTranslationStatus(trx, slug);
    // Who set each status that this version changes (for a new survey: every locale's).
    const marks = (version: number) =>
      repository.recordTranslationMarks(
        trx,
        slug,
        version,
        Object.entries(file.translationStatus)
          .filter(([locale, status]) => locale !== 'de' && before[locale] !== status)
          .map(([locale, status]) => ({ locale, status })),
        options.markedBy ?? null,
      );
    const existing = await repository.findVersionByHash(trx, slug, contentHash);
    if (options.mustBeNew && (existing || (await repository.latestVersionNumber(trx, slug)) > 0)) {
      throw new ApiError(409, 'survey_exists', { slug });
    }
    if (existing) {
      if (options.fromDirectory) {
        const current = await repository.findSurveyVersionSource(trx, slug);
        if (current && current.version > existing.version && current.sourceFile.startsWith(UPLOAD_SOURCE_PREFIX)) {
          return { slug, version: current.version, isNewVersion: false };
        }
      }
      // Same content as a stored version (unchanged, or reverted to an earlier one): make it current.
      await repository.setCurrentVersion(trx, slug, existing.version, file.kind);
      await marks(existing.version);
      return { slug, version: existing.version, isNewVersion: false };
    }
    const version = (await repository.latestVersionNumber(trx, slug)) + 1;
    await repository.insertSurveyVersion(trx, {
      slug,
      kind: file.kind,
      version,
      ...versioned,
      contentHash,
      sourceFile,
      initialStatus: options.newSurveyStatus ?? 'open',
    });
    await marks(version);
    return { slug, version, isNewVersion: true };
  });
}
