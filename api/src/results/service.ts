import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { messageFor } from '../i18n/messages.ts';
import type { Dimension } from '../analysis/breakdown.ts';
import { findSurveyWithVersions } from '../analysis/repository.ts';
import { textIn } from '../analysis/questions.ts';
import { computeAggregate, itemsOf, loadAnalysisContext } from '../analysis/service.ts';
import { weightedEstimates } from '../analysis/weighted-aggregate.ts';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { requireWeights } from '../weighting/service.ts';
import * as repository from './repository.ts';
import { showsNothing, snapshotContent, type StaffText, type TextInLocales } from './snapshot-content.ts';

export interface SnapshotRequest {
  /** Question names (or matrix row keys `question.row`) to publish. */
  questions: string[];
  /** Breakdown of the published tables: none (the whole town) or by district. */
  by: Dimension[];
  weighted: boolean;
  texts: Record<string, StaffText>;
}

/**
 * Freezes the published tables of the chosen questions as a draft snapshot. The numbers are the
 * ones analysis publishes (cell key method, optionally raked); a question with nothing to show, a
 * free-text or number question, or one without its German text is refused, naming each.
 */
export async function createSnapshot(db: Kysely<Database>, slug: string, request: SnapshotRequest, actor: { id: string }, locale: Locale) {
  const context = await loadAnalysisContext(db, slug);
  const t = messageFor(locale);
  const plans = context.questions.flatMap((question) => itemsOf(context, question));
  const problems: { question: string; message: string }[] = [];
  for (const name of request.questions) {
    const chosen = plans.filter((plan) => plan.key === name || plan.question.name === name);
    if (chosen.length === 0) problems.push({ question: name, message: t('errors.question_not_found', { slug, question: name }) });
    else if (chosen.some((plan) => plan.kind !== 'single' && plan.kind !== 'multiple')) problems.push({ question: name, message: t('results.errors.not_publishable') });
    else if (!request.texts[name]?.de?.trim()) problems.push({ question: name, message: t('results.errors.text_required') });
  }
  if (problems.length > 0) throw new ApiError(422, 'snapshot_invalid', {}, { errors: problems });

  const aggregate = await computeAggregate(db, context, request.by);
  const wanted = new Set(request.questions);
  aggregate.items = aggregate.items.filter((item) => wanted.has(item.key) || wanted.has(item.question.name));
  const weighted = request.weighted ? await weightedEstimates(db, aggregate, await requireWeights(db, slug)) : undefined;
  const survey = await findSurveyWithVersions(db, slug);
  const definition = survey!.versions.at(-1)!.definition as { title?: Record<string, string> | string };
  const titleText = typeof definition.title === 'string' ? { default: definition.title } : (definition.title ?? { default: slug });
  const title = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, textIn(titleText, l) || slug])) as TextInLocales;
  const content = snapshotContent(aggregate, { title, texts: request.texts, weighted });

  const empty = content.items.filter(showsNothing);
  if (empty.length > 0) {
    throw new ApiError(422, 'snapshot_invalid', {}, { errors: empty.map((item) => ({ question: item.key, message: t('results.errors.only_suppressed') })) });
  }
  const id = randomUUID();
  await repository.insertSnapshot(db, { id, surveySlug: slug, weighted: request.weighted, content, createdBy: actor.id });
  await recordAudit(db, {
    actorId: actor.id,
    action: 'results.snapshot_create',
    target: slug,
    details: { snapshot: id, questions: content.items.map((item) => item.key), by: request.by, weighted: request.weighted, k: context.k },
  });
  return { id, status: 'draft' as const, content };
}

export async function publishSnapshot(db: Kysely<Database>, slug: string, id: string, actor: { id: string }, now: Date) {
  const snapshot = await repository.findSnapshot(db, slug, id);
  if (!snapshot) throw new ApiError(404, 'snapshot_not_found', { id });
  if (snapshot.status === 'published') throw new ApiError(409, 'snapshot_published', { id });
  if (!(await repository.markPublished(db, id, actor.id, now))) throw new ApiError(409, 'snapshot_published', { id });
  await recordAudit(db, { actorId: actor.id, action: 'results.snapshot_publish', target: slug, details: { snapshot: id } });
  return { id, status: 'published' as const, publishedAt: now.toISOString() };
}

export async function discardSnapshot(db: Kysely<Database>, slug: string, id: string, actor: { id: string }) {
  const snapshot = await repository.findSnapshot(db, slug, id);
  if (!snapshot) throw new ApiError(404, 'snapshot_not_found', { id });
  if (snapshot.status === 'published' || !(await repository.deleteDraft(db, id))) throw new ApiError(409, 'snapshot_published', { id });
  await recordAudit(db, { actorId: actor.id, action: 'results.snapshot_discard', target: slug, details: { snapshot: id } });
}

/** The published snapshot residents see: the newest, or an earlier one by id. */
export async function publishedSnapshot(db: Kysely<Database>, slug: string, id?: string) {
  const published = await repository.listSnapshots(db, slug, { publishedOnly: true });
  const shown = id === undefined ? published[0] : published.find((snapshot) => snapshot.id === id);
  if (!shown) throw new ApiError(404, 'results_not_found', { slug });
  return { shown, earlier: published.filter((snapshot) => snapshot.id !== shown.id) };
}
