import { surveyLocalization } from 'survey-core';
// survey-core's own UI and error strings, one bundle per supported language (side-effect imports
// that register themselves with surveyLocalization).
import 'survey-core/i18n/arabic';
import 'survey-core/i18n/english';
import 'survey-core/i18n/german';
import 'survey-core/i18n/persian';
import 'survey-core/i18n/polish';
import 'survey-core/i18n/russian';
import 'survey-core/i18n/turkish';
import 'survey-core/i18n/ukrainian';
// German is the default locale: the instruments keep German under SurveyJS's `default` key.
import '../shared/survey-core-setup.ts';
import { EASY_LANGUAGE_VALIDATION_STRINGS } from '../shared/easy-language-survey-strings.ts';

/**
 * Leichte Sprache: only the messages a respondent can meet on the server are rewritten in plain
 * words (short sentences, no subjunctive); every other string falls back to German, because
 * survey-core looks up `de-x-easy`, then `de`. Draft wording, to be reviewed by a Leichte-Sprache
 * checker.
 */
surveyLocalization.setupLocale({
  localeCode: 'de-x-easy',
  nativeName: 'Leichte Sprache',
  englishName: 'Easy German',
  strings: { ...EASY_LANGUAGE_VALIDATION_STRINGS },
});

export { surveyLocalization };
