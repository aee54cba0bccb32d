/**
 * The shapes of the analysis dashboard: chart definitions, the free-text reader's pages and the
 * returns report. Declared here because the server builds them (`analysis/`) and the dashboard
 * reads them. Types only.
 */

export interface ChartBar {
  group: string;
  /** Percent (choices), mean (numbers) or count (free text); null when withheld or nobody answered. */
  value: number | null;
  /** The group's published base (who answered; cell key method). */
  n: number;
  suppressed: boolean;
}

export interface ChartSeries {
  label: string;
  bars: ChartBar[];
}

/**
 * What a chart shows, independent of how it is drawn: the dashboard and the SVG/PNG images for the
 * report are made from this one definition, so they cannot disagree.
 */
export interface ChartDefinition {
  title: string;
  unit: 'percent' | 'mean' | 'count';
  series: ChartSeries[];
  /** Published n of the total column. */
  totalN: number;
  k: number;
  locale: string;
  rtl: boolean;
  texts: { caption: string; suppressed: string; legend: string; valueLabel: string };
}

/** What a text is: a respondent's answer, the text of an "Other" choice, or an interviewer's notes. */
export type FreeTextKind = 'answer' | 'other' | 'note';

/** What the free-text reader answers. */
export interface FreeTextPage {
  slug: string;
  k: number;
  questions: { key: string; kind: FreeTextKind; label: string }[];
  filters: { districts: { code: string; label: string }[]; targetGroups: { code: string; label: string }[] };
  selection: { question: string | null; district: string | null; targetGroup: string | null };
  /** The seed of the shuffle: pass it back as `order` to page through the same order. */
  order: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  /** The text and its month; interviewer notes also the interview's photos. Nothing else. */
  entries: { text: string; month: string; photos?: { image: string; thumbnail: string; width: number; height: number }[] }[];
}

/** A published count (cell key method): 0, or perturbed and never from 1 to k−1. */
export type PublishedCount = number;

export interface ReturnsReport {
  slug: string;
  k: number;
  total: PublishedCount;
  /** The planned number of responses, if given; each district's target is its share of the population. */
  target: number | null;
  districts: {
    code: string;
    label: string;
    population: number | null;
    /** The district's share of the town's population (the share a representative sample would have). */
    populationShare: number | null;
    n: PublishedCount;
    /** The district's published n over the published total; null while the total does not show k responses. */
    share: number | null;
    target: number | null;
  }[];
  days: { day: string; n: PublishedCount; districts: Record<string, PublishedCount> }[];
  modes: { mode: string; label: string; n: PublishedCount; districts: Record<string, PublishedCount> }[];
  locales: { locale: string; label: string; n: PublishedCount; districts: Record<string, PublishedCount> }[];
}
