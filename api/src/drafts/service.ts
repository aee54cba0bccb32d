import { sql, type Kysely, type RawBuilder } from 'kysely';
import { runExclusively } from '../jobs/run-exclusively.ts';
import { hashHumanCode, newHumanCode, normaliseHumanCode } from '../codes/human-code.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import type { Locale } from '../shared/locales.ts';
import { findSurveyVersionMeta } from '../surveys/repository.ts';
import * as repository from './repository.ts';

export interface DraftInput {
  version: number;
  locale: Locale;
  answers: Record<string, unknown>;
  responseId?: string;
  page?: number;
}

export interface DraftDeps {
  db: Kysely<Database>;
}

/**
 * Keeps unfinished answers under a fresh resume code. The answers are not validated: a draft is by
 * nature incomplete, and the full check happens on submission. Returns the code, which exists only
 * in this reply (the database keeps its hash).
 */
export async function createDraft(deps: DraftDeps, slug: string, input: DraftInput): Promise<{ code: string; expiresAt: Date }> {
  await requireOpenVersion(deps.db, slug, input.version);
  // Expired drafts must not outlive their promise on a server that runs for months without restart.
  await purgeExpiredDrafts(deps.db);
  for (let attempt = 1; ; attempt++) {
    const code = newHumanCode();
    try {
      const expiresAt = await repository.insertDraft(deps.db, codeHash(code)!, { slug, ...input });
      return { code, expiresAt };
    } catch (error) {
      // Two equal codes in 2^60 is not going to happen; if it does, draw again rather than fail.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

export async function readDraft(deps: DraftDeps, code: string): Promise<repository.StoredDraft> {
  const hash = codeHash(code);
  const draft = hash ? await repository.findLiveDraft(deps.db, hash) : undefined;
  if (!draft) throw new ApiError(404, 'draft_not_found');
  return draft;
}

export async function saveDraft(deps: DraftDeps, code: string, input: DraftInput): Promise<{ expiresAt: Date }> {
  const draft = await readDraft(deps, code);
  await requireOpenVersion(deps.db, draft.slug, input.version);
  const updated = await repository.updateLiveDraft(deps.db, codeHash(code)!, input);
  // Deleted or expired between the read and the write.
  if (!updated) throw new ApiError(404, 'draft_not_found');
  return { expiresAt: updated.expiresAt };
}

export async function discardDraft(deps: DraftDeps, code: string): Promise<void> {
  const hash = codeHash(code);
  if (!hash || !(await repository.deleteDraft(deps.db, hash))) throw new ApiError(404, 'draft_not_found');
}

export { deleteDraftsOfSurvey, deleteExpiredDrafts } from './repository.ts';

/**
 * A response id that a live draft will be submitted under may be used only with that draft's code
 * (sent in X-Resume-Code): the id travels with the draft to every device that holds the code, and
 * to no one else, so nobody can send other answers under it first.
 */
export async function requireResumeCodeFor(db: Kysely<Database>, responseId: string, code: string | undefined): Promise<void> {
  const holders = await repository.liveDraftCodeHashesFor(db, responseId);
  if (holders.length === 0) return;
  const hash = code ? codeHash(code) : null;
  if (!hash || !holders.includes(hash)) throw new ApiError(403, 'resume_code_required');
}

/**
 * The same rule as a condition for the statement that stores the response (responses/service.ts),
 * so that the usual case (no draft holds the id) costs no statement of its own; when it fails,
 * requireResumeCodeFor tells why.
 */
export function resumeCodeAllows(responseId: string, code: string | undefined): RawBuilder<boolean> {
  const hash = code ? codeHash(code) : null;
  const live = sql`from response_draft d where d.response_id = ${responseId}::uuid and d.expires_at > now()`;
  return sql<boolean>`(not exists (select 1 ${live}) or exists (select 1 ${live} and d.code_hash = ${hash}))`;
}

/**
 * Deletes every draft past its expiry; returns how many (0 when another process is doing it right
 * now). Runs at start-up and before each new draft, on every process: runExclusively makes one of
 * them do the work at a time.
 */
export async function purgeExpiredDrafts(db: Kysely<Database>): Promise<number> {
  const outcome = await runExclusively(db, 'draft-purge', (trx) => repository.deleteExpiredDrafts(trx));
  return outcome.ran ? outcome.result : 0;
}

async function requireOpenVersion(db: Kysely<Database>, slug: string, version: number) {
  const survey = await findSurveyVersionMeta(db, slug, version);
  if (!survey) throw new ApiError(404, 'survey_not_found', { slug });
  if (survey.status === 'closed') throw new ApiError(409, 'survey_closed', { slug });
  if (survey.contentHash === null) throw new ApiError(409, 'version_conflict', { slug, version });
}

function codeHash(code: string): string | null {
  const normalised = normaliseHumanCode(code);
  return normalised ? hashHumanCode('draft', normalised) : null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
