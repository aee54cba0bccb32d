import type { LocalisedText } from '../../db/schema.ts';
import type { Locale } from '../../i18n/locales.ts';
import { textIn, type Choice, type Question } from '../questions.ts';
import type { RawResponseRow } from '../repository.ts';
import { choicesFor, messageInAllLocales, type AnalysisContext } from '../service.ts';
import type { CsvValue } from './csv-writer.ts';

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
  /** metadata | single | option (0/1) | number | text | matrix_row | other_text | json | target_group (0/1) */
  type: string;
  label: LocalisedText;
  /** Codes and labels of the values the column can hold. */
  choices: Choice[];
  versions: number[] | null;
  value(row: RawResponseRow, labels: Locale | null): CsvValue;
}

const label01 = (): Choice[] => [
  { code: '1', label: messageInAllLocales('analysis.ticked') },
  { code: '0', label: messageInAllLocales('analysis.not_ticked') },
];

/** Codes stay as stored (numbers stay numbers); with labels, a choice's code becomes its text. */
function coded(value: unknown, choices: Choice[], labels: Locale | null): CsvValue {
  if (value === undefined || value === null) return null;
  if (labels) {
    const choice = choices.find((candidate) => candidate.code === String(value));
    if (choice) return textIn(choice.label, labels);
  }
  if (typeof value === 'number') return value;
  return String(value);
}

function numeric(value: unknown): CsvValue {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return typeof value === 'string' ? value : null;
}

function questionColumns(context: AnalysisContext, question: Question): ResponseColumn[] {
  const base = { question: question.name, versions: question.versions };
  const answer = (row: RawResponseRow) => row.answers?.[question.name];
  switch (question.type) {
    case 'single': {
      const choices = choicesFor(context, question);
      return [{ ...base, name: question.name, type: 'single', label: question.label, choices, value: (row, labels) => coded(answer(row), choices, labels) }];
    }
    case 'multiple': {
      // One set per row for all option columns of the question (not one array per option and row).
      let lastRow: RawResponseRow | null = null;
      let lastTicked: Set<string> | null = null;
      const tickedIn = (row: RawResponseRow) => {
        if (row !== lastRow) {
          const ticked = answer(row);
          lastRow = row;
          lastTicked = Array.isArray(ticked) ? new Set(ticked.map(String)) : null;
        }
        return lastTicked;
      };
      const columns: ResponseColumn[] = choicesFor(context, question).map((choice) => ({
        ...base,
        name: `${question.name}__${choice.code}`,
        type: 'option',
        label: Object.fromEntries(Object.entries(question.label).map(([key, text]) => [key, `${text}: ${textIn(choice.label, key === 'default' ? 'de' : key)}`])),
        choices: label01(),
        value: (row) => {
          const ticked = tickedIn(row);
          return ticked === null ? null : ticked.has(choice.code) ? 1 : 0;
        },
      }));
      if (question.hasOtherComment) columns.push(otherText(question));
      return columns;
    }
    case 'number':
      return [{ ...base, name: question.name, type: 'number', label: question.label, choices: [], value: (row) => numeric(answer(row)) }];
    case 'matrix':
      return question.rows.map((matrixRow) => ({
        ...base,
        name: `${question.name}.${matrixRow.code}`,
        type: 'matrix_row',
        label: Object.fromEntries(Object.entries(question.label).map(([key, text]) => [key, `${text} – ${textIn(matrixRow.label, key === 'default' ? 'de' : key)}`])),
        choices: question.choices,
        value: (row, labels) => {
          const answers = answer(row);
          return answers && typeof answers === 'object' ? coded((answers as Record<string, unknown>)[matrixRow.code], question.choices, labels) : null;
        },
      }));
    case 'text':
      return [
        {
          ...base,
          name: question.name,
          type: 'text',
          label: question.label,
          choices: [],
          value: (row) => {
            const text = answer(row);
            return text === undefined || text === null ? null : String(text);
          },
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
          value: (row) => (answer(row) === undefined ? null : JSON.stringify(answer(row))),
        },
      ];
  }
}

function otherText(question: Question): ResponseColumn {
  return {
    question: question.name,
    versions: question.versions,
    name: `${question.name}-Comment`,
    type: 'other_text',
    label: messageInAllLocales('analysis.other_text'),
    choices: [],
    value: (row) => {
      const text = row.answers?.[`${question.name}-Comment`];
      return typeof text === 'string' ? text : null;
    },
  };
}

/**
 * Every column of responses.csv in order: row number and metadata, then each question (multiple
 * choice as one 0/1 column per option), then target-group membership as 0/1. No response id and no
 * time of day: the row number counts rows of this file only, the day is the submission date.
 */
export function responseColumns(context: AnalysisContext, targetGroupCodes: string[]): ResponseColumn[] {
  const meta = (name: string, pick: (row: RawResponseRow) => CsvValue, choices: Choice[] = []): ResponseColumn => ({
    name,
    question: null,
    type: 'metadata',
    label: messageInAllLocales(`analysis.meta.${name}`),
    choices,
    versions: null,
    value: pick,
  });
  const districtChoices = context.districts.map((district) => ({ code: district.code, label: district.name }));
  const columns: ResponseColumn[] = [
    meta('row', () => null),
    meta('version', (row) => row.version),
    meta('mode', (row) => row.mode, [
      { code: 'online', label: messageInAllLocales('analysis.mode.online') },
      { code: 'interview', label: messageInAllLocales('analysis.mode.interview') },
    ]),
    meta('locale', (row) => row.locale),
    { ...meta('district', (row) => row.district, districtChoices), value: (row, labels) => coded(row.district, districtChoices, labels) },
    meta('channel', (row) => row.channel),
    meta('submitted_on', (row) => row.day),
  ];
  for (const question of context.questions) {
    // The response's district is a metadata column already (from the answer or the link).
    if (question.name === 'district' || CONTACT_DETAILS.test(question.name)) continue;
    columns.push(...questionColumns(context, question));
  }
  const groupLabels = new Map(context.targetGroups.map((group) => [group.code, group.label]));
  for (const code of targetGroupCodes) {
    columns.push({
      name: `target_group__${code}`,
      question: null,
      type: 'target_group',
      label: groupLabels.get(code) ?? { default: code },
      choices: label01(),
      versions: null,
      value: (row) => (row.targetGroups.includes(code) ? 1 : 0),
    });
  }
  return columns;
}
