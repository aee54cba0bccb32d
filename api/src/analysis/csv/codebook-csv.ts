import type { Locale } from '../../shared/locales.ts';
import { textIn } from '../questions.ts';
import { messageInAllLocales } from '../service.ts';
import type { CsvValue } from './csv-writer.ts';
import type { ResponseColumn } from './response-columns.ts';
import { WITHHELD } from '../deidentify/k-anonymity.ts';

export const CODEBOOK_COLUMNS = ['column', 'question', 'type', 'label', 'choices', 'versions', 'changed_in', 'short_name', 'shown_if', 'rule', 'missing'] as const;

/** Stata allows 32 characters, letters, digits and `_`, not starting with a digit; SPSS 64. */
const STATA_NAME_LENGTH = 32;

/** Per column a name Stata and SPSS accept, unique in the file: the column name where it is one, else shortened with a hash. */
export function shortNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let short = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(short)) short = `v_${short}`;
    if (short.length > STATA_NAME_LENGTH || used.has(short)) {
      let hash = 0;
      for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
      short = `${short.slice(0, STATA_NAME_LENGTH - 6)}_${hash.toString(36).padStart(5, '0').slice(-5)}`;
    }
    for (let n = 2; used.has(short); n += 1) short = `${short.slice(0, STATA_NAME_LENGTH - 3)}_${n}`;
    used.add(short);
    return short;
  });
}

function missingCoding(column: ResponseColumn, locale: Locale): string | null {
  const text = (key: string) => textIn(messageInAllLocales(`analysis.missing.${key}`), locale);
  const parts: string[] = [];
  if (column.name === 'district') parts.push(text('district'));
  else if (column.type === 'option') parts.push(text('option'));
  else if (column.question !== null) parts.push(text('answer'));
  if (column.choices.some((choice) => choice.code === WITHHELD)) parts.push(text('withheld'));
  return parts.join('; ') || null;
}

/**
 * One record per column of responses.csv: what it holds, its codes with labels, the versions it
 * exists in, a name for Stata, when its question is shown, a target group's rule, and what an empty
 * cell means. `changedIn`: per question, the versions whose wording or choices differ from the
 * version before. Labels are unique: where two columns would read the same (the nine fields of
 * action ask the same question), the column name is added.
 */
export function codebookRecords(columns: readonly ResponseColumn[], locale: Locale, changedIn: ReadonlyMap<string, number[]> = new Map()): CsvValue[][] {
  const labels = columns.map((column) => textIn(column.label, locale));
  const seen = new Map<string, number>();
  for (const label of labels) seen.set(label, (seen.get(label) ?? 0) + 1);
  const short = shortNames(columns.map((column) => column.name));
  return columns.map((column, index) => [
    column.name,
    column.question,
    column.type,
    seen.get(labels[index]!)! > 1 ? `${labels[index]} (${column.name})` : labels[index],
    column.choices.map((choice) => `${choice.code} = ${textIn(choice.label, locale)}`).join(' | ') || null,
    column.versions ? column.versions.join(', ') : null,
    column.question ? changedIn.get(column.question)?.join(', ') ?? null : null,
    short[index],
    column.shownIf ?? null,
    column.rule ?? null,
    missingCoding(column, locale),
  ]);
}
