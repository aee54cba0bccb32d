import { Model } from 'survey-core';
import { RTL_LOCALES, SUPPORTED_LOCALES, surveyTextKey, type Locale } from '../shared/locales.ts';
import type { Completeness } from '../shared/surveys-admin.ts';
import { withElementsAlias } from './element-lists.ts';
import { instrumentFileSchema, type InstrumentFile } from './instrument-file.ts';

/**
 * `error`: the file cannot be served (broken JSON, no German text, unnamed question…).
 * `lint`: the file is served, but it does not meet the content rules `npm run check-surveys` enforces
 * (a missing translation, an overlong Leichte Sprache sentence, unbalanced bidi controls).
 */
export interface DefinitionProblem {
  severity: 'error' | 'lint';
  /** The question (or page/survey) the problem sits in, for a message a content editor can act on. */
  where: string;
  message: string;
}

export interface CheckResult {
  file: InstrumentFile | null;
  problems: DefinitionProblem[];
  completeness: Completeness[];
}

/** SurveyJS properties whose value is text a person reads (a string or a locale → text object). */
const LOCALISABLE_PROPERTIES = new Set([
  'title', 'description', 'text', 'html', 'placeholder', 'otherText', 'otherPlaceholder', 'noneText',
  'commentText', 'commentPlaceholder', 'labelTrue', 'labelFalse', 'completedHtml', 'completedBeforeHtml',
  'loadingHtml', 'startSurveyText', 'pagePrevText', 'pageNextText', 'completeText', 'minRateDescription',
  'maxRateDescription', 'templateTitle', 'panelAddText', 'panelRemoveText', 'requiredErrorText',
  'selectAllText', 'confirmDeleteText', 'noEntriesText', 'addRowText', 'removeRowText', 'validationText',
]);
const CHOICE_LISTS = new Set(['choices', 'rows', 'columns', 'rateValues']);
const ELEMENT_LISTS = new Set(['pages', 'elements', 'templateElements']);
const TEXT_KEYS = new Set<string>([...SUPPORTED_LOCALES.map(surveyTextKey), 'de']);

const EASY_LOCALE: Locale = 'de-x-easy';
const EASY_MAX_WORDS_PER_SENTENCE = 15;
const EASY_MAX_SENTENCES_PER_QUESTION = 3;

export function checkInstrumentSource(source: string): CheckResult {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    return fail('file', `is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = instrumentFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail('file', `${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const file = parsed.data;
  const problems: DefinitionProblem[] = [];
  checkModelBuilds(file, problems);
  const walk = walkStrings(file, problems);
  checkNames(withElementsAlias(file.definition), problems);
  return {
    file,
    problems,
    completeness: file.locales.map((locale) => ({
      locale,
      translated: walk.translated.get(locale) ?? 0,
      total: walk.total,
    })),
  };
}

function fail(where: string, message: string): CheckResult {
  return { file: null, problems: [{ severity: 'error', where, message }], completeness: [] };
}

function checkModelBuilds(file: InstrumentFile, problems: DefinitionProblem[]) {
  try {
    const model = new Model(file.definition);
    for (const jsonError of model.jsonErrors ?? []) {
      // A property survey-core does not know is ignored by it (a newer Creator writes such): a
      // warning; an unknown element type or a wrong value is an error.
      const ignored = (jsonError as { type?: string }).type === 'unknownproperty';
      problems.push({ severity: ignored ? 'lint' : 'error', where: 'definition', message: `SurveyJS: ${jsonError.message}` });
    }
    if (model.getAllQuestions().length === 0) {
      problems.push({ severity: 'error', where: 'definition', message: 'has no questions' });
    }
  } catch (error) {
    problems.push({ severity: 'error', where: 'definition', message: `SurveyJS cannot build it: ${(error as Error).message}` });
  }
}

/**
 * Every question and panel needs a stable, unique name: names become CSV columns and answer keys.
 * Pages are never answer keys: survey-core names an unnamed one itself, and a page may share a name
 * with a question (separate namespaces in SurveyJS); two pages of the same name are still refused.
 */
function checkNames(definition: Record<string, unknown>, problems: DefinitionProblem[]) {
  const seen = new Map<string, string>();
  const pages = new Map<string, string>();
  const visit = (node: unknown, path: string, isPage: boolean) => {
    if (!Array.isArray(node)) return;
    node.forEach((element, index) => {
      if (!isObject(element)) return;
      const here = `${path}[${index}]`;
      const name = element.name;
      const names = isPage ? pages : seen;
      if (typeof name !== 'string' || name.trim() === '') {
        if (!isPage) problems.push({ severity: 'error', where: here, message: `has no "name" (type ${String(element.type ?? 'page')})` });
      } else if (names.has(name)) {
        problems.push({ severity: 'error', where: `${isPage ? 'page' : 'question'} ${name}`, message: `name is used twice (${names.get(name)} and ${here})` });
      } else {
        names.set(name, here);
      }
      for (const key of ELEMENT_LISTS) visit(element[key], `${here}.${key}`, key === 'pages');
    });
  };
  for (const key of ELEMENT_LISTS) visit(definition[key], key, key === 'pages');
}

interface WalkResult {
  total: number;
  translated: Map<Locale, number>;
}

/** Walks every text in the definition: German must exist; every declared locale should. */
function walkStrings(file: InstrumentFile, problems: DefinitionProblem[]): WalkResult {
  const result: WalkResult = { total: 0, translated: new Map() };
  const locales = file.locales;

  const countText = (text: Record<string, unknown> | string, where: string, what: string) => {
    result.total += 1;
    const map: Record<string, unknown> = typeof text === 'string' ? { default: text } : text;
    // A blank German text (`" "`) is a deliberate choice survey-core renders; only a missing one is an error.
    if (typeof map.default !== 'string' && typeof map.de !== 'string') {
      problems.push({ severity: 'error', where, message: `${what} has no German text ("default")` });
    }
    const missing: string[] = [];
    for (const locale of locales) {
      const value = locale === 'de' ? (map.default ?? map.de) : map[locale];
      if (nonEmpty(value)) {
        result.translated.set(locale, (result.translated.get(locale) ?? 0) + 1);
        checkLocaleText(locale, String(value), where, what, problems);
      } else missing.push(locale);
    }
    if (missing.length > 0) {
      problems.push({ severity: 'lint', where, message: `${what} has no text in ${missing.join(', ')}` });
    }
  };

  const visit = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, where);
      return;
    }
    if (!isObject(node)) return;
    const here = typeof node.name === 'string' && typeof node.type === 'string' ? `question ${node.name}`
      : typeof node.name === 'string' && 'elements' in node ? `page ${node.name}` : where;
    for (const [key, value] of Object.entries(node)) {
      if (LOCALISABLE_PROPERTIES.has(key) && (typeof value === 'string' || isTextMap(value))) {
        countText(value as string | Record<string, unknown>, here, key);
      } else if (CHOICE_LISTS.has(key) && Array.isArray(value)) {
        for (const choice of value) checkChoice(choice, here, key, countText, visit);
      } else if (typeof value === 'object') {
        visit(value, here);
      }
    }
    if (here.startsWith('question ') && node.title !== undefined) checkEasyQuestionLength(node, here, problems);
  };

  visit(file.definition, 'survey');
  return result;
}

