import { surveyTextKey, type Locale } from '../../shared/locales.ts';
import { isTextMap } from './texts.ts';
import { wordsOf } from './easy-language.ts';

/**
 * How long an instrument takes, estimated from what a respondent reads and answers. This is a model,
 * not a measurement of people: a timed pilot with residents is what measures it. The model exists so
 * that the duration the welcome text promises is checked against the instrument as it grows.
 *
 * Reading: every title, description, choice, matrix row and column and scale label on the path, at
 * READING_WPM words a minute (average adult reading German about 180, IReST; 120 for less practised
 * or second-language readers; 80 for readers of Leichte Sprache). Answering: ANSWER_SECONDS per
 * question by type (a matrix per row). The shortest path skips every conditional question and
 * leaves open text empty; the longest shows every question and writes one minute of text per field.
 */
export const READING_WPM = { average: 180, slow: 120, easy: 80 } as const;
export const ANSWER_SECONDS: Record<string, number> = {
  radiogroup: 4,
  rating: 4,
  dropdown: 5,
  boolean: 3,
  checkbox: 8,
  matrixRow: 4,
  text: 10,
  comment: 60,
};

export interface PathLoad {
  questions: number;
  words: number;
  answerSeconds: number;
}

export interface CompletionEstimate {
  shortest: PathLoad;
  longest: PathLoad;
  /** Minutes: shortest path read at the average rate … longest path read slowly. */
  minutes: { low: number; high: number };
}

type Node = Record<string, unknown>;

/** The estimate for one locale (`de-x-easy` is read at the Leichte Sprache rate). */
export function estimateCompletion(definition: Node, locale: Locale): CompletionEstimate {
  const key = surveyTextKey(locale);
  const shortest: PathLoad = { questions: 0, words: 0, answerSeconds: 0 };
  const longest: PathLoad = { questions: 0, words: 0, answerSeconds: 0 };
  const textWords = (node: unknown): number => {
    if (isTextMap(node)) return wordsOf((node[key] ?? node.default ?? '').replace(/<[^>]*>/g, ' ')).length;
    if (typeof node === 'string') return wordsOf(node).length;
    return 0;
  };
  const listWords = (list: unknown): number =>
    Array.isArray(list) ? list.reduce<number>((sum, item) => sum + (isObject(item) ? textWords(item.text) : textWords(item)), 0) : 0;

  const surveyWords = textWords(definition.title) + textWords(definition.description);
  shortest.words += surveyWords;
  longest.words += surveyWords;

  const visit = (element: Node, conditional: boolean) => {
    const isConditional = conditional || typeof element.visibleIf === 'string';
    const nested = (element.elements ?? element.templateElements) as Node[] | undefined;
    const ownWords = textWords(element.title) + textWords(element.description);
    if (Array.isArray(nested)) {
      // A page or panel: its own texts are read once, its questions each.
      longest.words += ownWords;
      if (!isConditional) shortest.words += ownWords;
      for (const child of nested) visit(child, isConditional);
      return;
    }
    const type = String(element.type ?? '');
    if (type === 'html' || type === 'expression') return;
    const rows = Array.isArray(element.rows) ? element.rows.length : 0;
    const words =
      ownWords +
      listWords(element.choices) +
      listWords(element.rows) +
      listWords(element.columns) +
      textWords(element.minRateDescription) +
      textWords(element.maxRateDescription) +
      listWords(element.rateValues);
    const answer = type.startsWith('matrix') ? rows * ANSWER_SECONDS.matrixRow! : (ANSWER_SECONDS[type] ?? ANSWER_SECONDS.text!);
    longest.questions += 1;
    longest.words += words;
    longest.answerSeconds += answer;
    if (!isConditional) {
      shortest.questions += 1;
      shortest.words += words;
      // Open text is optional everywhere: the shortest path leaves it empty.
      shortest.answerSeconds += type === 'comment' ? 0 : answer;
    }
  };
  for (const page of (definition.pages as Node[] | undefined) ?? []) visit(page, false);

  const fast = locale === 'de-x-easy' ? READING_WPM.easy : READING_WPM.average;
  const slow = locale === 'de-x-easy' ? READING_WPM.easy : READING_WPM.slow;
  const minutesOf = (load: PathLoad, wpm: number) => load.words / wpm + load.answerSeconds / 60;
  return {
    shortest,
    longest,
    minutes: { low: Math.round(minutesOf(shortest, fast)), high: Math.round(minutesOf(longest, slow)) },
  };
}

/** "15 bis 20 Minuten", "15–20 Minuten", "etwa 15 Minuten" in the survey description of a German locale. */
export function statedMinutes(definition: Node, locale: Locale): { low: number; high: number } | null {
  const description = definition.description;
  const text = (isTextMap(description) ? description[surveyTextKey(locale)] : typeof description === 'string' ? description : '') ?? '';
  const range = /(\d+)\s*(?:bis|–|-)\s*(\d+)\s*Minuten/.exec(text);
  if (range) return { low: Number(range[1]), high: Number(range[2]) };
  const single = /(\d+)\s*Minuten/.exec(text);
  return single ? { low: Number(single[1]), high: Number(single[1]) } : null;
}

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
