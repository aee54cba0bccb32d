import { SUPPORTED_LOCALES, surveyTextKey, type Locale } from '../shared/locales.ts';
import type { DiffQuestion, QuestionChange, VersionDiff, WordingChange } from '../shared/surveys-admin.ts';
import { canonicalJson } from './canonical-json.ts';
import { allQuestions, isObject, isTextMap } from './content-rules/texts.ts';

type Json = Record<string, unknown>;

const CHOICE_LISTS = ['choices', 'rows', 'columns', 'rateValues'] as const;
const LOCALE_BY_KEY = new Map<string, Locale>(SUPPORTED_LOCALES.map((locale) => [surveyTextKey(locale), locale]));

/**
 * What a new version changes against the current one, readable by the admin who publishes it:
 * questions added and removed by name, and per changed question the wording per locale, the
 * choices added or removed and any other property. A question counts as changed exactly when its
 * JSON differs (as `questionChanges` decides for the codebook), so the preview never hides a
 * change the codebook will report.
 */
export function diffVersions(before: Json, after: Json): VersionDiff {
  const old = new Map(allQuestions(before).map((question) => [String(question.name), question]));
  const next = new Map(allQuestions(after).map((question) => [String(question.name), question]));
  const diff: VersionDiff = { added: [], removed: [], changed: [], surveyTexts: [] };
  for (const [name, question] of next) {
    const earlier = old.get(name);
    if (!earlier) diff.added.push(describe(question));
    else if (canonicalJson(earlier) !== canonicalJson(question)) diff.changed.push(compareQuestion(earlier, question));
  }
  for (const [name, question] of old) if (!next.has(name)) diff.removed.push(describe(question));
  diff.surveyTexts = compareTexts(textsOutsideQuestions(before), textsOutsideQuestions(after));
  return diff;
}

function describe(question: Json): DiffQuestion {
  return { name: String(question.name), type: String(question.type), title: germanText(question.title) ?? String(question.name) };
}

function germanText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.default === 'string') return value.default;
  if (isObject(value) && typeof value.de === 'string') return value.de;
  return undefined;
}

function compareQuestion(before: Json, after: Json): QuestionChange {
  const change: QuestionChange = { ...describe(after), wording: [], choicesAdded: [], choicesRemoved: [], otherProperties: [] };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    if ((CHOICE_LISTS as readonly string[]).includes(key) && (Array.isArray(a) || Array.isArray(b))) {
      compareChoices(key, Array.isArray(a) ? a : [], Array.isArray(b) ? b : [], change);
    } else if (isText(a) && isText(b)) {
      change.wording.push({ property: key, locales: changedLocales(a, b) });
    } else if (key === 'elements' || key === 'templateElements') {
      // Nested questions are compared on their own; here only the list's membership matters.
      const names = (list: unknown) => (Array.isArray(list) ? list.map((item) => (isObject(item) ? item.name : item)) : []);
      if (canonicalJson(names(a)) !== canonicalJson(names(b))) change.otherProperties.push(key);
    } else {
      change.otherProperties.push(key);
    }
  }
  return change;
}

function compareChoices(list: string, before: unknown[], after: unknown[], change: QuestionChange) {
  const byValue = (items: unknown[]) => new Map(items.map((item) => [choiceValue(item), item]));
  const old = byValue(before);
  const next = byValue(after);
  for (const [value, item] of next) {
    const earlier = old.get(value);
    if (earlier === undefined) {
      change.choicesAdded.push({ list, value });
      continue;
    }
    const labelA = choiceLabel(earlier);
    const labelB = choiceLabel(item);
    if (canonicalJson(labelA ?? null) !== canonicalJson(labelB ?? null)) {
      change.wording.push({ property: `${list}[${value}]`, locales: changedLocales(labelA ?? value, labelB ?? value) });
    }
    const rest = (choice: unknown) => (isObject(choice) ? { ...choice, text: undefined, title: undefined } : null);
    if (canonicalJson(rest(earlier)) !== canonicalJson(rest(item))) change.otherProperties.push(`${list}[${value}]`);
  }
  for (const value of old.keys()) if (!next.has(value)) change.choicesRemoved.push({ list, value });
  const order = (items: unknown[]) => items.map(choiceValue).filter((value) => old.has(value) && next.has(value));
  if (canonicalJson(order(before)) !== canonicalJson(order(after))) change.otherProperties.push(`${list} order`);
}

function choiceValue(choice: unknown): string {
  if (isObject(choice)) return String(choice.value ?? choice.name);
  return String(choice);
}

function choiceLabel(choice: unknown): unknown {
  if (isObject(choice)) return choice.text ?? choice.title;
  return undefined;
}

function isText(value: unknown): value is string | Record<string, string> {
  return typeof value === 'string' || isTextMap(value);
}

/** The locales whose text differs between two versions of one localised text. */
function changedLocales(before: unknown, after: unknown): Locale[] {
  const asMap = (value: unknown): Record<string, unknown> => (typeof value === 'string' ? { default: value } : isObject(value) ? value : {});
  const a = asMap(before);
  const b = asMap(after);
  const out: Locale[] = [];
  for (const [key, locale] of LOCALE_BY_KEY) {
    if ((a[key] ?? null) !== (b[key] ?? null)) out.push(locale);
  }
  return out;
}

/** Localised texts of the survey and its pages, by path; questions are compared on their own. */
function textsOutsideQuestions(definition: Json): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(definition)) if (isText(value)) out.set(key, value);
  if (Array.isArray(definition.pages)) {
    definition.pages.forEach((page, index) => {
      if (!isObject(page)) return;
      const name = typeof page.name === 'string' ? page.name : String(index);
      for (const [key, value] of Object.entries(page)) if (isText(value)) out.set(`page ${name}.${key}`, value);
    });
  }
  return out;
}

function compareTexts(before: Map<string, unknown>, after: Map<string, unknown>): WordingChange[] {
  const out: WordingChange[] = [];
  for (const property of new Set([...before.keys(), ...after.keys()])) {
    const locales = changedLocales(before.get(property), after.get(property));
    if (locales.length > 0) out.push({ property, locales });
  }
  return out;
}
