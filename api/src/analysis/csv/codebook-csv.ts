import type { Locale } from '../../shared/locales.ts';
import { textIn } from '../questions.ts';
import type { CsvValue } from './csv-writer.ts';
import type { ResponseColumn } from './response-columns.ts';

export const CODEBOOK_COLUMNS = ['column', 'question', 'type', 'label', 'choices', 'versions', 'changed_in'] as const;

/** One record per column of responses.csv: what it holds, its codes with labels, the versions it exists in. */
/** `changedIn`: per question, the versions whose wording or choices differ from the version before. */
export function codebookRecords(columns: readonly ResponseColumn[], locale: Locale, changedIn: ReadonlyMap<string, number[]> = new Map()): CsvValue[][] {
  return columns.map((column) => [
    column.name,
    column.question,
    column.type,
    textIn(column.label, locale),
    column.choices.map((choice) => `${choice.code} = ${textIn(choice.label, locale)}`).join(' | ') || null,
    column.versions ? column.versions.join(', ') : null,
    column.question ? changedIn.get(column.question)?.join(', ') ?? null : null,
  ]);
}
