import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { ALL, NO_DISTRICT } from './breakdown.ts';
import type { AnalysisLabels } from './labels.ts';
import { countReturns } from './repository.ts';
import type { AnalysisContext } from './service.ts';
import { suppressSmallCells, type AdditiveRelation } from './suppression/suppress-small-cells.ts';

type Count = number | null;

export interface ReturnsReport {
  slug: string;
  k: number;
  total: Count;
  /** The planned number of responses, if given; each district's target is its share of the population. */
  target: number | null;
  districts: {
    code: string;
    label: string;
    population: number | null;
    /** The district's share of the town's population (the share a representative sample would have). */
    populationShare: number | null;
    n: Count;
    /** The district's share of all responses so far. */
    share: number | null;
    target: number | null;
  }[];
  days: { day: string; n: Count; districts: Record<string, Count> }[];
  modes: { mode: string; label: string; n: Count; districts: Record<string, Count> }[];
  locales: { locale: string; label: string; n: Count; districts: Record<string, Count> }[];
}

/**
 * Returns per district and day, mode and language, against a target per district. One table with
 * every margin goes through the same suppression as the exports: the field team sees progress, not
 * the two people who answered in Farsi in Worfelden on Tuesday.
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

  // Cells of the one table: key = district|day|mode|locale, ALL where summed over.
  const values: number[] = [];
  const index = new Map<string, number>();
  const cell = (district: string, day: string, mode: string, locale: string) => {
    const key = `${district}|${day}|${mode}|${locale}`;
    let at = index.get(key);
    if (at === undefined) {
      at = values.length;
      index.set(key, at);
      values.push(0);
    }
    return at;
  };
  for (const row of rows) values[cell(row.district, row.day, row.mode, row.locale)] = row.n;

  const relations: AdditiveRelation[] = [];
  const total = cell(ALL, ALL, ALL, ALL);
  const splits: { list: string[]; at: (district: string, value: string) => number }[] = [
    { list: days, at: (district, day) => cell(district, day, ALL, ALL) },
    { list: modes, at: (district, mode) => cell(district, ALL, mode, ALL) },
    { list: locales, at: (district, locale) => cell(district, ALL, ALL, locale) },
  ];
  relations.push({ members: districts.map((district) => cell(district, ALL, ALL, ALL)), total });
  for (const split of splits) {
    if (split.list.length === 0) continue;
    relations.push({ members: split.list.map((value) => split.at(ALL, value)), total });
    for (const district of districts) {
      relations.push({ members: split.list.map((value) => split.at(district, value)), total: cell(district, ALL, ALL, ALL) });
    }
    for (const value of split.list) {
      relations.push({ members: districts.map((district) => split.at(district, value)), total: split.at(ALL, value) });
    }
  }
  const { suppressed } = suppressSmallCells({ values, relations }, context.k);
  const published = (at: number): Count => (suppressed[at] ? null : values[at]!);

  const totalN = published(total);
  const population = context.districts.reduce((sum, district) => sum + (district.population ?? 0), 0);
  const byDistrict = (at: (district: string) => number) => Object.fromEntries(districts.map((district) => [district, published(at(district))]));
  return {
    slug: context.slug,
    k: context.k,
    total: totalN,
    target: options.target ?? null,
    districts: districts.map((code) => {
      const row = context.districts.find((district) => district.code === code);
      const populationShare = row?.population != null && population > 0 ? row.population / population : null;
      const n = published(cell(code, ALL, ALL, ALL));
      return {
        code,
        label: labels.dimensionValue('district', code),
        population: row?.population ?? null,
        populationShare,
        n,
        share: n !== null && totalN ? n / totalN : null,
        target: options.target !== undefined && populationShare !== null ? Math.round(options.target * populationShare) : null,
      };
    }),
    days: days.map((day) => ({ day, n: published(cell(ALL, day, ALL, ALL)), districts: byDistrict((district) => cell(district, day, ALL, ALL)) })),
    modes: modes.map((mode) => ({
      mode,
      label: labels.dimensionValue('mode', mode),
      n: published(cell(ALL, ALL, mode, ALL)),
      districts: byDistrict((district) => cell(district, ALL, mode, ALL)),
    })),
    locales: locales
      .map((locale) => ({
        locale,
        label: labels.dimensionValue('locale', locale),
        n: published(cell(ALL, ALL, ALL, locale)),
        districts: byDistrict((district) => cell(district, ALL, ALL, locale)),
      })),
  };
}
