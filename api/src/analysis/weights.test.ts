import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { parseCsvRecords } from '../../../tests/support/csv-parse.ts';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { csvFor, readRCsv, runR } from '../../../tests/support/r-survey.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { listPopulationMargins, replacePopulationMargins } from '../districts/index.ts';
import { showsStatistics } from './disclosure/cell-key.ts';

const K = 5;

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;
/** weights.csv is keyed by the row of the full raw file (admins, with a reason); the de-identified one has its own random order. */
const FULL_RESPONSES = `/api/analysis/${DATASET_SLUG}/responses.csv?variant=full&reason=${encodeURIComponent('weights checked against the raw data')}`;
/** weights.csv, like the full raw file it joins, is for admins with a reason. */
const WEIGHTS_CSV = `/api/analysis/${DATASET_SLUG}/weights.csv?reason=${encodeURIComponent('weights checked in R for the report')}`;

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  await insertResponses(platform.database.db, analysisDataset());
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
});
afterAll(async () => {
  await platform?.close();
});

async function get(url: string, session: StaffSession = analyst) {
  return platform.app.request(url, { headers: session.headers() });
}
async function text(url: string, session: StaffSession = analyst) {
  const response = await get(url, session);
  expect(response.status, url).toBe(200);
  return response.text();
}

