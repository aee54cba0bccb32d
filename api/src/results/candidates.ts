import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Dimension } from '../analysis/breakdown.ts';
import { analysisLabels } from '../analysis/labels.ts';
import { findSurveyWithVersions } from '../analysis/repository.ts';
import { textIn, toLocalisedText } from '../analysis/questions.ts';
import { computeAggregate, loadAnalysisContext } from '../analysis/service.ts';
import { messageFor } from '../i18n/messages.ts';
import type { Locale } from '../shared/locales.ts';
import type { CandidateItem, CandidateSection } from '../shared/results.ts';

export type { CandidateItem, CandidateSection } from '../shared/results.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The question names on each page of a definition (panels opened), in page order. */
function pagesOf(definition: unknown): { name: string; title: unknown; questions: Set<string> }[] {
  if (!isObject(definition) || !Array.isArray(definition.pages)) return [];
  const names = (elements: unknown, into: Set<string>) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements) {
      if (!isObject(element)) continue;
      if (Array.isArray(element.elements)) names(element.elements, into);
      if (typeof element.name === 'string') into.add(element.name);
    }
  };
  return definition.pages.filter(isObject).map((page, index) => {
    const questions = new Set<string>();
    names(page.elements, questions);
    return { name: typeof page.name === 'string' ? page.name : `page${index + 1}`, title: page.title, questions };
  });
}

/**
 * What the admin can choose from when making a snapshot: the survey's tables by section (the pages
 * of the newest version), each with the reason it cannot be published, if any — free text and
 * numbers never are; a table whose every cell would read "too few answers to show" (under the
 * breakdown asked for, decided on the published unweighted counts like the snapshot itself) is not
 * either. Computed like the snapshot (computeAggregate), so the admin learns it before writing texts.
 */
export async function snapshotCandidates(db: Kysely<Database>, slug: string, by: Dimension[], locale: Locale): Promise<{ slug: string; k: number; sections: CandidateSection[] }> {
  const context = await loadAnalysisContext(db, slug);
  const t = messageFor(locale);
  const labels = analysisLabels(context, locale);
  const aggregate = await computeAggregate(db, context, by);
  const items: CandidateItem[] = aggregate.items.map((item) => {
    const publishable = item.kind === 'single' || item.kind === 'multiple';
    const empty = publishable && item.shares.every((row) => row.every((share) => share === null));
    return {
      key: item.key,
      question: item.question.name,
      label: labels.question(item),
      kind: item.kind === 'single' || item.kind === 'multiple' || item.kind === 'number' ? item.kind : 'text',
      problem: !publishable
        ? { code: 'not_publishable', message: t('results.errors.not_publishable') }
        : empty
          ? { code: 'only_suppressed', message: t('results.errors.only_suppressed') }
          : null,
    };
  });
  const survey = await findSurveyWithVersions(db, slug);
  const newest = survey!.versions.reduce((a, b) => (b.version > a.version ? b : a));
  const placed = new Set<string>();
  const sections: CandidateSection[] = pagesOf(newest.definition).map((page) => {
    const own = items.filter((item) => page.questions.has(item.question) && !placed.has(item.key));
    for (const item of own) placed.add(item.key);
    return { name: page.name, title: textIn(toLocalisedText(page.title, page.name), locale) || page.name, items: own };
  });
  const rest = items.filter((item) => !placed.has(item.key));
  if (rest.length > 0) sections.push({ name: null, title: null, items: rest });
  return { slug, k: context.k, sections: sections.filter((section) => section.items.length > 0) };
}
