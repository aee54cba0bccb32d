import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { messageResources } from '../i18n/messages.ts';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { getSuppressionThreshold } from '../settings/index.ts';
import { listTargetGroups, type TargetGroup } from '../target-groups/index.ts';
import { buildCountTable, buildNumberTable, tableFrame, type ItemTable, type TableFrame } from './aggregate-table.ts';
import { NO_DISTRICT, type Dimension } from './breakdown.ts';
import { questionsOf, type Choice, type DefaultChoiceLabels, type Question } from './questions.ts';
import * as repository from './repository.ts';
import type { DistrictRow } from './repository.ts';

/** Everything the exports of one survey need besides the counts: questions, districts, groups, k. */
export interface AnalysisContext {
  slug: string;
  kind: string;
  questions: Question[];
  districts: DistrictRow[];
  targetGroups: TargetGroup[];
  k: number;
  observed: { locales: string[]; targetGroups: string[]; districtless: boolean };
}

/** A server message in every locale, as a LocalisedText (German under `default`, like survey texts). */
export function messageInAllLocales(key: string): Record<string, string> {
  const text: Record<string, string> = {};
  for (const locale of SUPPORTED_LOCALES) {
    let node: unknown = messageResources[locale].translation;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node === 'string') text[locale === 'de' ? 'default' : locale] = node;
  }
  return text;
}

const defaultChoiceLabels = (): DefaultChoiceLabels => ({
  yes: messageInAllLocales('analysis.choice.yes'),
  no: messageInAllLocales('analysis.choice.no'),
  other: messageInAllLocales('analysis.choice.other'),
  none: messageInAllLocales('analysis.choice.none'),
  refused: messageInAllLocales('analysis.choice.refused'),
  dontKnow: messageInAllLocales('analysis.choice.dont_know'),
});

export async function loadAnalysisContext(db: Kysely<Database>, slug: string): Promise<AnalysisContext> {
  const survey = await repository.findSurveyWithVersions(db, slug);
  if (!survey) throw new ApiError(404, 'survey_not_found', { slug });
  const [districts, targetGroups, k, observed] = await Promise.all([
    repository.listDistrictsForAnalysis(db),
    listTargetGroups(db),
    getSuppressionThreshold(db),
    repository.observedValues(db, slug),
  ]);
  const questions = questionsOf(survey.versions, defaultChoiceLabels());
  return { slug, kind: survey.kind, questions, districts, targetGroups, k, observed };
}

/** The values of each dimension: every known one (zeros are published too) plus any the data holds. */
export function dimensionValues(context: AnalysisContext): Record<Dimension, string[]> {
  const union = (known: string[], seen: string[]) => [...known, ...seen.filter((value) => !known.includes(value)).sort()];
  return {
    district: [...context.districts.map((district) => district.code), ...(context.observed.districtless ? [NO_DISTRICT] : [])],
    target_group: union(
      context.targetGroups.map((group) => group.code),
      context.observed.targetGroups,
    ),
    mode: ['online', 'interview'],
    locale: union([...SUPPORTED_LOCALES], context.observed.locales),
  };
}

/** A question's choices as analysis shows them; district questions get the town's districts. */
export function choicesFor(context: AnalysisContext, question: Question): Choice[] {
  if (!question.districtChoices) return question.choices;
  return context.districts.map((district) => ({ code: district.code, label: district.name }));
}

export interface ItemPlan {
  key: string;
  question: Question;
  row: Choice | null;
  kind: 'single' | 'multiple' | 'number' | 'text';
  options: Choice[];
}

/** The tables a question gives: one, or one per matrix row. */
export function itemsOf(context: AnalysisContext, question: Question): ItemPlan[] {
  switch (question.type) {
    case 'single':
    case 'multiple':
      return [{ key: question.name, question, row: null, kind: question.type, options: choicesFor(context, question) }];
    case 'matrix':
      return question.rows.map((row) => ({ key: `${question.name}.${row.code}`, question, row, kind: 'single' as const, options: question.choices }));
    case 'number':
      return [{ key: question.name, question, row: null, kind: 'number', options: [] }];
    default:
      return [{ key: question.name, question, row: null, kind: 'text', options: [] }];
  }
}

export interface Aggregate {
  context: AnalysisContext;
  frame: TableFrame;
  items: ItemTable[];
}

/**
 * Counts in SQL, then suppression, for every question (or the one asked for) of a survey broken
 * down by `dims`. Nothing in the result is a count from 1 to k−1 or can be worked back to one.
 */
export async function computeAggregate(
  db: Kysely<Database>,
  context: AnalysisContext,
  dims: readonly Dimension[],
  options: { question?: string } = {},
): Promise<Aggregate> {
  let plans = context.questions.flatMap((question) => itemsOf(context, question));
  if (options.question !== undefined) {
    plans = plans.filter((plan) => plan.key === options.question || plan.question.name === options.question);
    if (plans.length === 0) throw new ApiError(404, 'question_not_found', { slug: context.slug, question: options.question });
  }
  const questions = [...new Map(plans.map((plan) => [plan.question.name, plan.question])).values()];
  const frame = tableFrame(dims, dimensionValues(context));
  const [countRows, numberRows] = await Promise.all([
    repository.countAnswers(db, context.slug, questions, dims),
    repository.summariseNumbers(
      db,
      context.slug,
      questions.filter((question) => question.type === 'number').map((question) => question.name),
      dims,
    ),
  ]);
  const countsByItem = new Map<string, repository.CategoricalRow[]>();
  for (const row of countRows) {
    const key = row.sub === null ? row.question : `${row.question}.${row.sub}`;
    let list = countsByItem.get(key);
    if (!list) countsByItem.set(key, (list = []));
    list.push(row);
  }
  const numbersByQuestion = new Map<string, repository.NumberRow[]>();
  for (const row of numberRows) {
    let list = numbersByQuestion.get(row.question);
    if (!list) numbersByQuestion.set(row.question, (list = []));
    list.push(row);
  }
  const items = plans.map((plan) =>
    plan.kind === 'number'
      ? buildNumberTable(frame, plan.question, numbersByQuestion.get(plan.question.name) ?? [], context.k)
      : buildCountTable(frame, { ...plan, kind: plan.kind }, countsByItem.get(plan.key) ?? [], context.k),
  );
  return { context, frame, items };
}

export type { Locale };
