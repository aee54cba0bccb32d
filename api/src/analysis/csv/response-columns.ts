import type { LocalisedText } from '../../db/schema.ts';
import { textIn, type Choice, type Question } from '../questions.ts';
import { choicesFor, messageInAllLocales, type AnalysisContext } from '../service.ts';

/**
 * Questions whose answers are contact details (the interview guide's `contact_*`). They belong in
 * the contacts feature, never next to answers; if a client ever stores them with the answers, the
 * raw export still leaves them out.
 */
const CONTACT_DETAILS = /^contact_(?!consent$)/;

/** One column of responses.csv, described once for the export and for the codebook. */
export interface ResponseColumn {
  name: string;
  /** The question it comes from (null for metadata). */
  question: string | null;
  /** metadata | single | option (0/1) | number | text | matrix_row | other_text | json | target_group (0/1) | banded */
  type: string;
  label: LocalisedText;
  /** Codes and labels of the values the column can hold. */
  choices: Choice[];
  versions: number[] | null;
  /** The question's display condition (codebook `shown_if`); null: always shown. */
  shownIf?: string | null;
  /** A target group's rule (codebook `rule`). */
  rule?: string | null;
  /** Where the cell's value comes from; `response-lines.ts` turns this into SQL. */
  source: CellSource;
}

/**
 * A column's value, declared rather than computed in JavaScript: the raw export builds each CSV line
 * inside the database (see response-lines.ts), which is what makes it fast enough for a million rows.
 * `coded` keeps codes as stored (numbers as numbers), or gives a choice's text when labels are asked for.
 */
export type CellSource =
  | { kind: 'row_number' }
  | { kind: 'meta'; field: 'version' | 'mode' | 'locale' | 'district' | 'channel' | 'day'; choices?: Choice[] }
  | { kind: 'coded'; key: string; row?: string; choices: Choice[] }
  | { kind: 'number'; key: string }
  | { kind: 'text'; key: string }
  | { kind: 'json'; key: string }
  | { kind: 'ticked'; key: string; code: string }
  | { kind: 'target_group'; code: string }
  /** De-identified export: the released (coarsened or withheld) value of a quasi-identifier. */
  | { kind: 'released'; name: string; choices?: Choice[] }
  /** De-identified export: a multiple-choice option, or the withheld code when the whole answer is withheld. */
  | { kind: 'released_ticked'; name: string; key: string; code: string };

const label01 = (): Choice[] => [
  { code: '1', label: messageInAllLocales('analysis.ticked') },
  { code: '0', label: messageInAllLocales('analysis.not_ticked') },
];

function questionColumns(context: AnalysisContext, question: Question): ResponseColumn[] {
  const base = { question: question.name, versions: question.versions, shownIf: question.shownIf };
  const key = question.name;
  switch (question.type) {
    case 'single': {
      const choices = choicesFor(context, question);
      return [{ ...base, name: question.name, type: 'single', label: question.label, choices, source: { kind: 'coded', key, choices } }];
    }
    case 'multiple': {
      const columns: ResponseColumn[] = choicesFor(context, question).map((choice) => ({
        ...base,
        name: `${question.name}__${choice.code}`,
        type: 'option',
        label: Object.fromEntries(Object.entries(question.label).map(([key, text]) => [key, `${text}: ${textIn(choice.label, key === 'default' ? 'de' : key)}`])),
        choices: label01(),
        source: { kind: 'ticked', key, code: choice.code },
      }));
      if (question.hasOtherComment) columns.push(otherText(question));
      return columns;
    }
    case 'number':
      return [{ ...base, name: question.name, type: 'number', label: question.label, choices: [], source: { kind: 'number', key } }];
    case 'matrix':
      return question.rows.map((matrixRow) => ({
        ...base,
        name: `${question.name}.${matrixRow.code}`,
        type: 'matrix_row',
        label: Object.fromEntries(Object.entries(question.label).map(([key, text]) => [key, `${text} – ${textIn(matrixRow.label, key === 'default' ? 'de' : key)}`])),
        choices: question.choices,
        source: { kind: 'coded', key, row: matrixRow.code, choices: question.choices },
      }));
    case 'text':
      return [
        {
          ...base,
          name: question.name,
          type: 'text',
          label: question.label,
          choices: [],
          source: { kind: 'text', key },
        },
      ];
    default:
      return [
        {
          ...base,
          name: question.name,
          type: 'json',
          label: question.label,
          choices: [],
          source: { kind: 'json', key },
        },
      ];
  }
}

function otherText(question: Question): ResponseColumn {
  return {
    question: question.name,
    versions: question.versions,
    shownIf: question.shownIf,
    name: `${question.name}-Comment`,
    type: 'other_text',
    label: messageInAllLocales('analysis.other_text'),
    choices: [],
    source: { kind: 'text', key: `${question.name}-Comment` },
  };
}

/** A language's name in German and English (for the codebook's list of response languages). */
function languageName(locale: string): LocalisedText {
  if (locale === 'de-x-easy') return { default: 'Leichte Sprache', en: 'Easy German (Leichte Sprache)' };
  const name = (inLanguage: string) => {
    try {
      return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(locale) ?? locale;
    } catch {
      return locale;
    }
  };
  return { default: name('de'), en: name('en') };
}

/**
 * Every column of responses.csv in order: row number and metadata, then each question (multiple
 * choice as one 0/1 column per option), then target-group membership as 0/1. No response id and no
 * time of day: the row number counts rows of this file only, the day is the submission date.
 */
export function responseColumns(context: AnalysisContext, targetGroupCodes: string[]): ResponseColumn[] {
  const meta = (name: string, source: CellSource, choices: Choice[] = []): ResponseColumn => ({
    name,
    question: null,
    type: 'metadata',
    label: messageInAllLocales(`analysis.meta.${name}`),
    choices,
    versions: null,
    source,
  });
  const districtChoices = context.districts.map((district) => ({ code: district.code, label: district.name }));
  const modeChoices = [
    { code: 'online', label: messageInAllLocales('analysis.mode.online') },
    { code: 'interview', label: messageInAllLocales('analysis.mode.interview') },
  ];
  const columns: ResponseColumn[] = [
    meta('row', { kind: 'row_number' }),
    meta('version', { kind: 'meta', field: 'version' }),
    meta('mode', { kind: 'meta', field: 'mode' }, modeChoices),
    meta('locale', { kind: 'meta', field: 'locale' }, context.observed.locales.map((locale) => ({ code: locale, label: languageName(locale) }))),
    meta('district', { kind: 'meta', field: 'district', choices: districtChoices }, districtChoices),
    meta('channel', { kind: 'meta', field: 'channel' }),
    meta('submitted_on', { kind: 'meta', field: 'day' }),
  ];
  for (const question of context.questions) {
    // The response's district is a metadata column already (from the answer or the link).
    if (question.name === 'district' || CONTACT_DETAILS.test(question.name)) continue;
    columns.push(...questionColumns(context, question));
  }
  const groups = new Map(context.targetGroups.map((group) => [group.code, group]));
  const inGroup: Choice[] = [
    { code: '1', label: messageInAllLocales('analysis.in_group') },
    { code: '0', label: messageInAllLocales('analysis.not_in_group') },
  ];
  for (const code of targetGroupCodes) {
    columns.push({
      name: `target_group__${code}`,
      question: null,
      type: 'target_group',
      label: groups.get(code)?.label ?? { default: code },
      rule: groups.get(code)?.expression ?? null,
      choices: inGroup,
      versions: null,
      source: { kind: 'target_group', code },
    });
  }
  return columns;
}
