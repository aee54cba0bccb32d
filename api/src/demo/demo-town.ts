import type { NewDistrict } from '../db/schema.ts';
import type { TownSettings } from '../town/index.ts';

/**
 * The demo town: Büttelborn (Hesse) and its three Ortsteile, so that a newcomer sees a working
 * platform at once. Population figures are ILLUSTRATIVE, not official statistics.
 */
export const DEMO_TOWN_NAME = 'Büttelborn (Demo)';

/** The demo town's settings (the data-protection address is a reserved example domain). */
export const demoTownSettings: TownSettings = {
  name: { default: DEMO_TOWN_NAME },
  dataProtection: {
    name: 'Datenschutzbeauftragte der Gemeinde Büttelborn (Demo)',
    email: 'datenschutz@buettelborn.example',
    phone: '+49 6152 0000-0',
  },
  answersDeletedBy: '2028-12-31',
  contactsDeletedBy: '2028-12-31',
};

const ILLUSTRATIVE = 'illustrative demo figure, not official statistics';

export const demoDistricts: NewDistrict[] = [
  {
    code: 'buettelborn',
    name: JSON.stringify({ default: 'Büttelborn', ar: 'بوتلبورن', fa: 'بوتلبورن', ru: 'Бюттельборн', uk: 'Бюттельборн' }),
    population: 6200,
    population_source: ILLUSTRATIVE,
    sort_order: 1,
  },
  {
    code: 'klein-gerau',
    name: JSON.stringify({ default: 'Klein-Gerau', ar: 'كلاين-غيراو', fa: 'کلاین-گراو', ru: 'Кляйн-Герау', uk: 'Кляйн-Герау' }),
    population: 3300,
    population_source: ILLUSTRATIVE,
    sort_order: 2,
  },
  {
    code: 'worfelden',
    name: JSON.stringify({ default: 'Worfelden', ar: 'فورفلدن', fa: 'ورفلدن', ru: 'Ворфельден', uk: 'Ворфельден' }),
    population: 5400,
    population_source: ILLUSTRATIVE,
    sort_order: 3,
  },
];

/** Illustrative shares (not official statistics) that split each demo district's population. */
const AGE_BAND_SHARES: Record<string, number> = {
  '16-20': 0.06,
  '21-29': 0.13,
  '30-44': 0.22,
  '45-64': 0.33,
  '65-74': 0.13,
  '75+': 0.13,
};
const GENDER_SHARES: Record<string, number> = { female: 0.505, male: 0.49, diverse: 0.005 };

/** Splits `total` by shares into whole counts that add up to it exactly (largest remainders). */
function splitByShares(total: number, shares: Record<string, number>): Array<{ category: string; count: number }> {
  const exact = Object.entries(shares).map(([category, share]) => ({ category, value: total * share }));
  const counts = exact.map((e) => ({ category: e.category, count: Math.floor(e.value), rest: e.value % 1 }));
  let missing = total - counts.reduce((sum, c) => sum + c.count, 0);
  for (const c of [...counts].sort((a, b) => b.rest - a.rest)) {
    if (missing-- <= 0) break;
    c.count += 1;
  }
  return counts.map(({ category, count }) => ({ category, count }));
}

/**
 * The demo districts' population by age band and by gender: the residents aged 16 and over (the
 * baseline's population), so both margins add up to the same figure per district.
 */
export function demoPopulationMargins(): Array<{
  district: string;
  margins: Array<{ dimension: 'age_band' | 'gender'; category: string; count: number }>;
}> {
  return demoDistricts.map((district) => {
    const adults = Math.round((district.population ?? 0) * 0.84);
    return {
      district: district.code,
      margins: [
        ...splitByShares(adults, AGE_BAND_SHARES).map((m) => ({ dimension: 'age_band' as const, ...m })),
        ...splitByShares(adults, GENDER_SHARES).map((m) => ({ dimension: 'gender' as const, ...m })),
      ],
    };
  });
}
