import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { ALL } from '../analysis/breakdown.ts';
import { analysisLabels } from '../analysis/labels.ts';
import type { Aggregate } from '../analysis/service.ts';
import type { WeightedEstimates } from '../analysis/weighted-aggregate.ts';
import type { SnapshotContent, SnapshotItem, StaffText, TextInLocales } from '../shared/results.ts';

export type { SnapshotContent, SnapshotItem, SnapshotOption, StaffText, TextInLocales } from '../shared/results.ts';

const inAllLocales = (label: (locale: Locale) => string): TextInLocales =>
  Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, label(locale)])) as TextInLocales;

/** Freezes a published aggregate (and its weighted estimates) with labels in every locale. */
export function snapshotContent(
  aggregate: Aggregate,
  options: { title: TextInLocales; texts: Record<string, StaffText>; weighted?: WeightedEstimates },
): SnapshotContent {
  const labels = new Map(SUPPORTED_LOCALES.map((locale) => [locale, analysisLabels(aggregate.context, locale)]));
  const label = (of: (l: ReturnType<typeof analysisLabels>) => string) => inAllLocales((locale) => of(labels.get(locale)!));
  const { frame } = aggregate;
  return {
    slug: aggregate.context.slug,
    title: options.title,
    k: aggregate.context.k,
    by: [...frame.dims],
    weighted: options.weighted !== undefined,
    groups: frame.groups.map((group) => ({
      key: Object.fromEntries(frame.dims.map((dim) => [dim, group[dim] === ALL ? null : group[dim]!])),
      label: label((l) => l.group(frame.dims, group)),
    })),
    items: aggregate.items
      .filter((item) => item.kind === 'single' || item.kind === 'multiple')
      .map((item) => ({
        key: item.key,
        kind: item.kind as 'single' | 'multiple',
        label: label((l) => l.question(item)),
        text: options.texts[item.key] ?? options.texts[item.question.name]!,
        base: item.base,
        options: item.options.map((option, o) => ({
          code: option.code,
          label: label((l) => l.option(option)),
          counts: item.counts[o]!,
          shares: item.shares[o]!,
          ...(options.weighted
            ? {
                weighted: (options.weighted.get(item.key)?.[o] ?? frame.groups.map(() => null)).map(
                  (estimate) => estimate && { share: estimate.share, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh, nEffective: estimate.nEffective },
                ),
              }
            : {}),
        })),
      })),
  };
}

/** True when a table would show residents nothing but "too few answers to show". */
export function showsNothing(item: SnapshotItem): boolean {
  return item.options.every((option) => option.shares.every((share) => share === null));
}
