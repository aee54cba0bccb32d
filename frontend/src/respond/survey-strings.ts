import { surveyLocalization } from 'survey-core';
import type { Locale } from '../../../api/src/i18n/locales.ts';

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
 * back to German. The validation messages are the same wording the server uses for its 422 answers
 * (api/src/responses/survey-core-locales.ts), so client and server speak alike. Draft wording.
 */
export const EASY_LANGUAGE_STRINGS: Record<string, string> = {
  pagePrevText: 'Zurück',
  pageNextText: 'Weiter',
  completeText: 'Absenden',
  progressText: 'Seite {0} von {1}',
  requiredError: 'Bitte antworten Sie hier.',
  requiredErrorInPanel: 'Bitte antworten Sie auf mindestens eine Frage.',
  requiredInAllRowsError: 'Bitte antworten Sie in jeder Zeile.',
  numericError: 'Bitte schreiben Sie eine Zahl.',
  minError: 'Die Zahl ist zu klein. Die kleinste Zahl ist {0}.',
  maxError: 'Die Zahl ist zu groß. Die größte Zahl ist {0}.',
  textMinLength: 'Bitte schreiben Sie mehr. Sie brauchen mindestens {0} Zeichen.',
  textMaxLength: 'Der Text ist zu lang. Es gehen höchstens {0} Zeichen.',
  minSelectError: 'Bitte wählen Sie mindestens {0} Antworten.',
  maxSelectError: 'Bitte wählen Sie höchstens {0} Antworten.',
  otherRequiredError: 'Bitte schreiben Sie Ihre Antwort in das Feld.',
  invalidEmail: 'Die E-Mail-Adresse stimmt nicht. Bitte prüfen Sie die Adresse.',
  otherItemText: 'Etwas anderes',
  noneItemText: 'Nichts davon',
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
  }
  loaded.add(locale);
}
