/**
 * survey-core's validation messages in Leichte Sprache (plain words, short sentences, no
 * subjunctive). One list for the server's 422 answers and the respondent page, so a message reads
 * alike whether the phone or the server found the problem. Every other string falls back to German
 * (survey-core looks up `de-x-easy`, then `de`). Draft wording, to be reviewed by a Leichte-Sprache
 * checker.
 */
export const EASY_LANGUAGE_VALIDATION_STRINGS: Readonly<Record<string, string>> = {
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
};
