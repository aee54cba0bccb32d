import fs from 'node:fs';
import path from 'node:path';
import { ExpressionRunner } from 'survey-core';
import { REAL_SURVEYS_DIR } from '../../support/test-platform.ts';

/**
 * Valid answers to an instrument (the resident baseline questionnaire above all), built from its
 * definition: every question
 * that is visible given the answers before it gets a value from its own choices, scale or range.
 * A seeded generator, so a failing run can be repeated.
 */

interface Element {
  type: string;
  name: string;
  visibleIf?: string;
  isRequired?: boolean;
  choices?: (string | number | { value: string | number })[];
  rateValues?: (number | { value: number })[];
  rateMin?: number;
  rateMax?: number;
  rows?: (string | { value: string })[];
  columns?: (string | number | { value: string | number })[];
  inputType?: string;
  min?: number;
  max?: number;
  elements?: Element[];
}

interface Definition {
  pages: { elements: Element[]; visibleIf?: string }[];
}

export const BASELINE_SLUG = 'resident-baseline';
export const INTERVIEW_GUIDE_SLUG = 'interview-guide';

export function instrumentFile(slug: string): string {
  return path.join(REAL_SURVEYS_DIR, `${slug}.json`);
}

export function readDefinition(slug: string): Definition {
  return (JSON.parse(fs.readFileSync(instrumentFile(slug), 'utf8')) as { definition: Definition }).definition;
}

export function readBaselineDefinition(): Definition {
  return readDefinition(BASELINE_SLUG);
}

/** Mulberry32: small, fast, good enough to vary test data reproducibly. */
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

const valueOf = (item: string | number | { value: string | number }) => (typeof item === 'object' ? item.value : item);

function isVisible(element: { visibleIf?: string }, answers: Record<string, unknown>): boolean {
  if (!element.visibleIf) return true;
  const runner = new ExpressionRunner(element.visibleIf);
  return runner.canRun() ? Boolean(runner.runValues(answers)) : true;
}

export interface AnswerOptions {
  districtCodes: readonly string[];
  random: () => number;
  /** Free text for comment questions (planted values for log checks, or payloads). */
  freeText?: (name: string) => string;
  /** Share of optional questions left unanswered (0..1). */
  skipShare?: number;
}

export function baselineAnswers(definition: Definition, options: AnswerOptions): Record<string, unknown> {
  const { random } = options;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const answers: Record<string, unknown> = {};
  const fill = (elements: Element[]) => {
    for (const element of elements) {
      if (!isVisible(element, answers)) continue;
      if (element.type === 'panel' && element.elements) {
        fill(element.elements);
        continue;
      }
      if (!element.isRequired && random() < (options.skipShare ?? 0.1)) continue;
      const value = answerFor(element, options, pick, random);
      if (value !== undefined) answers[element.name] = value;
    }
  };
  for (const page of definition.pages) if (isVisible(page, answers)) fill(page.elements);
  return answers;
}

function answerFor(
  element: Element,
  options: AnswerOptions,
  pick: <T>(items: readonly T[]) => T,
  random: () => number,
): unknown {
  switch (element.type) {
    case 'dropdown':
    case 'radiogroup': {
      const choices = element.name === 'district' ? [...options.districtCodes] : (element.choices ?? []).map(valueOf);
      // An empty choice list is filled by the app at run time (districts); nothing to pick from here.
      return choices.length > 0 ? pick(choices) : undefined;
    }
    case 'checkbox': {
      const choices = element.name === 'districts_active' ? [...options.districtCodes] : (element.choices ?? []).map(valueOf);
      if (choices.length === 0) return undefined;
      const chosen = choices.filter(() => random() < 0.25);
      return chosen.length > 0 ? chosen : [pick(choices)];
    }
    case 'rating': {
      const values = element.rateValues?.map((item) => (typeof item === 'object' ? item.value : item));
      if (values && values.length > 0) return pick(values);
      const min = element.rateMin ?? 1;
      const max = element.rateMax ?? 5;
      return min + Math.floor(random() * (max - min + 1));
    }
    case 'matrix': {
      const columns = (element.columns ?? []).map(valueOf);
      const rows = (element.rows ?? []).map((row) => (typeof row === 'object' ? row.value : row));
      return Object.fromEntries(rows.map((row) => [row, pick(columns)]));
    }
    case 'text':
      if (element.inputType === 'number') {
        const min = element.min ?? 0;
        const max = element.max ?? 100;
        return min + Math.floor(random() * (max - min + 1));
      }
      return options.freeText?.(element.name) ?? `Antwort ${Math.floor(random() * 1e6)}`;
    case 'comment':
      return options.freeText?.(element.name) ?? `Mehr Begegnung im Quartier, Idee Nr. ${Math.floor(random() * 1e6)} – ÄÖÜ ß`;
    default:
      return undefined;
  }
}
