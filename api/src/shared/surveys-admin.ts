/**
 * What the admin's survey pages receive: the check of an uploaded instrument and what publishing it
 * did (`surveys/upload.ts`), what a new version changes (`surveys/version-diff.ts`) and the state
 * of the translations (`surveys/translations.ts`). Declared here because the server builds them and
 * the admin pages read them. Types only.
 */
import type { Locale } from './locales.ts';

export interface Completeness {
  locale: Locale;
  translated: number;
  total: number;
}

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
  /** True for a new instrument (a slug no survey has): version 1, every question added. */
  isNewInstrument: boolean;
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

export interface PublishedVersion {
  slug: string;
  version: number;
  /** False when the file equals a stored version, which became current again. */
  isNewVersion: boolean;
  diff: VersionDiff;
}

/** A question as the diff names it: its answer key, type and German title. */
export interface DiffQuestion {
  name: string;
  type: string;
  title: string;
}

/** A text (title, description, a choice's label) whose wording differs in these locales. */
export interface WordingChange {
  property: string;
  locales: Locale[];
}

export interface QuestionChange extends DiffQuestion {
  wording: WordingChange[];
  /** Answer codes (`value`) of the choices, rows or columns added or removed, per list. */
  choicesAdded: { list: string; value: string }[];
  choicesRemoved: { list: string; value: string }[];
  /** Anything else: type, required, visibleIf, validators, order of choices… */
  otherProperties: string[];
}

export interface VersionDiff {
  added: DiffQuestion[];
  removed: DiffQuestion[];
  /** Exactly the questions whose JSON differs: what the codebook lists as `changed_in` this version. */
  changed: QuestionChange[];
  /** Texts outside questions (survey and page titles, descriptions, buttons) whose wording differs. */
  surveyTexts: WordingChange[];
}

export interface LocaleStatus {
  locale: Locale;
  status: 'draft' | 'reviewed';
  translated: number;
  total: number;
  /** Keys with no text in this locale. */
  missing: string[];
  /**
   * Who set the current status and when (ISO time); `by` is null when it came from the file in
   * surveys/. null when nothing is recorded (a status older than the record).
   */
  marked: { at: string; by: { email: string; displayName: string | null } | null } | null;
}

/** What GET /api/admin/surveys/:slug/translations answers. */
export interface TranslationStatusReport {
  slug: string;
  version: number;
  locales: LocaleStatus[];
}
