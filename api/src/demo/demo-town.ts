import type { NewDistrict } from '../db/schema.ts';

/**
 * The demo town: Büttelborn (Hesse) and its three Ortsteile, so that a newcomer sees a working
 * platform at once. Population figures are ILLUSTRATIVE, not official statistics.
 */
export const DEMO_TOWN_NAME = 'Büttelborn (Demo)';

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
