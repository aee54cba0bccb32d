import { SUPPORTED_LOCALES, surveyTextKey, type Locale } from '../../shared/locales.ts';

/** One person-readable text of a definition with its locale variants, and where it sits. */
export interface LocatedText {
  /** `survey`, `page <name>` or `question <name>`: what a content editor looks for. */
  where: string;
  /** The property path inside that element (`title`, `choices[other].text`, `validators[0].text`). */
  property: string;
  /** Text per locale (German under `de`). */
  byLocale: Partial<Record<Locale, string>>;
}

const TEXT_KEYS = new Map<string, Locale>([...SUPPORTED_LOCALES.map((locale) => [surveyTextKey(locale), locale] as const), ['de', 'de']]);

/** An object whose keys are all locale keys (`default`, `en`, `de-x-easy`…) is a localised text. */
export function isTextMap(value: unknown): value is Record<string, string> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => TEXT_KEYS.has(key) && typeof value[key] === 'string');
}

/**
 * Every localised text anywhere in a definition — titles, descriptions, choices, matrix rows and
 * columns, page and survey descriptions, validator error texts, button texts — found by shape
 * rather than by a list of property names, so that no property is skipped.
 */
export function allTexts(definition: Record<string, unknown>): LocatedText[] {
  return allTextMaps(definition).map(({ where, property, map }) => {
    const byLocale: Partial<Record<Locale, string>> = {};
    for (const [key, text] of Object.entries(map)) byLocale[TEXT_KEYS.get(key)!] = text;
    return { where, property, byLocale };
  });
}

/**
 * The same texts as `allTexts`, in the same order, as the text objects themselves
 * (`{default, en, …}`): what an import writes into, so that it writes where the text was read.
 */
export function allTextMaps(definition: Record<string, unknown>): { where: string; property: string; map: Record<string, string> }[] {
  const out: { where: string; property: string; map: Record<string, string> }[] = [];
  const visit = (node: unknown, where: string, property: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        const label = isObject(item) && (typeof item.value === 'string' || typeof item.value === 'number') ? String(item.value) : String(index);
        visit(item, where, `${property}[${label}]`);
      });
      return;
    }
    if (isTextMap(node)) {
      out.push({ where, property, map: node });
      return;
    }
    if (!isObject(node)) return;
    const isElement = typeof node.name === 'string' && (typeof node.type === 'string' || Array.isArray(node.elements));
    const here = isElement ? (typeof node.type === 'string' ? `question ${node.name}` : `page ${node.name}`) : where;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'elements' || key === 'pages' || key === 'templateElements') visit(value, here, key);
      else visit(value, here, isElement || property === '' ? key : `${property}.${key}`);
    }
  };
  visit(definition, 'survey', '');
  return out;
}

/** Every question (panels and dynamic-panel templates included), as raw JSON. */
export function allQuestions(definition: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements) {
      if (!isObject(element)) continue;
      if (typeof element.type === 'string' && element.type !== 'panel') out.push(element);
      visit(element.elements);
      visit(element.templateElements);
    }
  };
  if (Array.isArray(definition.pages)) for (const page of definition.pages) if (isObject(page)) visit(page.elements);
  visit(definition.elements);
  return out;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
