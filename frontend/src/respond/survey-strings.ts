import { surveyLocalization } from 'survey-core';
import { EASY_LANGUAGE_VALIDATION_STRINGS } from '../../../api/src/shared/easy-language-survey-strings.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';

/**
 * survey-core's own strings (buttons, progress, validation messages) for one locale, fetched when
 * that locale is chosen: each import registers itself with surveyLocalization. German is always
 * loaded because it is the default locale every other one falls back to.
 */
const loaders: Record<Exclude<Locale, 'de-x-easy'>, () => Promise<unknown>> = {
  de: () => import('survey-core/i18n/german'),
  en: () => import('survey-core/i18n/english'),
  tr: () => import('survey-core/i18n/turkish'),
  ar: () => import('survey-core/i18n/arabic'),
  ru: () => import('survey-core/i18n/russian'),
  uk: () => import('survey-core/i18n/ukrainian'),
  pl: () => import('survey-core/i18n/polish'),
  fa: () => import('survey-core/i18n/persian'),
};

/**
 * Leichte Sprache: plain-words versions of the messages a respondent meets; everything else falls
 * back to German. The validation messages come from the list the server uses for its 422 answers
 * (api/src/i18n/easy-language-survey-strings.ts), so client and server speak alike. Draft wording.
 */
export const EASY_LANGUAGE_STRINGS: Record<string, string> = {
  pagePrevText: 'Zurück',
  pageNextText: 'Weiter',
  completeText: 'Absenden',
  progressText: 'Seite {0} von {1}',
  ...EASY_LANGUAGE_VALIDATION_STRINGS,
  otherItemText: 'Etwas anderes',
  noneItemText: 'Nichts davon',
};

/**
 * Corrections to survey-core's own translations. Its Arabic progress text is "{1} صفحة {0} من",
 * which renders as "15 صفحة 2 من" (the words out of order); Arabic says "الصفحة 2 من 15".
 * (Checked: the other locales' progress texts read correctly.) Draft wording.
 */
export const SURVEY_CORE_CORRECTIONS: Partial<Record<Locale, Record<string, string>>> = {
  ar: { progressText: 'الصفحة {0} من {1}' },
};

const loaded = new Set<Locale>();

export async function loadSurveyStrings(locale: Locale): Promise<void> {
  if (loaded.has(locale)) return;
  await loaders.de();
  if (locale === 'de-x-easy') {
    surveyLocalization.setupLocale({
      localeCode: 'de-x-easy',
      strings: EASY_LANGUAGE_STRINGS,
      nativeName: 'Leichte Sprache',
      englishName: 'Easy German',
    });
  } else {
    await loaders[locale]();
    const strings = surveyLocalization.locales[locale] as Record<string, string> | undefined;
    if (strings) Object.assign(strings, SURVEY_CORE_CORRECTIONS[locale]);
  }
  loaded.add(locale);
}
