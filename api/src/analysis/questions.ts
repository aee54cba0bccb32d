import type { LocalisedText } from '../db/schema.ts';

/**
 * How analysis treats a question, from its SurveyJS type:
 * single (radiogroup, dropdown, rating, boolean, …) → counts and shares per choice;
 * multiple (checkbox, tagbox) → share of respondents ticking each option, base = who answered;
 * number (text with inputType number) → n, mean, median; matrix → a distribution per row;
 * text (text, comment) → only the number of non-empty answers; other → the same, raw export as JSON.
 */
export type AnalysisType = 'single' | 'multiple' | 'number' | 'matrix' | 'text' | 'other';

export interface Choice {
  code: string;
  label: LocalisedText;
}

export interface Question {
  name: string;
  /** The SurveyJS type in the newest version that has the question. */
  surveyType: string;
  type: AnalysisType;
  label: LocalisedText;
  choices: Choice[];
  /** Matrix rows. */
  rows: Choice[];
  /** Versions of the instrument that contain the question. */
  versions: number[];
  /** The instrument leaves the choices empty and the app fills in the town's districts. */
  districtChoices: boolean;
  /** "Other (please specify)" stores its text under `<name>-Comment`. */
  hasOtherComment: boolean;
  /**
   * When the question is shown (its own `visibleIf` and those of its page and panels, joined by
   * `and`; newest version), so an empty answer can be told apart: not shown, or skipped. Null: always shown.
   */
  shownIf: string | null;
}

export interface VersionDefinition {
  version: number;
  definition: unknown;
}

/** Texts the instruments leave to SurveyJS's defaults (boolean Yes/No, "Other", "None"). */
export interface DefaultChoiceLabels {
  yes: LocalisedText;
  no: LocalisedText;
  other: LocalisedText;
  none: LocalisedText;
  refused: LocalisedText;
  dontKnow: LocalisedText;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A SurveyJS text: a plain string, or a locale map with German under `default`. */
export function toLocalisedText(value: unknown, fallback: string): LocalisedText {
  if (typeof value === 'string') return { default: value };
  if (typeof value === 'number') return { default: String(value) };
  if (isObject(value)) {
    const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    if (entries.length > 0) return Object.fromEntries(entries);
  }
  return { default: fallback };
}

function choiceList(items: unknown): Choice[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item): Choice[] => {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      return [{ code: String(item), label: { default: String(item) } }];
    }
    if (isObject(item) && item.value !== undefined && item.value !== null) {
      const code = String(item.value);
      return [{ code, label: toLocalisedText(item.text, code) }];
    }
    return [];
  });
}

function ratingChoices(element: Json): Choice[] {
  if (Array.isArray(element.rateValues) && element.rateValues.length > 0) return choiceList(element.rateValues);
  const min = typeof element.rateMin === 'number' ? element.rateMin : 1;
  const step = typeof element.rateStep === 'number' && element.rateStep > 0 ? element.rateStep : 1;
  const max =
    typeof element.rateCount === 'number' ? min + (element.rateCount - 1) * step : typeof element.rateMax === 'number' ? element.rateMax : 5;
  const choices: Choice[] = [];
  for (let value = min; value <= max && choices.length < 100; value += step) choices.push({ code: String(value), label: { default: String(value) } });
  return choices;
}

const SINGLE = new Set(['radiogroup', 'dropdown', 'rating', 'boolean', 'buttongroup', 'imagepicker']);
const MULTIPLE = new Set(['checkbox', 'tagbox']);
const NO_ANSWER = new Set(['html', 'image', 'expression', 'panel', 'page']);

function analysisTypeOf(element: Json): AnalysisType {
  const type = String(element.type ?? '');
  if (type === 'imagepicker' && element.multiSelect === true) return 'multiple';
  if (SINGLE.has(type)) return 'single';
  if (MULTIPLE.has(type)) return 'multiple';
  if (type === 'matrix') return 'matrix';
  if (type === 'text') return element.inputType === 'number' || element.inputType === 'range' ? 'number' : 'text';
  if (type === 'comment') return 'text';
  return 'other';
}

