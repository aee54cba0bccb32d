import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * The shared code lists the offers use (surveys/shared/code-lists.json; offers.test.ts fails when
 * they drift apart). Fields of action come from the network's list.
 */
export { FIELDS_OF_ACTION } from '../network/codes.ts';
export const TARGET_GROUPS = ['children', 'young_people', 'families', 'women', 'seniors', 'newcomers', 'refugees', 'people_with_disabilities', 'homeless_people', 'job_seekers', 'everyone'] as const;
export const LANGUAGES = [
  'german', 'turkish', 'arabic', 'russian', 'ukrainian', 'polish', 'farsi_dari', 'kurdish', 'english', 'romanian', 'bulgarian',
  'italian', 'greek', 'albanian', 'bosnian_croatian_serbian', 'pashto', 'tigrinya', 'sign_language', 'easy_language',
] as const;
/** The target group that stands for "open to all": such an offer counts in every group's cell. */
export const EVERYONE = 'everyone';
/** The revised inventory's codes for an offer's cost, times and accessibility (INVENTORY-SPEC; labels from its choices). */
export const COSTS = ['free', 'reduced', 'paid'] as const;
export const TIMES = ['weekday_morning', 'weekday_afternoon', 'weekday_evening', 'weekend', 'by_arrangement'] as const;
export const ACCESSIBILITY = ['step_free', 'accessible_toilet', 'hearing_loop', 'childcare', 'public_transport'] as const;

export type LocalisedText = Record<string, string>;
export interface OfferLabels {
  field: Map<string, LocalisedText>;
  targetGroup: Map<string, LocalisedText>;
  language: Map<string, LocalisedText>;
  frequency: Map<string, LocalisedText>;
  cost: Map<string, LocalisedText>;
  times: Map<string, LocalisedText>;
  accessibility: Map<string, LocalisedText>;
}

const QUESTION_OF: Record<keyof OfferLabels, string> = {
  field: 'offer_field',
  targetGroup: 'offer_target_groups',
  language: 'offer_languages',
  frequency: 'offer_frequency',
  cost: 'offer_cost',
  times: 'offer_times',
  accessibility: 'offer_accessibility',
};

function* elementsOf(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* elementsOf(item);
  else if (node !== null && typeof node === 'object') {
    const element = node as Record<string, unknown>;
    if (typeof element.name === 'string') yield element;
    for (const key of ['pages', 'elements', 'templateElements']) if (key in element) yield* elementsOf(element[key]);
  }
}

/**
 * The labels of the offers' codes in every locale, taken from the stakeholder inventory's own
 * choices (every version, the newest first): the instrument already words them in all nine
 * locales (German under `default`), with its translation status.
 */
export async function loadOfferLabels(db: Kysely<Database>): Promise<OfferLabels> {
  const versions = await db
    .selectFrom('survey_version')
    .innerJoin('survey', 'survey.slug', 'survey_version.survey_slug')
    .select(['survey_version.definition'])
    .where('survey.kind', '=', 'stakeholder')
    .orderBy('survey_version.version', 'desc')
    .execute();
  const labels: OfferLabels = {
    field: new Map(),
    targetGroup: new Map(),
    language: new Map(),
    frequency: new Map(),
    cost: new Map(),
    times: new Map(),
    accessibility: new Map(),
  };
  for (const { definition } of versions) {
    const parsed = typeof definition === 'string' ? JSON.parse(definition) : definition;
    for (const element of elementsOf(parsed)) {
      for (const [kind, question] of Object.entries(QUESTION_OF) as [keyof OfferLabels, string][]) {
        if (element.name !== question || !Array.isArray(element.choices)) continue;
        for (const choice of element.choices as unknown[]) {
          const value = typeof choice === 'string' ? choice : String((choice as { value?: unknown }).value ?? '');
          const text = typeof choice === 'string' ? { default: choice } : (choice as { text?: unknown }).text;
          const localised = typeof text === 'string' ? { default: text } : ((text ?? { default: value }) as LocalisedText);
          if (value && !labels[kind].has(value)) labels[kind].set(value, localised);
        }
      }
    }
  }
  return labels;
}

/** A label in a locale: its own, then German (Leichte Sprache falls back to German), then the code. */
export function labelIn(map: Map<string, LocalisedText>, code: string, locale: string): string {
  const text = map.get(code);
  if (!text) return code;
  return (locale === 'de' ? text.default : text[locale]) ?? text.default ?? text.de ?? code;
}
