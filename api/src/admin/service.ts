import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { listUsers } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { interviewerRef } from '../interviews/index.ts';
import { closeSurvey } from '../surveys/close-survey.ts';
import { listCurrentVersions, listSurveySchedules, setSurveyDeletionDate, setSurveySchedule, setSurveyStatus } from '../surveys/repository.ts';
import type { AdminSurvey, StaffAccount, SurveyStatus } from '../shared/admin.ts';
import { requireTownSetUp } from '../town/index.ts';

export interface AdminDeps {
  db: Kysely<Database>;
  interviewerRefKey: Buffer;
  /** The clock a survey's deletion date is checked against (tests pass a fixed one). */
  now?: () => Date;
}

export async function listStaffAccounts(deps: AdminDeps): Promise<StaffAccount[]> {
  const users = await listUsers(deps.db);
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    createdAt: user.createdAt.toISOString(),
    disabled: user.disabledAt !== null,
    interviewerRef: user.role === 'interviewer' ? interviewerRef(deps.interviewerRefKey, user.id) : null,
  }));
}

export async function listSurveysForAdmin(deps: AdminDeps): Promise<AdminSurvey[]> {
  const [versions, schedules] = await Promise.all([listCurrentVersions(deps.db), listSurveySchedules(deps.db)]);
  const bySlug = new Map(versions.map((version) => [version.slug, version]));
  return schedules.flatMap((schedule) => {
    const version = bySlug.get(schedule.slug);
    if (!version) return [];
    return [{
      slug: schedule.slug,
      kind: version.kind,
      version: version.version,
      title: version.definition.title ?? schedule.slug,
      status: schedule.status,
      opensAt: schedule.opensAt?.toISOString() ?? null,
      closesAt: schedule.closesAt?.toISOString() ?? null,
      accepting: schedule.accepting,
      answersDeletedBy: schedule.answersDeletedBy,
    }];
  });
}

/**
 * Opens or closes a survey and writes the audit entry. Closing goes through the surveys feature's
 * `closeSurvey`, which also deletes the residents' unfinished drafts of that survey.
 */
export async function changeSurveyStatus(
  deps: AdminDeps,
  actorId: string,
  slug: string,
  status: SurveyStatus,
): Promise<{ slug: string; status: SurveyStatus; draftsDeleted: number }> {
  let draftsDeleted = 0;
  if (status === 'closed') {
    const result = await closeSurvey(deps.db, slug);
    if (!result.closed) throw new ApiError(404, 'survey_not_found', { slug });
    draftsDeleted = result.draftsDeleted;
  } else {
    await requireTownSetUp(deps.db);
    // "Open now" replaces any schedule: open from now until closed by hand.
    if (!(await setSurveySchedule(deps.db, slug, { opensAt: null, closesAt: null }))) throw new ApiError(404, 'survey_not_found', { slug });
  }
  await recordAudit(deps.db, {
    actorId,
    action: status === 'closed' ? 'survey.close' : 'survey.open',
    target: slug,
    details: status === 'closed' ? { draftsDeleted } : {},
  });
  return { slug, status, draftsDeleted };
}

/**
 * Opens a survey for a window: from `opensAt` (null: now) until `closesAt` (null: until closed by
 * hand). The server refuses answers outside it in the statement that stores them.
 */
export async function scheduleSurvey(
  deps: AdminDeps,
  actorId: string,
  slug: string,
  schedule: { opensAt: Date | null; closesAt: Date | null },
): Promise<void> {
  await requireTownSetUp(deps.db);
  if (!(await setSurveySchedule(deps.db, slug, schedule))) throw new ApiError(404, 'survey_not_found', { slug });
  await recordAudit(deps.db, {
    actorId,
    action: 'survey.schedule',
    target: slug,
    details: { opensAt: schedule.opensAt?.toISOString() ?? null, closesAt: schedule.closesAt?.toISOString() ?? null },
  });
}

/**
 * Sets (or, with null, removes) a survey's own answers deletion date and writes the audit entry
 * with the date it was and became. The caller has checked it lies after today and not after the
 * town's date; 404 when there is no such survey.
 */
export async function setSurveyAnswersDeletionDate(deps: AdminDeps, actorId: string, slug: string, date: string | null): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const previous = await setSurveyDeletionDate(trx, slug, date);
    if (previous === undefined) throw new ApiError(404, 'survey_not_found', { slug });
    await recordAudit(trx, { actorId, action: 'survey.deletion_date', target: slug, details: { answersDeletedBy: { previous, now: date } } });
  });
}
