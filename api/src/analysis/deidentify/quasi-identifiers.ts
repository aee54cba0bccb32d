import type { LocalisedText } from '../../db/schema.ts';
import type { Choice } from '../questions.ts';

/**
 * The quasi-identifiers of the de-identified raw export: what someone who knows a respondent
 * (a neighbour, a colleague, the interviewer) can know about them without seeing their answers,
 * and so could use to find their row. The review found 29.9 % of respondents unique on district +
 * age band + gender + exact years in town, 90 % on all demographics. Everything here is released
 * coarsened and, where a combination has fewer than k respondents, withheld (k-anonymity.ts).
 * Every target-group column is one too: a rule can name any of these answers.
 *
 * In the order they are withheld, after the target groups: the month and the channel first, the
 * district last (the comparison of districts is what the baseline analysis is for). Answers an
 * instrument does not ask are skipped.
 */
export const WITHHOLDING_ORDER: readonly { name: string; from: 'meta' | 'answer' }[] = [
  { name: 'submitted_month', from: 'meta' },
  { name: 'channel', from: 'meta' },
  { name: 'mode', from: 'meta' },
  { name: 'languages_home', from: 'answer' },
  { name: 'conversation_language', from: 'answer' },
  { name: 'impairment', from: 'answer' },
  { name: 'refugee_experience', from: 'answer' },
  { name: 'employment', from: 'answer' },
  { name: 'migration_history', from: 'answer' },
  { name: 'children', from: 'answer' },
  { name: 'years_in_town', from: 'answer' },
  { name: 'age', from: 'answer' },
  { name: 'function', from: 'answer' },
  { name: 'locale', from: 'meta' },
  { name: 'gender', from: 'answer' },
  { name: 'age_band', from: 'answer' },
  { name: 'district', from: 'meta' },
];

/** A number kept only as the band it falls into; bands start at these bounds (inclusive). */
export interface Banding {
  bounds: readonly number[];
}

/**
 * Numbers that are quasi-identifiers, coarsened to bands. Age uses the bands of the baseline's
 * `age_band` question, so the two agree; years in town is cut at 3 (the rule of *new residents*),
 * 10 and 20.
 */
export const BANDED_NUMBERS: Record<string, Banding> = {
  age: { bounds: [21, 30, 45, 65, 75] },
  years_in_town: { bounds: [3, 10, 20] },
};

/** The band code of a number: `3-10` is from 3 to under 10, `20+` is 20 or more, `0-3` below 3. */
export function bandOf(value: number, banding: Banding): string {
  const { bounds } = banding;
  let lower = 0;
  for (const bound of bounds) {
    if (value < bound) return `${lower}-${bound}`;
    lower = bound;
  }
  return `${lower}+`;
}

/** Every band of a banding, with its label in the analysts' languages (from … to under …). */
export function bandChoices(banding: Banding): Choice[] {
  const choices: Choice[] = [];
  let lower = 0;
  const label = (de: string, en: string): LocalisedText => ({ default: de, en });
  for (const bound of banding.bounds) {
    choices.push({ code: `${lower}-${bound}`, label: label(`${lower} bis unter ${bound}`, `${lower} to under ${bound}`) });
    lower = bound;
  }
  choices.push({ code: `${lower}+`, label: label(`${lower} und mehr`, `${lower} or more`) });
  return choices;
}

/** The released value of an answer: a single code as text, a multiple choice as its sorted codes joined by `+`. */
export function answerValue(value: unknown, banding?: Banding): string | null {
  if (value === undefined || value === null) return null;
  if (banding) {
    const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isFinite(number) ? bandOf(number, banding) : null;
  }
  if (Array.isArray(value)) return value.map(String).sort().join('+');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
