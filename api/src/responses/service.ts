import type { Kysely } from 'kysely';
import type { Database, ResponseMode } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { messageFor } from '../i18n/messages.ts';
import type { Locale } from '../shared/locales.ts';
import { canonicalJson, sha256Hex } from '../surveys/canonical-json.ts';
import { findSurveySchedule, findSurveyVersion, findSurveyVersionMeta, surveyIsOpen } from '../surveys/repository.ts';
import { currentRules, currentRulesRevision, evaluateTargetGroups, forgetRules, rulesRevisionIs } from '../target-groups/index.ts';
import { requireResumeCodeFor, resumeCodeAllows } from '../drafts/service.ts';
import { findResponseFingerprint, insertResponseIf, type StoredFingerprint } from './repository.ts';
import { districtCodesCovering, findVersionFacts, forgetDistrictCodes, type VersionFacts } from './survey-facts.ts';
import { DISTRICT_QUESTION_NAMES, validatorFor, type Answers } from './validate-answers.ts';
import { ingestInventoryResponse, isRevisedInventory } from '../network/inventory-ingest.ts';

export interface ResponseSubmission {
  /** The client's UUID: the same id always means the same response. */
  id: string;
  slug: string;
  /** The exact survey version the answers were given to. */
  version: number;
  mode: ResponseMode;
  locale: Locale;
  /** District from the link or QR code (`?d=`); an answer to the district question wins over it. */
  district: string | null;
  /** Where the respondent came from (`?c=`: poster, flyer…); kept only if it is a plain short code. */
  channel: string | null;
  answers: Answers;
  /** Pseudonymous interviewer reference (interviews only). */
  interviewerRef?: string | null;
  /**
   * Online submissions: the X-Resume-Code sent (null: none). A response id a live draft carries is
   * stored only with that draft's code (see requireResumeCodeFor); checked inside the insert.
   * Absent (the interviewers' sync): not checked.
   */
  resumeCode?: string | null;
}

export type StoreOutcome = { status: 'stored' | 'duplicate' };

export interface ResponseDeps {
  db: Kysely<Database>;
}

const CHANNEL_PATTERN = /^[a-z0-9_-]{1,32}$/;
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Validates a response against the version it answered and stores it exactly once. Throws an
 * ApiError for everything a client must hear about: 404 unknown survey, 409 closed survey / unknown
 * version / same id with other answers, 422 answers the questionnaire would not accept. Shared by
 * online submissions and the interviewers' sync.
 */
export async function storeResponse(deps: ResponseDeps, submission: ResponseSubmission): Promise<StoreOutcome> {
  try {
    return await storeOnce(deps.db, submission);
  } catch (error) {
    // A district removed since the cached list was read: read it again and judge once more. Inside
    // a caller's transaction the failed statement has aborted it, so the caller must retry (the
    // interviewers' sync does, with the whole item).
    if ((error as { code?: unknown }).code !== FOREIGN_KEY_VIOLATION) throw error;
    forgetDistrictCodes(deps.db);
    if (deps.db.isTransaction) throw error;
    return storeOnce(deps.db, submission);
  }
}

async function storeOnce(db: Kysely<Database>, submission: ResponseSubmission): Promise<StoreOutcome> {
  const { facts, fresh } = await findVersionFacts(db, submission.slug, submission.version);
  if (!facts) {
    if (!fresh) throw new ApiError(404, 'survey_not_found', { slug: submission.slug });
    throw new ApiError(409, 'version_conflict', { slug: submission.slug, version: submission.version });
  }
  // The interview guide is for interviewers; anonymous online posts to it would be fake interviews.
  if (submission.mode === 'online' && facts.kind === 'interview') {
    throw new ApiError(409, 'survey_not_online', { slug: submission.slug });
  }

  // Target groups are computed from rules kept in memory; the insert holds only while they are
  // still current, and a change in between (rare: an analyst editing a rule) means computing again.
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareResponse(db, facts, submission);
    const row = {
      id: submission.id,
      slug: submission.slug,
      version: submission.version,
      mode: submission.mode,
      locale: submission.locale,
      district: prepared.district,
      channel: prepared.channel,
      answers: prepared.answers,
      targetGroups: prepared.targetGroups,
      payloadHash: prepared.payloadHash,
      interviewerRef: submission.interviewerRef ?? null,
    };
    const conditions = [
      surveyIsOpen(submission.slug),
      rulesRevisionIs(prepared.rulesRevision),
      ...(submission.resumeCode !== undefined ? [resumeCodeAllows(submission.id, submission.resumeCode ?? undefined)] : []),
    ];
    const stored = (await feedsRegistry(db, submission, facts))
      ? await inTransaction(db, async (trx) => {
          // The revised stakeholder inventory fills the actor registry in the same transaction: a
          // response never exists without its links, and a failure stores neither.
          if (!(await insertResponseIf(trx, row, conditions))) return false;
          const { submitted_at } = await trx.selectFrom('response').select('submitted_at').where('id', '=', row.id).executeTakeFirstOrThrow();
          await ingestInventoryResponse(trx, { id: row.id, answers: prepared.answers, submittedAt: new Date(submitted_at) });
          return true;
        })
      : await insertResponseIf(db, row, conditions);
    if (stored) return { status: 'stored' };
    // A draft holds this id and the code is missing or another: 403, before anything else is said.
    if (submission.resumeCode !== undefined) await requireResumeCodeFor(db, submission.id, submission.resumeCode ?? undefined);

    // Nothing written: this id is there already, the rules changed, or the survey is closed. A
    // client that never heard our first answer and retries after closing must still learn that
    // its response is safe.
    const existing = await findResponseFingerprint(db, submission.id);
    if (sameSubmission(existing, submission, prepared.payloadHash)) return { status: 'duplicate' };
    if (existing) throw new ApiError(409, 'response_conflict');
    if ((await currentRulesRevision(db)) !== prepared.rulesRevision) {
      forgetRules(db);
      if (attempt < MAX_ATTEMPTS_WHILE_RULES_CHANGE) continue;
      throw new RulesKeptChangingError();
    }
    const schedule = await findSurveySchedule(db, submission.slug);
    if (schedule?.status === 'open' && schedule.opensAt && schedule.opensAt.getTime() > Date.now()) {
      throw new ApiError(409, 'survey_not_yet_open', { slug: submission.slug, date: schedule.opensAt.toISOString().slice(0, 10) });
    }
    throw new ApiError(409, 'survey_closed', { slug: submission.slug });
  }
}