describe('weights of a survey', () => {
  it('weights.csv is refused to analysts (the weight reveals district × age band × gender) and asks admins for a reason, which is logged', async () => {
    const refused = await get(WEIGHTS_CSV);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
    const noReason = await get(`/api/analysis/${DATASET_SLUG}/weights.csv`, admin);
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.code).toBe('weights_export_reason_required');
    // The JSON summary stays the analysts'.
    expect((await get(`/api/analysis/${DATASET_SLUG}/weights`)).status).toBe(200);
    expect((await get(WEIGHTS_CSV, admin)).status).toBe(200);
    const entries = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'export.weights_csv').execute();
    expect(entries).toContainEqual(expect.objectContaining({ actor_id: admin.user.id, details: expect.objectContaining({ reason: 'weights checked in R for the report' }) }));
    expect(entries.map((entry) => entry.actor_id)).not.toContain(analyst.user.id);
  });

  it('GET …/weights reports the raking; weights.csv has a weight per response, keyed by responses.csv\'s row', async () => {
    const report = await (await get(`/api/analysis/${DATASET_SLUG}/weights`)).json();
    expect(report.status).toBe('ok');
    expect(report.converged).toBe(true);
    expect(report.n).toBe(analysisDataset().length);
    expect(report.notes).toContainEqual(expect.objectContaining({ code: 'no_district', respondents: 2 }));
    // The fixture asks no gender: everyone is "not stated", which keeps the whole district.
    expect(report.notes).toContainEqual(expect.objectContaining({ code: 'not_stated', dimension: 'gender', share: 1 }));

    const responses = parseCsvRecords(await text(FULL_RESPONSES, admin));
    const weights = parseCsvRecords(await text(WEIGHTS_CSV, admin));
    expect(Object.keys(weights[0]!)).toEqual(['respondent', 'district', 'age_band', 'gender', 'weight']);
    expect(weights.length).toBe(responses.length);
    const byRow = new Map(responses.map((row) => [row.row, row]));
    for (const row of weights) {
      const response = byRow.get(row.respondent!)!;
      expect(row.district).toBe(response.district);
      expect(row.age_band).toBe(response.age_band);
    }
    const w = weights.map((row) => Number(row.weight));
    const sum = w.reduce((a, b) => a + b, 0);
    const squares = w.reduce((a, b) => a + b * b, 0);
    expect(sum).toBeCloseTo(report.populationTotal, 4);
    expect(report.designEffect).toBeCloseTo((w.length * squares) / sum ** 2, 9);
    expect(report.effectiveN).toBeCloseTo(sum ** 2 / squares, 6);
  });

  it('bad parameters are refused with a localised error', async () => {
    const bogus = await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?weights=bogus`);
    expect(bogus.status).toBe(400);
    expect((await bogus.json()).error.code).toBe('invalid_weights');
    const trim = await platform.app.request(`/api/analysis/${DATASET_SLUG}/weights?trim=0.5`, { headers: { ...analyst.headers(), 'accept-language': 'de' } });
    expect(trim.status).toBe(400);
    const body = await trim.json();
    expect(body.error.code).toBe('invalid_trim');
    expect(body.error.message).toContain('Kappungsgrenze');
  });
});

/**
 * R's reference for weighted shares: svymean on a design with the exported weights, per published
 * cell (its base's respondents; y = 1 for those who chose the option), and its 95 % interval (confint).
 */
const SHARES_SCRIPT = `
d <- read.csv('cells.csv')
out <- NULL
for (id in unique(d$cell)) {
  x <- d[d$cell == id, ]
  design <- svydesign(ids = ~1, weights = ~w, data = x)
  m <- svymean(~y, design)
  ci <- confint(m)
  out <- rbind(out, data.frame(cell = id, share = sprintf('%.17g', coef(m)[[1]]), low = sprintf('%.17g', ci[1, 1]), high = sprintf('%.17g', ci[1, 2])))
}
write.csv(out, 'shares.csv', row.names = FALSE)
`;

describe('aggregate with weights=raked', () => {
  it('weighted shares agree with R svymean scaled to the published counts; n and base stay the unweighted published ones', async () => {
    const url = `/api/analysis/${DATASET_SLUG}/aggregate?by=district`;
    const plain = await (await get(url)).json();
    const weighted = await (await get(`${url}&weights=raked`)).json();
    expect(weighted.weights).toBe('raked');
    const responses = parseCsvRecords(await text(FULL_RESPONSES, admin));
    const weightOf = new Map(parseCsvRecords(await text(WEIGHTS_CSV, admin)).map((row) => [row.respondent, Number(row.weight)]));

    const cells: (string | number)[][] = [];
    // Per cell: our estimate, and the published / true ratios of option and base the estimate is scaled by.
    const ours = new Map<string, { estimate: { share: number; ciLow: number; ciHigh: number; nEffective: number }; scale: number }>();
    let withheld = 0;
    for (const key of ['satisfaction_district', 'barriers_health']) {
      const item = weighted.items.find((candidate: { key: string }) => candidate.key === key);
      const plainItem = plain.items.find((candidate: { key: string }) => candidate.key === key);
      expect(item.base).toEqual(plainItem.base);
      item.options.forEach((option: { code: string; counts: number[]; weighted: (null | { share: number; ciLow: number; ciHigh: number; nEffective: number })[] }, o: number) => {
        expect(option.counts).toEqual(plainItem.options[o].counts);
        weighted.groups.forEach((group: { key: { district: string | null } }, g: number) => {
          const estimate = option.weighted[g];
          if (!showsStatistics(option.counts[g]!, K) || !showsStatistics(item.base[g], K)) {
            withheld += 1;
            expect(estimate).toBeNull();
            return;
          }
          const id = `${key}|${option.code}|${group.key.district ?? '*'}`;
          const inGroup = responses.filter((row) => group.key.district === null || (row.district || '_none') === group.key.district);
          let chose = 0;
          let base = 0;
          for (const row of inGroup) {
            let y: number | null;
            if (key === 'satisfaction_district') y = row.satisfaction_district === '' ? null : Number(row.satisfaction_district === option.code);
            else {
              const ticked = ['barrier_language', 'barrier_time', 'barrier_cost'].some((code) => row[`barriers_health__${code}`] === '1');
              y = ticked ? Number(row[`barriers_health__${option.code}`] === '1') : null;
            }
            if (y !== null) {
              cells.push([id, y, weightOf.get(row.row)!]);
              base += 1;
              chose += y;
            }
          }
          ours.set(id, { estimate: estimate!, scale: (option.counts[g]! / chose) / (item.base[g] / base) });
        });
      });
    }
    expect(withheld).toBeGreaterThan(0);
    expect(ours.size).toBeGreaterThan(10);
    const r = await runR(SHARES_SCRIPT, { 'cells.csv': csvFor(['cell', 'y', 'w'], cells) }, ['shares.csv']);
    const reference = readRCsv(r['shares.csv']!);
    expect(reference.length).toBe(ours.size);
    for (const row of reference) {
      const { estimate, scale } = ours.get(row.cell!)!;
      // Each side's weight sum is its members' mean weight times its published count (weighted-aggregate.ts).
      expect(Math.abs(estimate.share - Math.min(1, Number(row.share) * scale)), row.cell).toBeLessThan(1e-6);
      expect(estimate.ciLow).toBeLessThanOrEqual(estimate.share);
      expect(estimate.ciHigh).toBeGreaterThanOrEqual(estimate.share);
      // The interval rests on the published numbers too, so it is not R's; it is a proper interval
      // around the share (zero width only where the share is 0 or 100 %).
      if (estimate.share > 0 && estimate.share < 1) expect(estimate.ciHigh - estimate.ciLow, row.cell).toBeGreaterThan(0);
    }
  });

  it('aggregate.csv gains the weighted columns; a withheld cell\'s are empty; the unweighted columns are unchanged', async () => {
    const url = `/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district,target_group`;
    const plain = parseCsvRecords(await text(url));
    const weighted = parseCsvRecords(await text(`${url}&weights=raked`));
    expect(Object.keys(weighted[0]!).slice(-4)).toEqual(['weighted_share', 'ci_low', 'ci_high', 'n_effective']);
    expect(weighted.length).toBe(plain.length);
    let withEstimate = 0;
    weighted.forEach((record, i) => {
      const { weighted_share, ci_low, ci_high, n_effective, ...rest } = record;
      expect(rest).toEqual(plain[i]);
      if (record.suppressed === '1' || !showsStatistics(Number(record.n), K)) expect([weighted_share, ci_low, ci_high, n_effective]).toEqual(['', '', '', '']);
      else if (weighted_share !== '') {
        withEstimate += 1;
        expect(Number(ci_low)).toBeLessThanOrEqual(Number(weighted_share));
        expect(Number(ci_high)).toBeGreaterThanOrEqual(Number(weighted_share));
        expect(Number(n_effective)).toBeLessThanOrEqual(Number(record.base));
      }
    });
    expect(withEstimate).toBeGreaterThan(0);
  });
});

describe('crosstab.csv with weights=raked', () => {
  it('option rows give the weighted percentage of the JSON, withheld cells stay ".", and the effective n follows the base', async () => {
    const crosstab = parseCsvRecords(await text(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district&weights=raked`));
    const plain = parseCsvRecords(await text(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district`));
    const json = await (await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district&weights=raked`)).json();
    const item = json.items.find((candidate: { key: string }) => candidate.key === 'satisfaction_district');
    // Headers are in the requester's language: question and option are the first and third column.
    const [questionColumn, , optionColumn] = Object.keys(crosstab[0]!) as [string, string, string];
    const rows = crosstab.filter((row) => row[questionColumn] === 'satisfaction_district');
    expect(rows.map((row) => row[optionColumn]).slice(0, 2)).toEqual(['_base', '_n_effective']);
    const columns = Object.keys(rows[0]!).slice(5);
    let compared = 0;
    item.options.forEach((option: { code: string; weighted: ({ share: number } | null)[] }) => {
      const row = rows.find((candidate) => candidate[optionColumn] === option.code)!;
      const plainRow = plain.find((candidate) => candidate[questionColumn] === 'satisfaction_district' && candidate[optionColumn] === option.code)!;
      columns.forEach((column, g) => {
        if (plainRow[column] === '.') expect(row[column]).toBe('.');
        else if (option.weighted[g]) {
          expect(Number(row[column])).toBeCloseTo(option.weighted[g]!.share * 100, 1);
          compared += 1;
        }
      });
    });
    expect(compared).toBeGreaterThan(5);
    expect((await get(`/api/analysis/${DATASET_SLUG}/crosstab.csv?weights=raked&value=n`)).status).toBe(400);
  });
});

