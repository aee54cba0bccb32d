import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { checkJsonShape } from '../http/json-shape.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { storeInstrumentVersion, UPLOAD_SOURCE_PREFIX } from './catalogue.ts';
import { readCodeLists } from './content-rules/code-lists.ts';
import { checkContent } from './content-rules/index.ts';
import { checkInstrumentSource, type Completeness } from './definition-check.ts';
import type { InstrumentFile } from './instrument-file.ts';
import * as repository from './repository.ts';
import { diffVersions, type VersionDiff } from './version-diff.ts';

/** A problem with an uploaded instrument and where it is, as `npm run check-surveys` prints it. */
export interface UploadProblem {
  /** `error` refuses the file; `warning` is shown (a missing translation, a content warning). */
  severity: 'error' | 'warning';
  where: string;
  locale: string | null;
  message: string;
}

export interface UploadCheck {
  slug: string;
  currentVersion: number;
  /** The number publishing gives it; null when the content equals a stored version. */
  nextVersion: number | null;
  /** The stored version with this very content, if any (publishing it again makes it current). */
  sameAsVersion: number | null;
  publishable: boolean;
  problems: UploadProblem[];
  completeness: Completeness[];
  diff: VersionDiff | null;
}

const UPLOAD_SHAPE = { maxDepth: 64, maxEntries: 200_000 };

/**
 * Runs the checks of `npm run check-surveys` on an uploaded file for survey `slug` — the definition
 * check and the content rules, the cross-instrument ones against the other instruments' current
 * versions — and diffs it against the current version. Changes nothing.
 */
export async function checkUpload(db: Kysely<Database>, surveysDir: string | null, slug: string, source: string): Promise<UploadCheck & { file: InstrumentFile | null }> {
  const current = await repository.findSurveyVersion(db, slug);
  if (!current) throw new ApiError(404, 'survey_not_found', { slug });
  const base = { slug, currentVersion: current.version, nextVersion: null, sameAsVersion: null, diff: null };
  try {
    // Parsed once here only to bound its shape: the checker's walks are recursive.
    checkJsonShape(JSON.parse(source), UPLOAD_SHAPE);
  } catch (error) {
    if (error instanceof ApiError) return { ...base, file: null, publishable: false, completeness: [], problems: [{ severity: 'error', where: 'file', locale: null, message: String(error.params.details ?? error.code) }] };
    // Not JSON: the checker below says so with the parser's message.
  }
  const result = checkInstrumentSource(source);
  const problems: UploadProblem[] = result.problems.map((problem) => ({
    severity: problem.severity === 'error' ? 'error' : 'warning',
    where: problem.where,
    locale: null,
    message: problem.message,
  }));
  const file = result.file;
  if (!file) return { ...base, file: null, publishable: false, completeness: [], problems };
  if (file.kind !== current.kind) {
    problems.push({ severity: 'error', where: 'file', locale: null, message: `kind is "${file.kind}", but the survey ${slug} is "${current.kind}" (a new kind is a new instrument)` });
  }
  problems.push(...(await contentProblems(db, surveysDir, slug, file)));

  const contentHash = hashOf(file);
  const same = await repository.findVersionByHash(db, slug, contentHash);
  const publishable = !problems.some((problem) => problem.severity === 'error');
  return {
    ...base,
    file,
    publishable,
    problems,
    completeness: result.completeness,
    sameAsVersion: same?.version ?? null,
    nextVersion: same ? null : (await repository.latestVersionNumber(db, slug)) + 1,
    diff: diffVersions(current.definition, file.definition),
  };
}

/** The content rules as the CLI runs them; only the findings about the uploaded file are its problems. */
async function contentProblems(db: Kysely<Database>, surveysDir: string | null, slug: string, file: InstrumentFile): Promise<UploadProblem[]> {
  const others = (await repository.listCurrentVersions(db)).filter((version) => version.slug !== slug);
  const fileName = `${slug}.json`;
  const instruments = [
    ...others.map((other) => ({
      file: `${other.slug}.json`,
      instrument: { kind: other.kind, locales: other.locales, translationStatus: other.translationStatus, definition: other.definition } as InstrumentFile,
    })),
    { file: fileName, instrument: file },
  ];
  const codeLists = surveysDir ? readCodeLists(surveysDir) : null;
  return checkContent(instruments, codeLists)
    .findings.filter((found) => found.file === fileName)
    .map((found) => ({ severity: found.severity, where: found.where, locale: found.locale, message: `${found.rule}: ${found.message}` }));
}

const hashOf = (file: InstrumentFile) =>
  sha256Hex(canonicalJson({ definition: file.definition, locales: file.locales, translationStatus: file.translationStatus }));

export interface PublishedVersion {
  slug: string;
  version: number;
  /** False when the file equals a stored version, which became current again. */
  isNewVersion: boolean;
  diff: VersionDiff;
}

/**
 * Publishes an uploaded file as the survey's current version after the same checks as the
 * preview; a file that fails any of them changes nothing (422 with the problems). Earlier versions
 * and their responses are never touched: a new version is a new row.
 */
export async function publishUpload(
  db: Kysely<Database>,
  surveysDir: string | null,
  slug: string,
  source: string,
  fileName: string,
): Promise<PublishedVersion> {
  const checked = await checkUpload(db, surveysDir, slug, source);
  if (!checked.publishable || !checked.file || !checked.diff) {
    const errors = checked.problems.filter((problem) => problem.severity === 'error');
    throw new ApiError(422, 'instrument_invalid', { count: errors.length }, { problems: errors });
  }
  if (checked.sameAsVersion === checked.currentVersion) throw new ApiError(409, 'instrument_unchanged', { version: checked.currentVersion });
  const stored = await storeInstrumentVersion(db, slug, checked.file, `${UPLOAD_SOURCE_PREFIX}${path.basename(fileName)}`);
  return { slug, version: stored.version, isNewVersion: stored.isNewVersion, diff: checked.diff };
}
