import type { Kysely } from 'kysely';
import { databaseIdentity, type DatabaseIdentity } from '../db/identity.ts';
import type { Database, SurveyKind } from '../db/schema.ts';
import { listDistrictCodes } from '../districts/index.ts';
import { findSurveyVersionMeta, type SurveyVersionMeta } from '../surveys/repository.ts';

/**
 * What a submission needs to know besides its answers, kept in memory where that is safe, so that
 * the common case costs one database statement (the insert) rather than four. Kept per database
 * (see databaseIdentity).
 */
export interface VersionFacts {
  kind: SurveyKind;
  contentHash: string;
}

const versionFacts = new WeakMap<DatabaseIdentity, Map<string, VersionFacts>>();

/**
 * A survey version's kind and content hash. Versions never change once written (a trigger forbids
 * it), so once seen they are kept; whether the survey is open is not, and is checked by the insert
 * itself (surveyIsOpen). Returns the fresh row when it had to ask, for its status.
 */
export async function findVersionFacts(
  db: Kysely<Database>,
  slug: string,
  version: number,
): Promise<{ facts: VersionFacts | null; fresh: SurveyVersionMeta | undefined }> {
  const key = `${slug}@${version}`;
  const cached = versionFacts.get(databaseIdentity(db))?.get(key);
  if (cached) return { facts: cached, fresh: undefined };
  const meta = await findSurveyVersionMeta(db, slug, version);
  if (!meta || meta.contentHash === null) return { facts: null, fresh: meta };
  const facts = { kind: meta.kind, contentHash: meta.contentHash };
  const known = versionFacts.get(databaseIdentity(db)) ?? new Map<string, VersionFacts>();
  known.set(key, facts);
  versionFacts.set(databaseIdentity(db), known);
  return { facts, fresh: meta };
}

/**
 * The district codes, re-read when a submission names a code the cached list does not have (a
 * district added since) and at least every minute. A district removed since is caught by the
 * response's foreign key on `district`; the caller then calls `forgetDistrictCodes` and retries.
 */
const DISTRICTS_MAX_AGE_MS = 60_000;
const districtCodes = new WeakMap<DatabaseIdentity, { codes: string[]; loadedAt: number }>();

export async function districtCodesCovering(db: Kysely<Database>, wanted: readonly string[]): Promise<string[]> {
  const cached = districtCodes.get(databaseIdentity(db));
  const fresh = cached && Date.now() - cached.loadedAt < DISTRICTS_MAX_AGE_MS;
  if (fresh && wanted.every((code) => cached.codes.includes(code))) return cached.codes;
  const codes = await listDistrictCodes(db);
  districtCodes.set(databaseIdentity(db), { codes, loadedAt: Date.now() });
  return codes;
}

export function forgetDistrictCodes(db: Kysely<Database>): void {
  districtCodes.delete(databaseIdentity(db));
}
