import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG, expectedTargetGroups, randomSource } from '../../../../tests/support/analysis-dataset.ts';
import { parseCsvRecords } from '../../../../tests/support/csv-parse.ts';
import { insertResponses, type SeededResponse } from '../../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../../tests/support/test-platform.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const K = 5;
const WITHHELD = '_withheld';
const REASON = 'Abgleich mit dem Papierrücklauf für den Bericht an den Gemeinderat';

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;
let dataset: SeededResponse[];

/**
 * A skewed town: the analysis data set (three districts of very different size, five languages,
 * Farsi 5 %) plus a few rare respondents — Farsi speakers in the small district with exact ages,
 * interviews in Arabic — the people the review found alone on district + age + gender.
 */
function skewedDataset(): SeededResponse[] {
  const random = randomSource(17);
  const rare: SeededResponse[] = Array.from({ length: 12 }, (_, index) => {
    const answers: Record<string, unknown> = {
      district: index % 3 === 0 ? 'worfelden' : 'klein-gerau',
      age_band: random.pick(['16-20', '65-74', '75+']),
      age: 16 + Math.floor(random.next() * 70),
      years_in_town: random.pick([0.5, 1, 7, 33]),
      languages_home: random.pick([['farsi_dari'], ['arabic', 'german'], ['turkish', 'farsi_dari']]),
      children: random.pick(['yes', 'no']),
      improvement_ideas: `Ich wohne seit ${index + 1} Jahren an der Ecke Hauptstraße`,
      satisfaction_district: random.pick([1, 2, 3, 4, 5]),
    };
    return {
      slug: DATASET_SLUG,
      district: answers.district as string,
      mode: index % 2 ? 'interview' : 'online',
      locale: random.pick(['fa', 'ar', 'tr']),
      answers,
      targetGroups: expectedTargetGroups(answers),
      submittedAt: new Date(Date.UTC(2026, 9 + (index % 3), 3 + index, 9)),
    };
  });
  return [...analysisDataset(), ...rare];
}

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  dataset = skewedDataset();
  await insertResponses(platform.database.db, dataset);
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
});
afterAll(async () => {
  await platform?.close();
});

async function download(url: string, session: StaffSession) {
  const response = await platform.app.request(url, { headers: session.headers({ 'accept-language': 'en' }) });
  expect(response.status, `${url}: ${response.status}`).toBe(200);
  return parseCsvRecords(await response.text());
}

const fullFile = () => download(`/api/analysis/${DATASET_SLUG}/responses.csv?variant=full&reason=${encodeURIComponent(REASON)}`, admin);

/**
 * The columns a person who knows a respondent could know, chosen here and not taken from the
 * application: the response's district, language, mode, channel and time, the demographic answers
 * of the fixture (age band, exact age, children, years in town, languages at home) and every
 * target-group column (a rule can name any of them).
 */
function quasiIdentifierColumns(header: string[]): string[] {
  const named = ['district', 'locale', 'mode', 'channel', 'submitted_on', 'submitted_month', 'age_band', 'age', 'children', 'years_in_town'];
  return header.filter((column) => named.includes(column) || column.startsWith('languages_home__') || column.startsWith('target_group__'));
}

