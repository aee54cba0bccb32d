/**
 * Work on a survey's JSON before survey-core sees it. Instruments leave the district questions'
 * choices empty (`"choices": []`): the town's districts are filled in at run time, with their names
 * in every locale the town has them in.
 */
export interface PublicDistrict {
  code: string;
  name: Record<string, string>;
}

/** Questions whose choices are the town's districts. */
export const DISTRICT_QUESTION_NAMES: ReadonlySet<string> = new Set(['district', 'districts_active', 'offer_districts']);

type Json = Record<string, unknown>;

/** A copy of the definition with the districts as choices of every district question. */
export function withDistrictChoices<T extends Json>(definition: T, districts: readonly PublicDistrict[]): T {
  const choices = districts.map((district) => ({ value: district.code, text: { ...district.name } }));
  const copy = structuredClone(definition);
  visitElements(copy, (element) => {
    if (typeof element.name === 'string' && DISTRICT_QUESTION_NAMES.has(element.name) && Array.isArray(element.choices)) {
      element.choices = choices.map((choice) => ({ ...choice, text: { ...choice.text } }));
    }
  });
  return copy;
}

/** Calls `visit` for every element of every page, panel and dynamic-panel template. */
export function visitElements(definition: Json, visit: (element: Json) => void): void {
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as Json[]) {
      visit(element);
      walk(element.elements);
      walk(element.templateElements);
    }
  };
  for (const page of (definition.pages as Json[] | undefined) ?? []) walk(page.elements);
  walk(definition.elements);
}

/** The district's name in a locale, the way SurveyJS would pick it (`default` is German). */
export function districtName(district: PublicDistrict, locale: string): string {
  const key = locale === 'de' ? 'default' : locale;
  return district.name[key] ?? (locale === 'de-x-easy' ? district.name.de : undefined) ?? district.name.default ?? district.code;
}
