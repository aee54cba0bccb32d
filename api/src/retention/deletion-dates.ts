import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';
import { purgeUnlinkedPhotos } from '../media/index.ts';
import { readTownSettings } from '../town/index.ts';
import { deleteAllAnswers, deleteAllContacts, type AnswerCounts } from './repository.ts';

export interface RetentionDeps {
  db: Kysely<Database>;
  dataDir: string;
  log?: (line: string) => void;
}

export interface RetentionOutcome {
  ran: boolean;
  answers: (AnswerCounts & { photoFiles: number }) | null;
  contacts: number | null;
}

/** The town's dates are days; the day in UTC is the day the legal text names (a few hours' margin at most). */
export const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Keeps the deletion dates the welcome page and consent text promise. On or after the answers' date:
 * responses, target-group memberships, interview records, their photos (rows and files) and every
 * draft are deleted, and surveys close; on or after the contacts' date: the contacts. Each deletion
 * is one transaction with its audit entry (counts, never contents). Photos lose their last link in
 * that transaction and their rows (with the image bytes) go afterwards; a restart in between, or
 * another process purging at that moment, leaves only unlinked photos, which the next run (at start
 * and on the timer) removes, so it is safe to repeat at any point.
 */
export async function applyDeletionDates(deps: RetentionDeps, now: Date = new Date()): Promise<RetentionOutcome> {
  const settings = await readTownSettings(deps.db);
  if (!settings) return { ran: false, answers: null, contacts: null };
  const today = dayOf(now);
  // One transaction (the lock's own) for every row: a restart mid-way leaves all of them or none.
  const outcome = await runExclusively(deps.db, 'deletion-dates', async (trx) => {
    let answers: AnswerCounts | null = null;
    let contacts: number | null = null;
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
    return { answers, contacts };
  });
  if (!outcome.ran) return { ran: false, answers: null, contacts: null };
  const { contacts } = outcome.result;
  let answers: RetentionOutcome['answers'] = null;
  if (outcome.result.answers) {
    // After the commit: every photo belongs to an interview and none is left after the date, so no
    // grace period applies (the media feature's purge with "uploaded before" = the end of time).
    // Beside another process purging right now this deletes nothing (runExclusively); the next
    // hourly run does.
    const photoFiles = await purgeUnlinkedPhotos({ db: deps.db, dataDir: deps.dataDir }, new Date('9999-12-31T00:00:00Z'));
    answers = { ...outcome.result.answers, photoFiles };
  }
  if (answers && answers.responses + answers.drafts + answers.photoFiles > 0) {
    deps.log?.(`deletion date ${settings.answersDeletedBy}: deleted ${answers.responses} response(s), ${answers.drafts} draft(s), ${answers.photoFiles} photo(s)`);
  }
  if (contacts) deps.log?.(`deletion date ${settings.contactsDeletedBy}: deleted ${contacts} contact(s)`);
  return { ran: true, answers, contacts };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeletionWarning {
  kind: 'answers' | 'contacts';
  date: string;
  daysLeft: number;
  /** 'week': 7 days or fewer; 'month': 30 or fewer; null: further off (or passed: `daysLeft` < 0). */
  level: 'week' | 'month' | null;
}

/** The deletion dates and how near they are, for the admin area's warning 30 and 7 days before. */
export async function deletionWarnings(db: Kysely<Database>, now: Date = new Date()): Promise<DeletionWarning[]> {
  const settings = await readTownSettings(db);
  if (!settings) return [];
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  return (['answers', 'contacts'] as const).map((kind) => {
    const date = kind === 'answers' ? settings.answersDeletedBy : settings.contactsDeletedBy;
    const daysLeft = Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
    const level = daysLeft >= 0 && daysLeft <= 7 ? 'week' : daysLeft >= 0 && daysLeft <= 30 ? 'month' : null;
    return { kind, date, daysLeft, level };
  });
}

/** Runs the deletion dates now and then every `intervalMs` (hourly); `stop()` ends the timer. */
export function scheduleDeletionDates(deps: RetentionDeps, intervalMs = 60 * 60 * 1000): { stop(): void } {
  const run = () =>
    applyDeletionDates(deps).catch((error: Error) => deps.log?.(`deletion dates: ${error.name} (will try again)`));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
