import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';
import { deleteUnlinkedPhotosAmong, purgeUnlinkedPhotos } from '../media/index.ts';
import type { DeletionWarning } from '../shared/admin.ts';
import { readTownSettings, type TownSettings } from '../town/index.ts';
import { deleteAllAnswers, deleteAllContacts, deleteAnswers, listSurveyDeletionDates, photoHashesOf, surveysDueForDeletion, type AnswerCounts } from './repository.ts';

export interface RetentionDeps {
  db: Kysely<Database>;
  dataDir: string;
  log?: (line: string) => void;
}

/** What a survey's own deletion date removed (on each run after the date: zeros once it is done). */
export type SurveyAnswersDeleted = AnswerCounts & { slug: string; deletedBy: string; photoFiles: number };

export interface RetentionOutcome {
  ran: boolean;
  answers: (AnswerCounts & { photoFiles: number }) | null;
  contacts: number | null;
  /** The surveys whose own answers date has come, and what went of each. */
  surveys: SurveyAnswersDeleted[];
}

/** The town's dates are days; the day in UTC is the day the legal text names (a few hours' margin at most). */
export const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Keeps the deletion dates the welcome page and consent text promise. On or after a survey's own
 * answers date: that survey's responses, target-group memberships, interview records, their photos
 * (rows and image bytes, unless another survey's interview shows the same photo) and drafts are
 * deleted, and it closes. On or after the town's answers date: the same for every survey; on or
 * after the contacts' date: the contacts. Each deletion is in one transaction with its audit entry
 * (counts, never contents); see `deleteDueData` for what a restart in the middle leaves.
 */
export async function applyDeletionDates(deps: RetentionDeps, now: Date = new Date()): Promise<RetentionOutcome> {
  const settings = await readTownSettings(deps.db);
  if (!settings) return { ran: false, answers: null, contacts: null, surveys: [] };
  const outcome = await deleteDueData(deps, settings, now);
  if (!outcome.ran) return { ran: false, answers: null, contacts: null, surveys: [] };
  const { contacts, surveys } = outcome.result;
  let answers: RetentionOutcome['answers'] = null;
  if (outcome.result.answers) {
    // After the commit: every photo belongs to an interview and none is left after the date, so no
    // grace period applies (the media feature's purge with "uploaded before" = the end of time).
    // Beside another process purging right now this deletes nothing (runExclusively); the next
    // hourly run does.
    const photoFiles = await purgeUnlinkedPhotos({ db: deps.db, dataDir: deps.dataDir }, new Date('9999-12-31T00:00:00Z'));
    answers = { ...outcome.result.answers, photoFiles };
  }
  for (const survey of surveys) {
    if (survey.responses + survey.drafts + survey.photoFiles > 0) {
      deps.log?.(`deletion date ${survey.deletedBy} of survey ${survey.slug}: deleted ${survey.responses} response(s), ${survey.drafts} draft(s), ${survey.photoFiles} photo(s)`);
    }
  }
  if (answers && answers.responses + answers.drafts + answers.photoFiles > 0) {
    deps.log?.(`deletion date ${settings.answersDeletedBy}: deleted ${answers.responses} response(s), ${answers.drafts} draft(s), ${answers.photoFiles} photo(s)`);
  }
  if (contacts) deps.log?.(`deletion date ${settings.contactsDeletedBy}: deleted ${contacts} contact(s)`);
  return { ran: true, answers, contacts, surveys };
}

/**
 * The deletions that are due, in one transaction (the lock's own): a restart mid-way leaves all of
 * them or none. A survey's photos go inside it (only that survey's, and only those no other
 * interview links to); after the town's date the photos lose their last link here and their rows
 * go afterwards (`applyDeletionDates`), and a restart in between leaves only unlinked photos, which
 * the next run (at start and on the timer) removes. So it is safe to repeat at any point.
 */
async function deleteDueData(deps: RetentionDeps, settings: TownSettings, now: Date) {
  const today = dayOf(now);
  return runExclusively(deps.db, 'deletion-dates', async (trx) => {
    let answers: AnswerCounts | null = null;
    let contacts: number | null = null;
    const surveys: SurveyAnswersDeleted[] = [];
    // A survey's own date first (never later than the town's): its audit entry names the survey.
    for (const { slug, deletedBy } of await surveysDueForDeletion(trx, today)) {
      const hashes = await photoHashesOf(trx, slug);
      const counts = await deleteAnswers(trx, slug);
      const photoFiles = (await deleteUnlinkedPhotosAmong(trx, hashes)).length;
      if (counts.responses + counts.drafts + counts.interviews + photoFiles > 0) {
        await recordAudit(trx, { actorId: null, action: 'retention.survey_answers_deleted', target: slug, details: { deletedBy, ...counts, photoFiles } });
      }
      surveys.push({ slug, deletedBy, ...counts, photoFiles });
    }
    if (today >= settings.answersDeletedBy) {
      answers = await deleteAllAnswers(trx);
      if (answers.responses + answers.drafts + answers.interviews > 0) {
        await recordAudit(trx, { actorId: null, action: 'retention.answers_deleted', details: { deletedBy: settings.answersDeletedBy, ...answers } });
      }
    }
    if (today >= settings.contactsDeletedBy) {
      contacts = await deleteAllContacts(trx);
      if (contacts > 0) await recordAudit(trx, { actorId: null, action: 'retention.contacts_deleted', details: { deletedBy: settings.contactsDeletedBy, contacts } });
    }
    return { answers, contacts, surveys };
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The deletion dates (the town's, then each survey's own) and how near they are, for the admin area's warning 30 and 7 days before. */
export async function deletionWarnings(db: Kysely<Database>, now: Date = new Date()): Promise<DeletionWarning[]> {
  const settings = await readTownSettings(db);
  if (!settings) return [];
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  const warning = (kind: DeletionWarning['kind'], date: string, survey?: string): DeletionWarning => {
    const daysLeft = Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
    const level = daysLeft >= 0 && daysLeft <= 7 ? 'week' : daysLeft >= 0 && daysLeft <= 30 ? 'month' : null;
    return { kind, ...(survey === undefined ? {} : { survey }), date, daysLeft, level };
  };
  const surveyDates = await listSurveyDeletionDates(db);
  return [
    warning('answers', settings.answersDeletedBy),
    warning('contacts', settings.contactsDeletedBy),
    ...surveyDates.map(({ slug, deletedBy }) => warning('surveyAnswers', deletedBy, slug)),
  ];
}

/** Runs the deletion dates now and then every `intervalMs` (hourly); `stop()` ends the timer. */
export function scheduleDeletionDates(deps: RetentionDeps, intervalMs = 60 * 60 * 1000): { stop(): void } {
  const run = () =>
    applyDeletionDates(deps).catch((error: Error) => deps.log?.(`deletion dates: ${error.name} (will try again)`));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
