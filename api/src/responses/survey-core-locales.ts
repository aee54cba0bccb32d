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
import '../surveys/survey-core-setup.ts';

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
  strings: {
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
  },
});

export { surveyLocalization };