/** Sizes of the groups of rows that agree on every one of `columns`. */
function groupSizes(records: Record<string, string>[], columns: string[]): number[] {
  const sizes = new Map<string, number>();
  for (const record of records) {
    const key = JSON.stringify(columns.map((column) => record[column]));
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return [...sizes.values()];
}

/** Bands written out again for the test: age as the fixture's age bands, years in town at 3, 10 and 20. */
function band(value: string, bounds: number[]): string {
  if (value === '') return '';
  const number = Number(value);
  const lower = [0, ...bounds].filter((bound) => number >= bound).at(-1)!;
  const upper = bounds.find((bound) => number < bound);
  return upper === undefined ? `${lower}+` : `${lower}-${upper}`;
}

describe('the de-identified raw export (responses.csv for analysts)', () => {
  it('is k-anonymous on every quasi-identifier on a skewed data set where the full file singles people out', async () => {
    const full = await fullFile();
    expect(full.length).toBe(dataset.length);
    // The risk is real: in the full file many respondents are alone on their quasi-identifiers.
    const fullSizes = groupSizes(full, quasiIdentifierColumns(Object.keys(full[0]!)));
    const uniqueInFull = fullSizes.filter((size) => size === 1).length;
    expect(uniqueInFull / full.length).toBeGreaterThan(0.5);

    const released = await download(`/api/analysis/${DATASET_SLUG}/responses.csv`, analyst);
    const header = Object.keys(released[0]!);
    const columns = quasiIdentifierColumns(header);
    expect(columns).toEqual(expect.arrayContaining(['district', 'locale', 'submitted_month', 'age', 'years_in_town', 'languages_home__farsi_dari', 'target_group__seniors']));
    // The rule: every combination of quasi-identifier values, as written in the file, has at least k rows.
    const sizes = groupSizes(released, columns);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(K);
    // What it costs: a few rows left out at most, and the district kept for most.
    expect(released.length).toBeLessThanOrEqual(full.length);
    expect(released.length).toBeGreaterThan(full.length * 0.9);
    expect(released.filter((record) => record.district === WITHHELD).length).toBeLessThan(released.length * 0.25);
    // Something was withheld, and the small group's rows are not all gone.
    expect(released.some((record) => record.locale === WITHHELD)).toBe(true);
    expect(released.some((record) => record.district === 'worfelden')).toBe(true);
  });

  it('releases only true values: coarsened or withheld, never invented, and the other answers untouched', async () => {
    const full = await fullFile();
    const released = await download(`/api/analysis/${DATASET_SLUG}/responses.csv`, analyst);
    // Numbers only as bands, the day only as its month, no time at all.
    expect(Object.keys(released[0]!)).not.toContain('submitted_on');
    for (const record of released) {
      expect(record.age).toMatch(/^(\d+-\d+|\d+\+|_withheld|)$/);
      expect(record.years_in_town).toMatch(/^(\d+-\d+|\d+\+|_withheld|)$/);
      expect(record.submitted_month).toMatch(/^(\d{4}-\d{2}|_withheld)$/);
    }
    // Per column and value, the released file never has more rows with it than the truth.
    const truth = full.map((record) => ({
      ...record,
      age: band(record.age!, [21, 30, 45, 65, 75]),
      years_in_town: band(record.years_in_town!, [3, 10, 20]),
      submitted_month: record.submitted_on!.slice(0, 7),
    }));
    for (const column of quasiIdentifierColumns(Object.keys(released[0]!))) {
      const counts = (records: Record<string, string>[]) => {
        const map = new Map<string, number>();
        for (const record of records) map.set(record[column]!, (map.get(record[column]!) ?? 0) + 1);
        return map;
      };
      const expected = counts(truth);
      for (const [value, count] of counts(released)) {
        if (value === WITHHELD) continue;
        expect(count, `${column} = ${value}`).toBeLessThanOrEqual(expected.get(value) ?? 0);
      }
    }
    // The answers that are no quasi-identifier are those of the full file, row for row (as a multiset).
    const others = ['satisfaction_district', 'living_together.feel_welcome', 'living_together.neighbours_help', 'barriers_health__barrier_time', 'participation_wish', 'volunteers', 'version'];
    const tuples = (records: Record<string, string>[]) => records.map((record) => JSON.stringify(others.map((column) => record[column]))).sort();
    const remaining = new Map<string, number>();
    for (const tuple of tuples(full)) remaining.set(tuple, (remaining.get(tuple) ?? 0) + 1);
    for (const tuple of tuples(released)) {
      expect(remaining.get(tuple) ?? 0, tuple).toBeGreaterThan(0);
      remaining.set(tuple, remaining.get(tuple)! - 1);
    }
  });

  it('leaves free text out unless it is asked for, and says so in the codebook', async () => {
    const plain = await download(`/api/analysis/${DATASET_SLUG}/responses.csv`, analyst);
    expect(Object.keys(plain[0]!)).not.toContain('improvement_ideas');
    const withText = await download(`/api/analysis/${DATASET_SLUG}/responses.csv?text=include`, analyst);
    expect(withText.some((record) => record.improvement_ideas?.includes('Hauptstraße'))).toBe(true);
    expect(Math.min(...groupSizes(withText, quasiIdentifierColumns(Object.keys(withText[0]!))))).toBeGreaterThanOrEqual(K);

    const codebook = await download(`/api/analysis/${DATASET_SLUG}/codebook.csv`, analyst);
    expect(codebook.map((record) => record.column)).toEqual(Object.keys(plain[0]!));
    expect(codebook.find((record) => record.column === 'age')).toMatchObject({ type: 'banded' });
    expect(codebook.find((record) => record.column === 'age')!.choices).toContain('21-30 = 21 to under 30');
    expect(codebook.find((record) => record.column === 'district')!.choices).toContain('_withheld = withheld (de-identification)');
  });

  it('gives the full file to admins only, with a reason that goes into the audit log', async () => {
    const url = `/api/analysis/${DATASET_SLUG}/responses.csv?variant=full`;
    const asAnalyst = await platform.app.request(`${url}&reason=${encodeURIComponent(REASON)}`, { headers: analyst.headers({ 'accept-language': 'en' }) });
    expect(asAnalyst.status).toBe(403);
    expect((await asAnalyst.json()).error).toMatchObject({ code: 'raw_export_admin_only', message: expect.stringContaining('de-identified') });
    const noReason = await platform.app.request(url, { headers: admin.headers({ 'accept-language': 'de' }) });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error).toMatchObject({ code: 'raw_export_reason_required', message: expect.stringContaining('Grund') });
    const badVariant = await platform.app.request(`/api/analysis/${DATASET_SLUG}/responses.csv?variant=raw`, { headers: analyst.headers() });
    expect((await badVariant.json()).error.code).toBe('invalid_export_variant');

    const db = platform.database.db;
    const since = Number((await db.selectFrom('audit_log').select(db.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
    const full = await fullFile();
    expect(Object.keys(full[0]!)).toEqual(expect.arrayContaining(['submitted_on', 'improvement_ideas', 'age']));
    await download(`/api/analysis/${DATASET_SLUG}/responses.csv`, analyst);
    const entries = await db.selectFrom('audit_log').select(['actor_id', 'action', 'details']).where('id', '>', since).orderBy('id').execute();
    expect(entries).toEqual([
      expect.objectContaining({ actor_id: admin.user.id, action: 'export.responses_csv', details: expect.objectContaining({ variant: 'full', reason: REASON }) }),
      expect.objectContaining({ actor_id: analyst.user.id, action: 'export.responses_csv', details: expect.objectContaining({ variant: 'deidentified', k: K, text: 'omit' }) }),
    ]);
  });
});