/** Whether a response's version is a revised stakeholder inventory (by its questions; remembered per content). */
const revisedByContent = new Map<string, boolean>();
async function feedsRegistry(db: Kysely<Database>, submission: ResponseSubmission, facts: VersionFacts): Promise<boolean> {
  if (facts.kind !== 'stakeholder') return false;
  const known = revisedByContent.get(facts.contentHash);
  if (known !== undefined) return known;
  const version = await findSurveyVersion(db, submission.slug, submission.version);
  const revised = version !== undefined && isRevisedInventory(version.definition);
  revisedByContent.set(facts.contentHash, revised);
  return revised;
}

/** Runs `work` in a transaction, or in the caller's when `db` is one already (the interviewers' sync). */
async function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/** Rules that changed under every attempt: a passing state, which clients hear as "try again" (503). */
const MAX_ATTEMPTS_WHILE_RULES_CHANGE = 5;
class RulesKeptChangingError extends Error {
  /** SQLSTATE serialization_failure: what the error renderer answers with 503 and Retry-After. */
  readonly code = '40001';
  constructor() {
    super('target-group rules changed during every attempt to store a response');
  }
}

interface PreparedResponse {
  answers: Answers;
  district: string | null;
  channel: string | null;
  targetGroups: string[];
  /** The revision of the rules `targetGroups` were computed with. */
  rulesRevision: string;
  payloadHash: string;
}

async function prepareResponse(db: Kysely<Database>, facts: VersionFacts, submission: ResponseSubmission): Promise<PreparedResponse> {
  const validator = await validatorFor(
    { slug: submission.slug, version: submission.version, contentHash: facts.contentHash },
    async () => (await findSurveyVersion(db, submission.slug, submission.version))!.definition,
  );
  const districtCodes = await districtCodesCovering(db, districtsNamedIn(submission));
  const result = validator.validate(submission.answers, { locale: submission.locale, districtCodes });
  if (!result.ok) {
    // For a closed survey, "closed" is the answer that helps; correcting the answers would not.
    const meta = await findSurveyVersionMeta(db, submission.slug, submission.version);
    if (meta?.status === 'closed') throw new ApiError(409, 'survey_closed', { slug: submission.slug });
    throw new ApiError(422, 'validation_failed', {}, { errors: result.errors });
  }

  const answers = result.answers;
  // An empty response (`{}`, or only names the questionnaire does not have) says nothing and would
  // only count as a return that is not one; the page never sends it, so whoever does hears why.
  if (Object.keys(answers).length === 0) {
    const message = messageFor(submission.locale)('errors.no_answers');
    throw new ApiError(422, 'no_answers', {}, { errors: [{ question: '', message }] });
  }
  const answeredDistrict = typeof answers.district === 'string' ? answers.district : null;
  // A link with a district that does not exist (a typo on a poster) must not cost the response:
  // the link's district is context, not an answer, so an unknown one is dropped.
  const linkDistrict = submission.district !== null && districtCodes.includes(submission.district) ? submission.district : null;
  const district = answeredDistrict ?? linkDistrict;
  const channel = submission.channel !== null && CHANNEL_PATTERN.test(submission.channel) ? submission.channel : null;
  const payloadHash = sha256Hex(canonicalJson({ version: submission.version, locale: submission.locale, district, channel, answers }));
  // Over the stored answers only, exactly as the analysis side recomputes them when rules change.
  const ruleSet = await currentRules(db);
  const targetGroups = evaluateTargetGroups(ruleSet.rules, answers, facts.kind);
  return { answers, district, channel, targetGroups, rulesRevision: ruleSet.revision, payloadHash };
}

/**
 * Every district code a submission mentions: the link's, and the answers to district questions,
 * those inside dynamic panels included (`offers[].offer_districts`).
 */
function districtsNamedIn(submission: ResponseSubmission): string[] {
  const codes: string[] = submission.district !== null ? [submission.district] : [];
  const collect = (answers: Record<string, unknown>, depth: number) => {
    for (const [name, value] of Object.entries(answers)) {
      if (DISTRICT_QUESTION_NAMES.has(name)) {
        if (typeof value === 'string') codes.push(value);
        else if (Array.isArray(value)) codes.push(...value.filter((item): item is string => typeof item === 'string'));
      } else if (depth === 0 && Array.isArray(value)) {
        // District questions inside dynamic panels (the inventory's `offer_districts`).
        for (const item of value) if (item !== null && typeof item === 'object' && !Array.isArray(item)) collect(item as Record<string, unknown>, 1);
      }
    }
  };
  collect(submission.answers, 0);
  return codes;
}

function sameSubmission(stored: StoredFingerprint | undefined, submission: ResponseSubmission, payloadHash: string): boolean {
  return stored !== undefined && stored.slug === submission.slug && stored.mode === submission.mode && stored.payloadHash === payloadHash;
}
