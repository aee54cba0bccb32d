// First: survey-core must treat German as its default locale before any Model exists.
import { surveyJsLocale } from '../../../api/src/shared/survey-core-setup.ts';
import { Model, type ItemValue, type QuestionSelectBase } from 'survey-core';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { districtName, withDistrictChoices } from '../respond/survey-definition.ts';
import type { StoredDistrict, StoredInstrument } from './store/types.ts';

/** The question that records the interviewee's function or organisation type, per instrument kind. */
const FUNCTION_QUESTIONS = ['function', 'org_type'];

/** The interview guide asks in which language the conversation was held; its choices by locale. */
const CONVERSATION_LANGUAGE_BY_LOCALE: Record<Locale, string> = {
  de: 'german',
  'de-x-easy': 'german',
  en: 'english',
  tr: 'turkish',
  ar: 'arabic',
  ru: 'russian',
  uk: 'ukrainian',
  pl: 'polish',
  fa: 'farsi_dari',
};

export interface Choice {
  value: string;
  text: string;
}

/** A survey-core model of one instrument version, its district questions filled, in one locale. */
export function buildModel(instrument: StoredInstrument, districts: readonly StoredDistrict[], locale: Locale): Model {
  const model = new Model(withDistrictChoices(instrument.definition, districts));
  model.locale = surveyJsLocale(locale);
  return model;
}

/** The function question of an instrument, if it has one. */
function functionQuestion(model: Model): QuestionSelectBase | null {
  for (const name of FUNCTION_QUESTIONS) {
    const question = model.getQuestionByName(name) as QuestionSelectBase | null;
    if (question && 'choices' in question) return question;
  }
  return null;
}

/** The interviewee functions an instrument offers, labelled in `uiLocale`; empty when it asks none. */
export function functionChoices(instrument: StoredInstrument, uiLocale: Locale): Choice[] {
  const question = functionQuestion(buildModel(instrument, [], uiLocale));
  return question ? question.choices.map((item: ItemValue) => ({ value: String(item.value), text: item.text })) : [];
}

/** The title of an instrument in `uiLocale` (German when that translation is missing). */
export function instrumentTitle(instrument: StoredInstrument, uiLocale: Locale): string {
  const model = new Model({ title: instrument.title });
  model.locale = surveyJsLocale(uiLocale);
  return model.title || instrument.slug;
}

/** A district's name in `uiLocale` (the code when the district is unknown). */
export function districtLabel(district: StoredDistrict | undefined, code: string, uiLocale: Locale): string {
  return district ? districtName(district, uiLocale) : code;
}

/**
 * The answers a new conversation starts with: what the interviewer chose on the start form goes
 * into the questions that ask it, so it is neither asked twice nor lost. Only questions the
 * instrument has are filled (the server refuses unknown answer names).
 */
export function initialAnswers(
  instrument: StoredInstrument,
  choice: { district: string; intervieweeFunction: string | null; locale: Locale },
): Record<string, unknown> {
  const model = buildModel(instrument, [], 'de');
  const answers: Record<string, unknown> = {};
  if (model.getQuestionByName('district')) answers.district = choice.district;
  const fn = functionQuestion(model);
  if (fn && choice.intervieweeFunction) answers[fn.name] = choice.intervieweeFunction;
  const language = model.getQuestionByName('conversation_language') as QuestionSelectBase | null;
  const languageValue = CONVERSATION_LANGUAGE_BY_LOCALE[choice.locale];
  if (language && 'choices' in language && language.choices.some((item: ItemValue) => item.value === languageValue)) {
    answers.conversation_language = languageValue;
  }
  return answers;
}

/** What to save from a running survey: its answers, page, and the district and function as answered. */
export function progressOf(model: Model): { answers: Record<string, unknown>; pageNo: number; district?: string; intervieweeFunction?: string | null } {
  const answers = { ...(model.data as Record<string, unknown>) };
  const district = answers.district;
  const fn = functionQuestion(model);
  const fnValue = fn ? answers[fn.name] : undefined;
  return {
    answers,
    pageNo: model.currentPageNo,
    ...(typeof district === 'string' ? { district } : {}),
    ...(fn ? { intervieweeFunction: typeof fnValue === 'string' ? fnValue : null } : {}),
  };
}
