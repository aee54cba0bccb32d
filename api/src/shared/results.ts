/**
 * The shapes of the public results: frozen snapshots, the candidates staff can publish, and the
 * town's measures. Declared here because the server builds them (`results/`) and the admin pages
 * and the respondent's result links read them. Types only.
 */
import type { Dimension } from './breakdown.ts';
import type { Locale, LocalisedText } from './locales.ts';

export type MeasureStatus = 'proposed' | 'decided' | 'in_progress' | 'done' | 'dropped';

/** A text in every supported locale (labels come from the instrument and the server messages). */
export type TextInLocales = Record<Locale, string>;

/** A staff-written text: German required, other locales optional (drafts until reviewed). */
export type StaffText = Partial<Record<Locale, string>> & { de: string };

export interface SnapshotOption {
  code: string;
  label: TextInLocales;
  /** Per group: the published count (cell key method). */
  counts: number[];
  /** Per group: published count / published base, or null ("too few answers to show"). */
  shares: (number | null)[];
  /** Per group, weighted snapshots only: the raked share and its 95 % interval, or null. */
  weighted?: ({ share: number; ciLow: number; ciHigh: number; nEffective: number } | null)[];
}

export interface SnapshotItem {
  key: string;
  kind: 'single' | 'multiple';
  label: TextInLocales;
  text: StaffText;
  /** Per group: how many answered, published. */
  base: number[];
  options: SnapshotOption[];
}

/**
 * What a snapshot freezes: published numbers only (nothing here is a raw count), with every label
 * in every locale, so the public page never needs the survey, the answers or the margins again.
 */
export interface SnapshotContent {
  slug: string;
  title: TextInLocales;
  k: number;
  by: Dimension[];
  weighted: boolean;
  groups: { key: Partial<Record<Dimension, string | null>>; label: TextInLocales }[];
  items: SnapshotItem[];
}

export interface CandidateItem {
  /** What a snapshot request names: the question, or `question.row` for a matrix row. */
  key: string;
  question: string;
  label: string;
  kind: 'single' | 'multiple' | 'number' | 'text';
  /** Why this table cannot be published as things stand, in the requester's language; null: it can. */
  problem: { code: 'not_publishable' | 'only_suppressed'; message: string } | null;
}

export interface CandidateSection {
  /** The page's name in the instrument; null for questions only earlier versions have. */
  name: string | null;
  title: string | null;
  items: CandidateItem[];
}

export interface MeasureUpdate {
  date: string;
  status: MeasureStatus;
  text: LocalisedText;
}

export interface MeasureRow {
  id: string;
  fieldOfAction: string;
  title: LocalisedText;
  description: LocalisedText;
  status: MeasureStatus;
  surveySlug: string | null;
  resultKeys: string[];
  eventSlugs: string[];
  updatedAt: Date;
  updates: MeasureUpdate[];
}
