import type { LocalisedText } from '../../db/schema.ts';
import { responseColumns } from '../csv/response-columns.ts';
import { textIn } from '../questions.ts';
import type { AnalysisContext } from '../service.ts';
import type { FreeTextKind } from '../../shared/analysis.ts';

export interface FreeTextQuestion {
  /** The answer key the text is stored under (`<question>-Comment` for "Other"). */
  key: string;
  kind: FreeTextKind;
  label: LocalisedText;
  /** For "Other": the question's own label, shown before the column's. */
  questionLabel: LocalisedText | null;
}

/**
 * The interview guide's notes sections (`notes_context`, `notes_missing`, …): what the interviewer
 * wrote down, shown with the interview's pin-board photos.
 */
const isInterviewerNote = (context: AnalysisContext, key: string) => context.kind === 'interview' && key.startsWith('notes_');

/**
 * The free-text questions of a survey: the columns the de-identified export leaves out unless
 * `text=include` is chosen (text and "Other" text; JSON answers are not readable text), in
 * questionnaire order.
 */
export function freeTextQuestions(context: AnalysisContext): FreeTextQuestion[] {
  const labelOf = new Map(context.questions.map((question) => [question.name, question.label]));
  return responseColumns(context, [])
    .filter((column) => column.type === 'text' || column.type === 'other_text')
    .map((column) => {
      const key = column.source.kind === 'text' ? column.source.key : column.name;
      if (column.type === 'other_text') return { key, kind: 'other' as const, label: column.label, questionLabel: labelOf.get(column.question ?? '') ?? null };
      return { key, kind: isInterviewerNote(context, key) ? ('note' as const) : ('answer' as const), label: column.label, questionLabel: null };
    });
}

/** The question's label in a locale ("Which offers …? – Text for “Other”" for an "Other" text). */
export function freeTextLabel(question: FreeTextQuestion, locale: string): string {
  const own = textIn(question.label, locale);
  return question.questionLabel ? `${textIn(question.questionLabel, locale)} – ${own}` : own;
}
