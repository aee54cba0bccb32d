/**
 * Re-measures the raw-data figures of issue #17 (share of respondents unique on their
 * quasi-identifiers) on the full and the de-identified responses.csv: 3,000 baseline responses
 * with skewed languages and districts (some without district), on the embedded database.
 * Run: `npx tsx bench/deidentification.ts`; results go to docs/reliability.md by hand.
 */
import { expectedTargetGroups } from '../tests/support/analysis-dataset.ts';
import { parseCsvRecords } from '../tests/support/csv-parse.ts';
import { insertResponses, type SeededResponse } from '../tests/support/insert-responses.ts';
import { loginAsDemo } from '../tests/support/staff-session.ts';
import { openTestPlatform } from '../tests/support/test-platform.ts';
import { BASELINE_SLUG, baselineAnswers, readBaselineDefinition, seededRandom } from '../tests/reliability/support/baseline-answers.ts';

const RESPONSES = 3000;
const LOCALES: [string, number][] = [['de', 60], ['de-x-easy', 4], ['en', 6], ['tr', 10], ['ar', 8], ['ru', 5], ['uk', 4], ['pl', 2], ['fa', 1]];

const platform = await openTestPlatform();
try {
  const survey = (await (await platform.app.request(`/api/surveys/${BASELINE_SLUG}`)).json()) as { version: number; districts: { code: string }[] };
  const districtCodes = survey.districts.map((district) => district.code);
  const definition = readBaselineDefinition();
  const random = seededRandom(2026_12_02);
  const weighted = <T>(items: [T, number][]) => {
    let r = random() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items.at(-1)![0];
  };
  const responses: SeededResponse[] = Array.from({ length: RESPONSES }, () => {
    const district = random() < 0.05 ? null : weighted(districtCodes.map((code, index) => [code, [6, 3, 1][index] ?? 1] as [string, number]));
    const answers = baselineAnswers(definition, { districtCodes: district ? [district] : districtCodes, random });
    if (!district) delete answers.district;
    return { slug: BASELINE_SLUG, version: survey.version, district, locale: weighted(LOCALES), mode: random() < 0.15 ? 'interview' : 'online', answers, targetGroups: expectedTargetGroups(answers) };
  });
  await insertResponses(platform.database.db, responses);
  const admin = await loginAsDemo(platform.app, 'admin');
  const analyst = await loginAsDemo(platform.app, 'analyst');
  const get = async (url: string, session: typeof admin) => parseCsvRecords(await (await platform.app.request(url, { headers: session.headers() })).text());
  const full = await get(`/api/analysis/${BASELINE_SLUG}/responses.csv?variant=full&reason=${encodeURIComponent('re-measuring issue 17')}`, admin);
  const released = await get(`/api/analysis/${BASELINE_SLUG}/responses.csv`, analyst);
  const demographics = ['age_band', 'gender', 'migration_history', 'refugee_experience', 'years_in_town', 'children', 'impairment', 'employment'];
  const unique = (records: Record<string, string>[], columns: string[]) => {
    const all = [...columns, ...(columns.includes('languages') ? Object.keys(records[0]!).filter((column) => column.startsWith('languages_home__')) : [])].filter((column) => column !== 'languages');
    const sizes = new Map<string, number>();
    const keys = records.map((record) => JSON.stringify(all.map((column) => record[column])));
    for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
    return Number(((keys.filter((key) => sizes.get(key) === 1).length / records.length) * 100).toFixed(1));
  };
  const sets: Record<string, string[]> = {
    'district + age band + gender + years in town': ['district', 'age_band', 'gender', 'years_in_town'],
    '… + locale': ['district', 'age_band', 'gender', 'years_in_town', 'locale'],
    'district + locale + all demographics (languages included)': ['district', 'locale', ...demographics, 'languages'],
  };
  const withheldShare = (column: string) => Number(((released.filter((record) => record[column] === '_withheld').length / released.length) * 100).toFixed(1));
  console.log(
    JSON.stringify({
      responses: full.length,
      released: released.length,
      uniqueFull: Object.fromEntries(Object.entries(sets).map(([name, columns]) => [name, unique(full, columns)])),
      uniqueDeidentified: Object.fromEntries(Object.entries(sets).map(([name, columns]) => [name, unique(released, columns)])),
      withheldPercent: Object.fromEntries(['district', 'locale', 'age_band', 'gender', 'years_in_town', 'employment', 'languages_home__turkish', 'submitted_month'].map((column) => [column, withheldShare(column)])),
    }),
  );
} finally {
  await platform.close();
}
