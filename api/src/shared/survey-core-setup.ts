import { surveyLocalization } from 'survey-core';

/**
 * Our instruments keep German under SurveyJS's `default` key, but survey-core's own default locale
 * is English: without this, `model.locale = 'en'` would render the German `default` text. Every
 * place that builds a survey-core Model (server validation, the front end, tests) imports this once.
 */
surveyLocalization.defaultLocale = 'de';

/** The SurveyJS locale for one of ours: German is the default (empty) locale. */
export function surveyJsLocale(locale: string): string {
  return locale === 'de' ? '' : locale;
}