function choicesOf(element: Json, defaults: DefaultChoiceLabels): Choice[] {
  const type = String(element.type ?? '');
  if (type === 'boolean') {
    const trueCode = element.valueTrue !== undefined ? String(element.valueTrue) : 'true';
    const falseCode = element.valueFalse !== undefined ? String(element.valueFalse) : 'false';
    return [
      { code: trueCode, label: element.labelTrue !== undefined ? toLocalisedText(element.labelTrue, trueCode) : defaults.yes },
      { code: falseCode, label: element.labelFalse !== undefined ? toLocalisedText(element.labelFalse, falseCode) : defaults.no },
    ];
  }
  if (type === 'rating') return ratingChoices(element);
  if (type === 'matrix') return choiceList(element.columns);
  const choices = choiceList(element.choices);
  const flag = (...names: string[]) => names.some((name) => element[name] === true);
  if (flag('showNoneItem', 'hasNone')) choices.push({ code: 'none', label: element.noneText ? toLocalisedText(element.noneText, 'none') : defaults.none });
  if (flag('showOtherItem', 'hasOther')) choices.push({ code: 'other', label: element.otherText ? toLocalisedText(element.otherText, 'other') : defaults.other });
  if (flag('showRefuseItem')) choices.push({ code: 'refused', label: element.refuseText ? toLocalisedText(element.refuseText, 'refused') : defaults.refused });
  if (flag('showDontKnowItem')) choices.push({ code: 'dontknow', label: element.dontKnowText ? toLocalisedText(element.dontKnowText, 'dontknow') : defaults.dontKnow });
  return choices;
}

/** Every answerable element of a definition, in page order (panels opened, dynamic panels kept whole), with the conditions it is shown under. */
function* answerableElements(definition: unknown): Generator<{ element: Json; conditions: string[] }> {
  if (!isObject(definition)) return;
  const pages = Array.isArray(definition.pages) ? definition.pages : [];
  const conditionOf = (item: Json) => (typeof item.visibleIf === 'string' && item.visibleIf.trim() !== '' ? [item.visibleIf.trim()] : []);
  const walk = function* (elements: unknown, conditions: string[]): Generator<{ element: Json; conditions: string[] }> {
    if (!Array.isArray(elements)) return;
    for (const element of elements) {
      if (!isObject(element) || typeof element.name !== 'string') continue;
      if (element.type === 'panel') {
        yield* walk(element.elements, [...conditions, ...conditionOf(element)]);
        continue;
      }
      if (NO_ANSWER.has(String(element.type))) continue;
      yield { element, conditions: [...conditions, ...conditionOf(element)] };
    }
  };
  for (const page of pages) if (isObject(page)) yield* walk(page.elements, conditionOf(page));
  if (Array.isArray(definition.elements)) yield* walk(definition.elements, []);
}

/**
 * The questions of an instrument across all its versions, matched by name: type, label and choices
 * from the newest version that has the question, choices dropped in later versions kept at the end
 * (old responses still carry them), and the versions each question exists in.
 */
export function questionsOf(versions: readonly VersionDefinition[], defaults: DefaultChoiceLabels): Question[] {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  const byName = new Map<string, Question>();
  const order: string[] = [];
  for (const { version, definition } of sorted) {
    for (const { element, conditions } of answerableElements(definition)) {
      const name = element.name as string;
      const known = byName.get(name);
      if (known) {
        known.versions.push(version);
        const codes = new Set(known.choices.map((choice) => choice.code));
        for (const choice of choicesOf(element, defaults)) if (!codes.has(choice.code)) known.choices.push(choice);
        const rowCodes = new Set(known.rows.map((row) => row.code));
        for (const row of choiceList(element.rows)) if (!rowCodes.has(row.code)) known.rows.push(row);
        continue;
      }
      const type = analysisTypeOf(element);
      const choices = choicesOf(element, defaults);
      byName.set(name, {
        name,
        surveyType: String(element.type),
        type,
        label: toLocalisedText(element.title, name),
        choices,
        rows: type === 'matrix' ? choiceList(element.rows) : [],
        versions: [version],
        districtChoices: (type === 'single' || type === 'multiple') && Array.isArray(element.choices) && element.choices.length === 0,
        hasOtherComment: element.showOtherItem === true || element.hasOther === true,
        shownIf: conditions.length === 0 ? null : conditions.length === 1 ? conditions[0]! : conditions.map((condition) => `(${condition})`).join(' and '),
      });
      order.push(name);
    }
  }
  return order.map((name) => {
    const question = byName.get(name)!;
    question.versions.sort((a, b) => a - b);
    return question;
  });
}

/** The text for a locale: its own, then German (Leichte Sprache falls back to German), then any. */
export function textIn(text: LocalisedText | undefined, locale: string): string {
  if (!text) return '';
  const key = locale === 'de' ? 'default' : locale;
  return text[key] ?? text[locale] ?? text.default ?? text.de ?? Object.values(text)[0] ?? '';
}
