/**
 * The shapes the admin area receives: staff accounts, surveys with their schedules, the audit log
 * and the deletion dates' warnings. Declared here because the server builds them (`admin/`,
 * `retention/`) and the admin pages read them. Types only.
 */

export type SurveyStatus = 'open' | 'closed';

export interface StaffAccount {
  id: string;
  email: string;
  role: string;
  displayName: string | null;
  createdAt: string;
  disabled: boolean;
  /** For interviewers: the reference their interviews carry, so an admin can read the field overview. */
  interviewerRef: string | null;
}

/** A survey as the admin's list shows it: what it is, and whether and when it takes answers. */
export interface AdminSurvey {
  slug: string;
  kind: string;
  version: number;
  title: unknown;
  status: SurveyStatus;
  opensAt: string | null;
  closesAt: string | null;
  /** Takes answers right now (open and inside its window, by the database's clock). */
  accepting: boolean;
  /** The survey's own answers deletion date (`YYYY-MM-DD`), or null: the town's applies. */
  answersDeletedBy: string | null;
}

/** What GET /api/admin/audit answers. */
export interface AuditPage {
  entries: { id: number; at: string; actorId: string | null; actorEmail: string | null; action: string; target: string | null; details: unknown }[];
  total: number;
  page: number;
  pageSize: number;
  /** Every action in the log, and every account, for the filter's choices. */
  actions: string[];
  actors: { id: string; email: string }[];
}

/** A deletion date (the town's or a survey's own) and how near it is, for the warning 30 and 7 days before. */
export interface DeletionWarning {
  /** 'surveyAnswers': one survey's own answers date (`survey` names it). */
  kind: 'answers' | 'contacts' | 'surveyAnswers';
  survey?: string;
  date: string;
  daysLeft: number;
  /** 'week': 7 days or fewer; 'month': 30 or fewer; null: further off (or passed: `daysLeft` < 0). */
  level: 'week' | 'month' | null;
}