function checkChoice(
  choice: unknown,
  where: string,
  list: string,
  countText: (text: Record<string, unknown> | string, where: string, what: string) => void,
  visit: (node: unknown, where: string) => void,
) {
  if (typeof choice === 'number') return; // a bare number reads the same in every language
  if (typeof choice === 'string') {
    countText(choice, where, `${list} item "${choice}"`);
    return;
  }
  if (!isObject(choice)) return;
  const value = choice.value ?? choice.name;
  const label = choice.text ?? choice.title;
  const what = `${list} item "${String(value)}"`;
  if (typeof label === 'string' || isTextMap(label)) countText(label as string | Record<string, unknown>, where, what);
  else if (label === undefined && typeof value !== 'number') countText(String(value), where, what);
  const { text: _text, title: _title, ...rest } = choice;
  visit(rest, where);
}

function checkLocaleText(locale: Locale, text: string, where: string, what: string, problems: DefinitionProblem[]) {
  if (locale === EASY_LOCALE) {
    for (const sentence of sentencesOf(text)) {
      const words = wordsOf(sentence);
      if (words > EASY_MAX_WORDS_PER_SENTENCE) {
        problems.push({
          severity: 'lint',
          where,
          message: `${what} (Leichte Sprache): sentence has ${words} words, at most ${EASY_MAX_WORDS_PER_SENTENCE}: "${sentence}"`,
        });
      }
    }
  }
  if (RTL_LOCALES.has(locale) && !bidiControlsBalanced(text)) {
    problems.push({ severity: 'lint', where, message: `${what} (${locale}): unbalanced bidi control characters` });
  }
}

function checkEasyQuestionLength(node: Record<string, unknown>, where: string, problems: DefinitionProblem[]) {
  const textOf = (value: unknown) => (isObject(value) && typeof value[EASY_LOCALE] === 'string' ? (value[EASY_LOCALE] as string) : '');
  const sentences = sentencesOf(textOf(node.title)).length + sentencesOf(textOf(node.description)).length;
  if (sentences > EASY_MAX_SENTENCES_PER_QUESTION) {
    problems.push({
      severity: 'lint',
      where,
      message: `title and description (Leichte Sprache) have ${sentences} sentences, at most ${EASY_MAX_SENTENCES_PER_QUESTION}`,
    });
  }
}

export function sentencesOf(text: string): string[] {
  return text
    .replace(/<[^>]*>/g, ' ')
    .split(/(?<=[.!?:])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => wordsOf(sentence) > 0);
}

function wordsOf(sentence: string): number {
  return sentence.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Embeddings/overrides (LRE RLE LRO RLO) close with PDF; isolates (LRI RLI FSI) with PDI. */
export function bidiControlsBalanced(text: string): boolean {
  const stack: ('embedding' | 'isolate')[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 0x202a || code === 0x202b || code === 0x202d || code === 0x202e) stack.push('embedding');
    else if (code >= 0x2066 && code <= 0x2068) stack.push('isolate');
    else if (code === 0x202c && stack.pop() !== 'embedding') return false;
    else if (code === 0x2069 && stack.pop() !== 'isolate') return false;
  }
  return stack.length === 0;
}

function isTextMap(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => TEXT_KEYS.has(key));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
