import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listPopulationMargins } from '../districts/index.ts';
import { WEIGHTING_DIMENSIONS } from '../weighting/rake.ts';
import { ALL } from './breakdown.ts';
import type { AnalysisLabels } from './labels.ts';
import { computeAggregate, type AnalysisContext } from './service.ts';

/**
 * The dashboard's representativeness panel: per district (and the town), the sample's distribution by
 * age band and by gender beside the population's. The sample side is the `age_band` / `gender`
 * question's ordinary aggregate by district, so its counts are published exactly like every other
 * table's (cell key method; shares null where withheld); the population side is the margins the weighting rakes to.
 * Districts and categories carry their labels in the requester's language beside the codes.
 */
export async function computeRepresentativeness(db: Kysely<Database>, context: AnalysisContext, labels: AnalysisLabels) {
  const margins = await listPopulationMargins(db);
  const dimensions = [];
  for (const dimension of WEIGHTING_DIMENSIONS) {
    if (!context.questions.some((question) => question.name === dimension)) continue;
    const aggregate = await computeAggregate(db, context, ['district'], { question: dimension });
    const item = aggregate.items[0]!;
    const groups = aggregate.frame.groups.map((group, g) => {
      const district = group.district === ALL ? null : group.district!;
      const population = margins.filter((m) => m.dimension === dimension && (district === null || m.district === district));
      const populationTotal = population.reduce((total, m) => total + m.count, 0);
      return {
        district,
        districtLabel: labels.group(aggregate.frame.dims, group),
        base: item.base[g]!,
        populationTotal,
        categories: item.options.map((option, o) => {
          const count = population.filter((m) => m.category === option.code).reduce((total, m) => total + m.count, 0);
          const hasMargin = population.some((m) => m.category === option.code);
          return {
            category: option.code,
            label: labels.option(option),
            sample: item.counts[o]![g]!,
            sampleShare: item.shares[o]![g] ?? null,
            population: hasMargin ? count : null,
            populationShare: hasMargin && populationTotal > 0 ? count / populationTotal : null,
          };
        }),
      };
    });
    dimensions.push({ dimension, groups });
  }
  return { slug: context.slug, k: context.k, dimensions };
}
