import { z } from 'zod';
import type { Expect, SameType } from '../same-type.ts';
import type { DistrictInput, Population } from '../shared/districts.ts';
import { localisedNameSchema } from '../town/settings-schema.ts';
import { MARGIN_CATEGORIES } from '../shared/margin-codes.ts';

const count = z.number({ invalid_type_error: 'field_invalid' }).int('field_invalid').min(0, 'field_invalid').max(10_000_000, 'field_invalid');

/** `PUT /api/admin/districts/:code` (DESIGN.md's contract). */
export const districtInputSchema = z
  .object({
    name: localisedNameSchema,
    population: z
      .object({
        total: count,
        year: z.number().int('field_invalid').min(1900, 'field_invalid').max(2200, 'field_invalid').nullish(),
        source: z.string().trim().max(300, 'field_too_long').nullish(),
        byAgeBand: z.record(count).default({}),
        byGender: z.record(count).default({}),
      })
      .strict(),
  })
  .strict();

// The front end's DistrictInput is written out in shared/districts.ts: tsc fails here once the schema parses anything else.
type _SchemaMatchesSharedType = Expect<SameType<z.output<typeof districtInputSchema>, DistrictInput>>;

/** A rule the figures break, with the field it belongs to and the message's parameters. */
export interface PopulationProblem {
  field: string;
  code: string;
  params: Record<string, string | number>;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

/**
 * The rules population figures must keep, beyond their form: categories are the baseline's answer
 * codes (or the weighting could not match them to answers), both margins describe the same
 * residents aged 16 and over (equal sums), and neither exceeds the district's total population.
 */
export function checkPopulation(population: Population): PopulationProblem[] {
  const problems: PopulationProblem[] = [];
  const margins = { age_band: population.byAgeBand, gender: population.byGender } as const;
  const fieldOf = { age_band: 'population.byAgeBand', gender: 'population.byGender' } as const;
  for (const dimension of ['age_band', 'gender'] as const) {
    const allowed = MARGIN_CATEGORIES[dimension];
    for (const category of Object.keys(margins[dimension])) {
      if (!allowed.includes(category)) {
        problems.push({ field: `${fieldOf[dimension]}.${category}`, code: 'margin_unknown_category', params: { category, allowed: allowed.join(', ') } });
      }
    }
    const total = sum(margins[dimension]);
    if (total > population.total) {
      problems.push({ field: fieldOf[dimension], code: 'margin_exceeds_total', params: { sum: total, total: population.total } });
    }
  }
  const ageSum = sum(population.byAgeBand);
  const genderSum = sum(population.byGender);
  if (Object.keys(population.byAgeBand).length > 0 && Object.keys(population.byGender).length > 0 && ageSum !== genderSum) {
    problems.push({ field: 'population', code: 'margin_sums_differ', params: { ageSum, genderSum } });
  }
  return problems;
}
