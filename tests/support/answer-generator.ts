import { Model, type ItemValue, type Question, type QuestionMatrixModel, type QuestionRatingModel, type QuestionSelectBase, type QuestionTextModel } from 'survey-core';

export interface GeneratorOptions {
  /** The town's district codes, filled into district questions as the app does. */
  districtCodes: readonly string[];
  /** A random source in [0, 1); pass a seeded one for reproducible answers. */
  random: () => number;
  /** How often an optional visible question is left out. */
  skipOptional?: number;
}

/** A small seeded random source (mulberry32), so generated answers are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Answers a questionnaire the way a respondent could: page by page, only visible questions, values
 * from the offered choices and ranges, required questions always answered. For load tests and for
 * testing that real instruments accept real answers; it knows nothing about any one instrument.
 * Covers the question types the instruments use (choices, ratings, text, numbers, comments,
 * booleans, single-choice matrices).
 */
export function generateAnswers(definition: Record<string, unknown>, options: GeneratorOptions): Record<string, unknown> {
  const model = new Model(definition);
  for (const question of model.getAllQuestions()) {
    if ((question.name === 'district' || question.name === 'districts_active') && 'choices' in question) {
      (question as QuestionSelectBase).choices = [...options.districtCodes];
    }
  }
  const data: Record<string, unknown> = {};
  const pick = <T>(items: readonly T[]): T => items[Math.floor(options.random() * items.length)]!;
  for (const page of model.pages) {
    // Two rounds: a question on this page may only become visible through an answer on it.
    for (let round = 0; round < 2; round++) {
      model.data = data;
      if (!page.isVisible) break;
      for (const question of page.questions) {
        const name = question.getValueName();
        if (name in data || !question.isVisible || !question.isParentVisible) continue;
        if (!question.isRequired && options.random() < (options.skipOptional ?? 0.15)) continue;
        const value = valueFor(question, options.random, pick);
        if (value !== undefined) data[name] = value;
      }
    }
  }
  return data;
}

function regularChoices(question: QuestionSelectBase): unknown[] {
  const special = new Set(
    [question.otherItem, question.noneItem, (question as unknown as { refuseItem?: ItemValue }).refuseItem, (question as unknown as { dontKnowItem?: ItemValue }).dontKnowItem]
      .filter((item): item is ItemValue => item !== undefined)
      .map((item) => item.value),
  );
  return question.visibleChoices.map((choice) => choice.value).filter((value) => !special.has(value));
}

function valueFor(question: Question, random: () => number, pick: <T>(items: readonly T[]) => T): unknown {
  switch (question.getType()) {
    case 'radiogroup':
    case 'dropdown': {
      const choices = regularChoices(question as QuestionSelectBase);
      return choices.length > 0 ? pick(choices) : undefined;
    }
    case 'checkbox':
    case 'tagbox': {
      const choices = regularChoices(question as QuestionSelectBase);
      const max = Math.min(choices.length, (question as unknown as { maxSelectedChoices: number }).maxSelectedChoices || 3, 3);
      const count = 1 + Math.floor(random() * Math.max(1, max));
      return [...new Set(Array.from({ length: count }, () => pick(choices)))];
    }
    case 'rating':
      return pick((question as QuestionRatingModel).visibleRateValues.map((item) => item.value));
    case 'boolean':
      return random() < 0.5;
    case 'text': {
      const text = question as QuestionTextModel;
      if (text.inputType === 'number' || text.inputType === 'range') {
        const min = Number(text.min ?? 0) || 0;
        const max = Number(text.max ?? 100) || 100;
        return min + Math.floor(random() * (max - min + 1));
      }
      return 'Antwort';
    }
    case 'comment':
      return pick(['Mehr Treffpunkte im Ortsteil.', 'Ein Sprachcafé am Abend wäre gut.', 'Bessere Busverbindungen.']);
    case 'matrix': {
      const matrix = question as QuestionMatrixModel;
      const columns = matrix.visibleColumns.map((column: ItemValue) => column.value);
      return Object.fromEntries(matrix.visibleRows.filter(() => random() < 0.8).map((row) => [row.name, pick(columns)]));
    }
    default:
      return undefined;
  }
}
