import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { checkJsonShape } from '../http/json-shape.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { storeInstrumentVersion, UPLOAD_SOURCE_PREFIX } from './catalogue.ts';
import { readCodeLists } from './content-rules/code-lists.ts';
import { checkContent } from './content-rules/index.ts';
import type { PublishedVersion, UploadCheck, UploadProblem } from '../shared/surveys-admin.ts';
import { checkInstrumentSource } from './definition-check.ts';
import type { InstrumentFile } from './instrument-file.ts';
import * as repository from './repository.ts';
import { diffVersions } from './version-diff.ts';

const UPLOAD_SHAPE = { maxDepth: 64, maxEntries: 200_000 };

/**
 * Runs the checks of `npm run check-surveys` on an uploaded file for survey `slug` — the definition
 * check and the content rules, the cross-instrument ones against the other instruments' current
 * versions — and diffs it against the current version. Changes nothing.
 */
export async function checkUpload(
  db: Kysely<Database>,
  surveysDir: string | null,
  slug: string,
  source: string,
  options: { newInstrument?: boolean } = {},
): Promise<UploadCheck & { file: InstrumentFile | null }> {
  const found = await repository.findSurveyVersion(db, slug);
  if (!found && !options.newInstrument) throw new ApiError(404, 'survey_not_found', { slug });
  // A new instrument is checked against nothing: every question is "added".
  const current = options.newInstrument ? null : found!;
  const base = { slug, isNewInstrument: current === null, currentVersion: current?.version ?? 0, nextVersion: null, sameAsVersion: null, diff: null };
  const slugProblems = options.newInstrument ? await newSlugProblems(db, surveysDir, slug, found !== undefined) : [];
  try {
    // Parsed once here only to bound its shape: the checker's walks are recursive.
    checkJsonShape(JSON.parse(source), UPLOAD_SHAPE);
  } catch (error) {
    if (error instanceof ApiError) return { ...base, file: null, publishable: false, completeness: [], problems: [...slugProblems, { severity: 'error', where: 'file', locale: null, message: String(error.params.details ?? error.code) }] };
    // Not JSON: the checker below says so with the parser's message.
  }
  const result = checkInstrumentSource(source);
  const problems: UploadProblem[] = [...slugProblems, ...result.problems.map((problem) => ({
    severity: problem.severity === 'error' ? ('error' as const) : ('warning' as const),
    where: problem.where,
    locale: null,
    message: problem.message,
  }))];
  const file = result.file;
  if (!file) return { ...base, file: null, publishable: false, completeness: [], problems };
  if (current && file.kind !== current.kind) {
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
    diff: diffVersions(current?.definition ?? {}, file.definition),
  };
}

/** Lower-case letters, digits and hyphens, as the file names in surveys/ (the slug is in every link). */
export const SURVEY_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,59}$/;

/**
 * Why `slug` cannot name a new instrument: its form, a survey that has it already, or a file in
 * surveys/ of that name (at the next start it would become a version of this one).
 */
async function newSlugProblems(db: Kysely<Database>, surveysDir: string | null, slug: string, exists: boolean): Promise<UploadProblem[]> {
  const problem = (message: string): UploadProblem[] => [{ severity: 'error', where: 'slug', locale: null, message }];
  if (!SURVEY_SLUG_PATTERN.test(slug)) return problem(`"${slug}" is not a usable name: lower-case letters, digits and hyphens, starting with a letter or digit, at most 60 characters`);
  if (exists || (await repository.latestVersionNumber(db, slug)) > 0) return problem(`a survey "${slug}" exists already: upload a new version of it in its own section, or choose another name`);
  if (surveysDir && (await fileExists(path.join(surveysDir, `${slug}.json`)))) return problem(`surveys/${slug}.json exists on the server: choose another name, or let that file be registered at start-up`);
  return [];
}

const fileExists = (file: string) => fs.access(file).then(() => true, () => false);

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
  publisher: { actorId: string; newInstrument?: boolean },
): Promise<PublishedVersion> {
  const newInstrument = publisher.newInstrument ?? false;
  const checked = await checkUpload(db, surveysDir, slug, source, { newInstrument });
  if (!checked.publishable || !checked.file || !checked.diff) {
    const errors = checked.problems.filter((problem) => problem.severity === 'error');
    throw new ApiError(422, 'instrument_invalid', { count: errors.length }, { problems: errors });
  }
  if (checked.sameAsVersion === checked.currentVersion) throw new ApiError(409, 'instrument_unchanged', { version: checked.currentVersion });
  const stored = await storeInstrumentVersion(db, slug, checked.file, `${UPLOAD_SOURCE_PREFIX}${path.basename(fileName)}`, {
    markedBy: publisher.actorId,
    // A new instrument starts closed: the admin opens it when it is ready (and the town is set up).
    newSurveyStatus: 'closed',
    mustBeNew: newInstrument,
  });
  return { slug, version: stored.version, isNewVersion: stored.isNewVersion, diff: checked.diff };
}
