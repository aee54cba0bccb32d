import type { Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { DEFAULT_RAKE_OPTIONS, type RakeOutcome, type WeightingNote, type WeightingProblem } from './rake.ts';

const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** Each problem or note with its message in the requester's language (`weighting.problem.*`, `weighting.note.*`). */
function explained<T extends WeightingProblem | WeightingNote>(kind: 'problem' | 'note', entries: readonly T[], locale: Locale) {
  const t = messageFor(locale);
  return entries.map((entry) => {
    const params = 'share' in entry ? { ...entry, percent: (entry.share * 100).toFixed(1) } : entry;
    return { ...entry, message: t(`weighting.${kind}.${entry.code}`, params as Record<string, unknown>) };
  });
}

/** GET /api/analysis/:slug/weights: the raking report, or why there are no weights. */
export function weightingReport(slug: string, outcome: RakeOutcome, locale: Locale) {
  const options = { maxIterations: DEFAULT_RAKE_OPTIONS.maxIterations, tolerance: DEFAULT_RAKE_OPTIONS.tolerance };
  if (!outcome.ok) {
    return { slug, status: 'unavailable' as const, options, problems: explained('problem', outcome.problems, locale), notes: explained('note', outcome.notes, locale) };
  }
  const result = outcome.result;
  return {
    slug,
    status: 'ok' as const,
    options,
    problems: [],
    notes: explained('note', result.notes, locale),
    n: result.n,
    populationTotal: result.populationTotal,
    iterations: result.iterations,
    converged: result.converged,
    largestDeviation: result.largestDeviation,
    trimming: result.trimming,
    weights: result.n > 0 ? result.weights : null,
    designEffect: finite(result.designEffect),
    effectiveN: finite(result.effectiveN),
  };
}