describe('representativeness', () => {
  it('sample vs population per district by age band: sample counts and shares as in the published aggregate, population from the margins', async () => {
    const panel = await (await get(`/api/analysis/${DATASET_SLUG}/representativeness`)).json();
    const aggregate = await (await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district&question=age_band`)).json();
    expect(panel.dimensions.map((d: { dimension: string }) => d.dimension)).toEqual(['age_band']);
    const margins = await listPopulationMargins(platform.database.db);
    const [age] = panel.dimensions;
    let withheld = 0;
    age.groups.forEach((group: { district: string | null; categories: { category: string; sample: number; sampleShare: number | null; population: number | null }[] }, g: number) => {
      group.categories.forEach((category, o) => {
        expect(category.sample).toBe(aggregate.items[0].options[o].counts[g]);
        expect(category.sampleShare).toBe(aggregate.items[0].options[o].shares[g]);
        if (category.sampleShare === null) withheld += 1;
        const expected = margins.filter((m) => m.dimension === 'age_band' && m.category === category.category && (group.district === null || m.district === group.district));
        expect(category.population).toBe(expected.length ? expected.reduce((a, m) => a + m.count, 0) : null);
      });
    });
    expect(age.groups[0].district).toBeNull();
    expect(withheld).toBeGreaterThan(0);
  });

  it('names districts and categories in the requester\'s language beside their codes', async () => {
    const panel = await (await get(`/api/analysis/${DATASET_SLUG}/representativeness`)).json();
    const aggregate = await (await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district&question=age_band`)).json();
    const [age] = panel.dimensions;
    expect(age.groups.map((group: { districtLabel: string }) => group.districtLabel)).toEqual(aggregate.groups.map((group: { label: string }) => group.label));
    expect(age.groups[0].categories.map((category: { label: string }) => category.label)).toEqual(aggregate.items[0].options.map((option: { label: string }) => option.label));
    expect(age.groups.some((group: { district: string | null; districtLabel: string }) => group.district !== null && group.districtLabel !== group.district)).toBe(true);
  });
});

describe('margins that prevent weighting', () => {
  it('are explained, in the requester\'s language, and nothing weighted is exported', async () => {
    const db = platform.database.db;
    const margins = (await listPopulationMargins(db)).filter((margin) => margin.district === 'worfelden');
    await replacePopulationMargins(
      db,
      'worfelden',
      margins.map(({ dimension, category, count }) => ({ dimension, category, count: dimension === 'gender' && category === 'female' ? count + 7 : count })),
    );
    const report = await (await platform.app.request(`/api/analysis/${DATASET_SLUG}/weights`, { headers: { ...analyst.headers(), 'accept-language': 'en' } })).json();
    expect(report.status).toBe('unavailable');
    expect(report.problems).toEqual([expect.objectContaining({ code: 'margins_inconsistent', district: 'worfelden' })]);
    expect(report.problems[0].message).toMatch(/worfelden.*adds up to/);
    const csv = await get(WEIGHTS_CSV, admin);
    expect(csv.status).toBe(422);
    expect((await csv.json()).error.code).toBe('weighting_unavailable');
    expect((await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?weights=raked`)).status).toBe(422);
  });
});
