import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { PublishedCount as Count, ReturnsReport } from '../shared/analysis.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { ALL, NO_DISTRICT } from './breakdown.ts';
import type { AnalysisLabels } from './labels.ts';
import { countReturns } from './repository.ts';
import type { AnalysisContext } from './service.ts';
import { publishCount, showsStatistics } from './disclosure/cell-key.ts';

/**
 * Returns per district and day, mode and language, against a target per district. Every count is
 * published through the same cell key method as the exports (the same respondents give the same
 * number here as in aggregate.csv): the field team sees progress, not the two people who answered in
 * Farsi in Worfelden on Tuesday.
 */
export async function computeReturns(
  db: Kysely<Database>,
  context: AnalysisContext,
  labels: AnalysisLabels,
  options: { target?: number } = {},
): Promise<ReturnsReport> {
  const rows = await countReturns(db, context.slug);
  const districts = [...context.districts.map((district) => district.code), ...(context.observed.districtless ? [NO_DISTRICT] : [])];
  const days = [...new Set(rows.map((row) => row.day).filter((day) => day !== ALL))].sort();
  const modes = ['online', 'interview'];
  const locales = [...SUPPORTED_LOCALES, ...context.observed.locales.filter((locale) => !(SUPPORTED_LOCALES as readonly string[]).includes(locale))];

  // Cells: key = district|day|mode|locale, ALL where summed over; each with its count and cell key.
  const cells = new Map<string, { n: number; keySum: number }>();
  for (const row of rows) cells.set(`${row.district}|${row.day}|${row.mode}|${row.locale}`, { n: row.n, keySum: row.key_sum });
  const published = (district: string, day: string, mode: string, locale: string): Count => {
    const found = cells.get(`${district}|${day}|${mode}|${locale}`);
    return found ? publishCount(found.n, found.keySum, context.k) : 0;
  };

  const totalN = published(ALL, ALL, ALL, ALL);
  const population = context.districts.reduce((sum, district) => sum + (district.population ?? 0), 0);
  const byDistrict = (at: (district: string) => Count) => Object.fromEntries(districts.map((district) => [district, at(district)]));
  return {
    slug: context.slug,
    k: context.k,
    total: totalN,
    target: options.target ?? null,
    districts: districts.map((code) => {
      const row = context.districts.find((district) => district.code === code);
      const populationShare = row?.population != null && population > 0 ? row.population / population : null;
      const n = published(code, ALL, ALL, ALL);
      return {
        code,
        label: labels.dimensionValue('district', code),
        population: row?.population ?? null,
        populationShare,
        n,
        share: showsStatistics(totalN, context.k) ? n / totalN : null,
        target: options.target !== undefined && populationShare !== null ? Math.round(options.target * populationShare) : null,
      };
    }),
    days: days.map((day) => ({ day, n: published(ALL, day, ALL, ALL), districts: byDistrict((district) => published(district, day, ALL, ALL)) })),
    modes: modes.map((mode) => ({
      mode,
      label: labels.dimensionValue('mode', mode),
      n: published(ALL, ALL, mode, ALL),
      districts: byDistrict((district) => published(district, ALL, mode, ALL)),
    })),
    locales: locales
      .map((locale) => ({
        locale,
        label: labels.dimensionValue('locale', locale),
        n: published(ALL, ALL, ALL, locale),
        districts: byDistrict((district) => published(district, ALL, ALL, locale)),
      })),
  };
}
