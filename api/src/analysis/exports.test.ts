import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { parseCsv, parseCsvRecords } from '../../../tests/support/csv-parse.ts';
import { insertResponses, type SeededResponse } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { closeSurvey } from '../surveys/close-survey.ts';
import { KEY_MODULUS, perturbationBound, publishCount, showsStatistics } from './disclosure/cell-key.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const K = 5;

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;
/** The full raw file (admins, with a reason); analysts get the de-identified one (deidentify/deidentified-export.test.ts). */
const fullRaw = (query = '') => `/api/analysis/${DATASET_SLUG}/responses.csv?variant=full&reason=${encodeURIComponent('checking the export format')}${query}`;
let dataset: SeededResponse[];
/** Each seeded response's record key, read back from the database (drawn at random on insert). */
const recordKeys = new Map<string, number>();

/** Inserts responses into the database and the test's own copy of the data set, keys included. */
async function seed(responses: SeededResponse[]) {
  const ids = await insertResponses(platform.database.db, responses);
  responses.forEach((response, index) => (response.id = ids[index]));
  const rows = await platform.database.db.selectFrom('response').select(['id', 'record_key']).where('id', 'in', ids).execute();
  for (const row of rows) recordKeys.set(row.id, row.record_key);
  if (responses !== dataset) dataset.push(...responses);
}

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  dataset = analysisDataset();
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
  await seed(dataset);
});
afterAll(async () => {
  await platform?.close();
});

async function download(url: string, session: StaffSession = analyst) {
  const response = await platform.app.request(url, { headers: session.headers() });
  expect(response.status, `${url}: ${response.status}`).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // TextDecoder drops a BOM, as spreadsheets do; `bytes` keeps it for the tests that look for it.
  return { response, bytes, text: new TextDecoder().decode(bytes) };
}

const districtOf = (response: SeededResponse) => response.district ?? '_none';
const answered = (value: unknown) => value !== undefined && value !== null;

/** A count as published, from the members themselves: their number, and their record keys summed here in JavaScript. */
function published(members: SeededResponse[]): number {
  const keySum = members.reduce((sum, member) => (sum + recordKeys.get(member.id!)!) % KEY_MODULUS, 0);
  return publishCount(members.length, keySum, K);
}

/** Counts straight from the seed data, in JavaScript: who chose `option` in district × target group (true and as published). */
function independentCount(
  question: string,
  option: string,
  district: string,
  targetGroup: string,
): { n: number; base: number; publishedN: number; publishedBase: number } {
  const inGroup = dataset.filter(
    (response) =>
      (district === '_all' || districtOf(response) === district) &&
      (targetGroup === '_all' || (response.targetGroups ?? []).includes(targetGroup)),
  );
  const [name, row] = question.split('.');
  const valueOf = (response: SeededResponse) => {
    const value = response.answers[name!];
    return row ? (value as Record<string, unknown> | undefined)?.[row] : value;
  };
  const counts = (chose: SeededResponse[], base: SeededResponse[]) => ({
    n: chose.length,
    base: base.length,
    publishedN: published(chose),
    publishedBase: published(base),
  });
  if (inGroup.some((response) => Array.isArray(valueOf(response)))) {
    const ticked = inGroup.filter((response) => Array.isArray(valueOf(response)) && (valueOf(response) as string[]).length > 0);
    return counts(ticked.filter((response) => (valueOf(response) as string[]).includes(option)), ticked);
  }
  const given = inGroup.filter((response) => answered(valueOf(response)));
  return counts(given.filter((response) => String(valueOf(response)) === option), given);
}

describe('aggregate.csv by district × target group', () => {
  it('publishes each count as the cell key method gives it for exactly its members, within the documented bound of the true count', async () => {
    const { response, text } = await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district,target_group`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const records = parseCsvRecords(text);
    expect(Object.keys(records[0]!)).toEqual([
      'question', 'question_label', 'option', 'option_label', 'district', 'target_group', 'mode', 'locale',
      'n', 'base', 'share', 'mean', 'median', 'suppressed',
    ]);
    const bound = perturbationBound(K);
    let compared = 0;
    let small = 0;
    let withheld = 0;
    for (const record of records) {
      expect(record.mode).toBe('');
      expect(record.locale).toBe('');
      if (['years_in_town', 'age', 'improvement_ideas'].includes(record.question!)) continue;
      const expected = independentCount(record.question!, record.option!, record.district!, record.target_group!);
      const n = Number(record.n);
      const base = Number(record.base);
      // The very number the cell key method gives for these respondents (key sum taken here, not in SQL) …
      expect(n, JSON.stringify(record)).toBe(expected.publishedN);
      expect(base, JSON.stringify(record)).toBe(expected.publishedBase);
      // … which is the documented promise: 0 only for nobody, never 1 … k−1, at most D from the truth.
      expect(n === 0).toBe(expected.n === 0);
      if (n !== 0) expect(n).toBeGreaterThanOrEqual(K);
      if (expected.n >= K) expect(Math.abs(n - expected.n)).toBeLessThanOrEqual(bound);
      else if (expected.n > 0) expect(n).toBeLessThanOrEqual(K - 1 + bound);
      if (expected.n >= 1 && expected.n < K) small += 1;
      // A share only where the published base shows k members, and then of the published counts.
      // Rounded to 4 decimals: within half a unit of the last place (0.03125 may print as 0.0312 or 0.0313).
      if (showsStatistics(base, K)) expect(Math.abs(Number(record.share) - Math.min(1, n / base))).toBeLessThanOrEqual(0.00005 + 1e-12);
      else {
        withheld += 1;
        expect([record.share, record.suppressed]).toEqual(['', '1']);
      }
      compared += 1;
    }
    expect(compared).toBeGreaterThan(300);
    // The data set is built with small cells: the promise is tested where it matters.
    expect(small).toBeGreaterThan(20);
    expect(withheld).toBeGreaterThan(5);
    // Worfelden's young people are few: their counts are published, none of them under k.
    const worfeldenYoung = records.filter((record) => record.district === 'worfelden' && record.target_group === 'young_people');
    expect(worfeldenYoung.length).toBeGreaterThan(0);
    for (const record of worfeldenYoung) expect(Number(record.n) === 0 || Number(record.n) >= K).toBe(true);
  });

  it('gives the same published count for the same cell in every breakdown and on every repeat', async () => {
    const cellKey = (record: Record<string, string>) =>
      [record.question, record.option, ...['district', 'target_group', 'mode', 'locale'].map((dim) => record[dim] || '_all')].join('|');
    const seen = new Map<string, string>();
    let repeated = 0;
    for (const by of ['', 'district', 'district,target_group', 'target_group,district', 'district,mode', 'district']) {
      for (const record of parseCsvRecords((await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=${by}`)).text)) {
        const key = cellKey(record);
        const known = seen.get(key);
        if (known !== undefined) {
          expect(record.n, `${by}: ${key}`).toBe(known);
          repeated += 1;
        } else seen.set(key, record.n!);
      }
    }
    expect(repeated).toBeGreaterThan(500);
  });

  it('number questions: n, mean and median per group, as computed from the data; free text: non-empty answers', async () => {
    const { text } = await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district`);
    const records = parseCsvRecords(text);
    const total = records.find((record) => record.question === 'years_in_town' && record.district === '_all')!;
    const years = dataset.map((response) => response.answers.years_in_town).filter((value): value is number => typeof value === 'number');
    const sorted = [...years].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    const withYears = dataset.filter((response) => typeof response.answers.years_in_town === 'number');
    expect(Number(total.n)).toBe(published(withYears));
    expect(Math.abs(Number(total.n) - years.length)).toBeLessThanOrEqual(perturbationBound(K));
    // Mean and median are the true ones (they rest on at least k respondents, shown by the published n).
    expect(Number(total.mean)).toBeCloseTo(years.reduce((a, b) => a + b, 0) / years.length, 2);
    expect(Number(total.median)).toBeCloseTo(median, 2);
    const ideas = records.find((record) => record.question === 'improvement_ideas' && record.district === 'buettelborn')!;
    const nonEmpty = dataset.filter(
      (response) => response.district === 'buettelborn' && typeof response.answers.improvement_ideas === 'string' && response.answers.improvement_ideas.trim() !== '',
    );
    expect(Number(ideas.n)).toBe(published(nonEmpty));
    // No mean from fewer than k: the districtless pair is published as k or a little more, without mean or median.
    const none = records.filter((record) => record.question === 'years_in_town' && record.district === '_none');
    expect(none.length).toBeGreaterThan(0);
    for (const record of none) {
      expect(Number(record.n)).toBeGreaterThanOrEqual(K);
      expect([record.mean, record.median, record.suppressed]).toEqual(['', '', '1']);
    }
  });

  it('counts answers of every version together, matched by question name', async () => {
    // The dataset answered version 1; a response to a later version counts in the same table.
    const db = platform.database.db;
    const before = parseCsvRecords((await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv`)).text);
    const total = (records: Record<string, string>[]) =>
      Number(records.find((record) => record.question === 'children' && record.option === 'yes')!.n);
    const versions = await db.selectFrom('survey_version').select('version').where('survey_slug', '=', DATASET_SLUG).execute();
    expect(versions.map((row) => row.version)).toContain(1);
    const trueBefore = independentCount('children', 'yes', '_all', '_all');
    expect(total(before)).toBe(trueBefore.publishedN);
    await seed(Array.from({ length: 7 }, () => ({ slug: DATASET_SLUG, district: 'buettelborn', answers: { children: 'yes' }, targetGroups: [] })));
    const after = parseCsvRecords((await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv`)).text);
    // Seven more members make another cell with its own key: the published count is that cell's.
    expect(total(after)).toBe(independentCount('children', 'yes', '_all', '_all').publishedN);
    expect(independentCount('children', 'yes', '_all', '_all').n).toBe(trueBefore.n + 7);
  });
});

describe('crosstab.csv', () => {
  it('names the unit of every row (counts beside shares) in the language of the request', async () => {
    const german = parseCsv((await download(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district&lang=de`)).text);
    expect(german[0]!.slice(0, 5)).toEqual(['Frage', 'Fragetext', 'Antwort', 'Antworttext', 'Einheit']);
    const children = german.filter((row) => row[0] === 'children');
    expect(children.map((row) => [row[2], row[4]])).toEqual([
      ['_base', 'Anzahl'],
      ['yes', '% der Basis'],
      ['no', '% der Basis'],
      ['no_answer', '% der Basis'],
    ]);
    const english = parseCsv((await download(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district&value=n&lang=en`)).text);
    expect(english[0]![4]).toBe('Unit');
    expect(new Set(english.slice(1).filter((row) => !['_mean', '_median'].includes(row[2]!)).map((row) => row[4]))).toEqual(new Set(['count']));
    expect(english.find((row) => row[2] === '_mean')![4]).toBe('value of the question');
  });
});

describe('aggregate.csv header', () => {
  it('keeps the stable codes by default and gives a header in the requester\'s language with header=labels, same records', async () => {
    const codes = parseCsv((await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district&lang=de`)).text);
    const german = parseCsv((await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district&header=labels&lang=de`)).text);
    expect(codes[0]![0]).toBe('question');
    expect(german[0]).toEqual(['Frage', 'Fragetext', 'Antwort', 'Antworttext', 'Ortsteil', 'Zielgruppe', 'Erhebungsart', 'Sprache der Antwort', 'Anzahl (n)', 'Basis (Antwortende)', 'Anteil', 'Mittelwert', 'Median', 'Anteil/Mittelwert zurückgehalten (1 = ja)']);
    expect(german.slice(1)).toEqual(codes.slice(1));
    const bad = await platform.app.request(`/api/analysis/${DATASET_SLUG}/aggregate.csv?header=fancy`, { headers: analyst.headers() });
    expect(bad.status).toBe(400);
  });
});

describe('CSV dialects and formula neutralisation', () => {
  const dangerous = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tleading tab', '\rleading CR', '\nleading LF'];

  it('responses.csv neutralises every cell a spreadsheet would run, and keeps numbers numeric', async () => {
    const db = platform.database.db;
    await seed(dangerous.map((text, index) => ({ slug: DATASET_SLUG, district: 'klein-gerau', answers: { improvement_ideas: text, age: 30 + index, years_in_town: -2 + index }, targetGroups: [] })));
    const { text } = await download(fullRaw(), admin);
    const records = parseCsvRecords(text);
    for (const attack of dangerous) {
      const found = records.find((record) => record.improvement_ideas === `'${attack}`);
      expect(found, `neutralised ${JSON.stringify(attack)}`).toBeDefined();
      expect(records.some((record) => record.improvement_ideas === attack)).toBe(false);
    }
    // The raw text: numbers are bare numbers, a negative number included (no apostrophe, no quotes).
    const rows = parseCsv(text);
    const header = rows[0]!;
    const ageColumn = header.indexOf('age');
    const yearsColumn = header.indexOf('years_in_town');
    const attackRows = rows.filter((row) => row[header.indexOf('improvement_ideas')]!.startsWith("'"));
    expect(attackRows.map((row) => row[ageColumn]).sort()).toEqual(dangerous.map((_, index) => String(30 + index)));
    expect(attackRows.map((row) => row[yearsColumn])).toContain('-2');
    expect(text).not.toMatch(/'-2[,\r]/);
    for (const row of rows.slice(1)) {
      if (row[ageColumn] !== '') expect(row[ageColumn]).toMatch(/^\d+$/);
    }
  });

  it('responses.csv carries any text intact: delimiters, quotes, line breaks, scripts (both dialects)', async () => {
    const texts = ['Komma, Semikolon; "Zitat"', 'Zeile 1\r\nZeile 2\nZeile 3', 'Umlaute äöü, Arabisch مرحبا', '  mit Leerzeichen  ', '＝1+1', "Apostroph ' innen"];
    await seed(texts.map((text) => ({ slug: DATASET_SLUG, district: 'buettelborn', answers: { improvement_ideas: text, age: 119 }, targetGroups: [] })));
    for (const [dialect, delimiter] of [['rfc4180', ','], ['excel-de', ';']] as const) {
      const records = parseCsvRecords((await download(fullRaw(`&dialect=${dialect}`), admin)).text, delimiter);
      const found = records.filter((record) => record.age === '119').map((record) => record.improvement_ideas);
      expect(found.sort(), dialect).toEqual(texts.map((text) => (text.startsWith('＝') ? `'${text}` : text)).sort());
    }
  });

  it('excel-de: BOM, semicolons, CRLF and decimal commas', async () => {
    const { response, bytes, text: body } = await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district&dialect=excel-de`);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.split('\r\n')[0]).toBe('question;question_label;option;option_label;district;target_group;mode;locale;n;base;share;mean;median;suppressed');
    const records = parseCsvRecords(body, ';');
    const shares = records.map((record) => record.share).filter((share) => share !== '' && share !== '0' && share !== '1');
    expect(shares.length).toBeGreaterThan(10);
    for (const share of shares) expect(share).toMatch(/^0,\d+$/);
    const means = records.map((record) => record.mean).filter(Boolean);
    expect(means.some((mean) => /^\d+,\d+$/.test(mean!))).toBe(true);
    // The same in the raw export: half a year in town is 0,5.
    const raw = (await download(fullRaw('&dialect=excel-de'), admin)).text;
    const rawRecords = parseCsvRecords(raw, ';');
    expect(rawRecords.some((record) => record.years_in_town === '0,5')).toBe(true);
  });

  it('responses.csv: pseudonymised (row number, day only), options as 0/1, target groups as 0/1, labels on request', async () => {
    const codes = parseCsvRecords((await download(fullRaw(), admin)).text);
    const header = Object.keys(codes[0]!);
    expect(header.slice(0, 7)).toEqual(['row', 'version', 'mode', 'locale', 'district', 'channel', 'submitted_on']);
    expect(header).toEqual(expect.arrayContaining(['barriers_health__barrier_time', 'living_together.feel_welcome', 'target_group__young_people']));
    expect(header).not.toContain('id');
    const ids = (await platform.database.db.selectFrom('response').select('id').execute()).map((row) => row.id);
    const text = JSON.stringify(codes);
    for (const id of ids.slice(0, 20)) expect(text).not.toContain(id);
    expect(codes.map((record) => record.row)).toEqual(codes.map((_, index) => String(index + 1)));
    for (const record of codes) expect(record.submitted_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(codes.map((record) => record.barriers_health__barrier_time))).toEqual(new Set(['0', '1', '']));
    expect(new Set(codes.map((record) => record.target_group__seniors))).toEqual(new Set(['0', '1']));
    const english = parseCsvRecords((await download(fullRaw('&labels=en'), admin)).text);
    expect(new Set(english.map((record) => record.children))).toEqual(new Set(['Yes', 'No', 'No answer', '']));
    const german = parseCsvRecords((await download(fullRaw('&labels=de'), admin)).text);
    expect(new Set(german.map((record) => record.children))).toEqual(new Set(['Ja', 'Nein', 'Keine Angabe', '']));
  });

  it('codebook.csv describes every column of responses.csv, in order', async () => {
    const header = parseCsv((await download(fullRaw(), admin)).text)[0]!;
    const codebook = parseCsvRecords((await download(`/api/analysis/${DATASET_SLUG}/codebook.csv?lang=en&variant=full`)).text);
    expect(Object.keys(codebook[0]!)).toEqual(['column', 'question', 'type', 'label', 'choices', 'versions', 'changed_in', 'short_name', 'shown_if', 'rule', 'missing']);
    expect(codebook.map((record) => record.column)).toEqual(header);
    const children = codebook.find((record) => record.column === 'children')!;
    expect(children).toMatchObject({ question: 'children', type: 'single', label: 'Children in the household', versions: '1' });
    expect(children.choices).toBe('yes = Yes | no = No | no_answer = No answer');
    expect(codebook.find((record) => record.column === 'barriers_health__barrier_cost')).toMatchObject({ type: 'option', question: 'barriers_health' });
    expect(codebook.find((record) => record.column === 'age')).toMatchObject({ type: 'number' });
    // Stata: names of at most 32 letters, digits and underscores, unique; labels unique too.
    for (const record of codebook) expect(record.short_name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
    expect(new Set(codebook.map((record) => record.short_name)).size).toBe(codebook.length);
    expect(new Set(codebook.map((record) => record.label)).size).toBe(codebook.length);
    // Target groups with their rule, coded as membership (not "ticked"); languages and missing values listed.
    expect(codebook.find((record) => record.column === 'target_group__seniors')).toMatchObject({
      type: 'target_group',
      rule: "{age_band} anyof ['65-74', '75+']",
      choices: '1 = in the group | 0 = not in the group',
    });
    expect(codebook.find((record) => record.column === 'locale')!.choices).toContain('fa = Persian');
    expect(codebook.find((record) => record.column === 'district')!.missing).toMatch(/link or QR code/);
    expect(codebook.find((record) => record.column === 'children')!.missing).toMatch(/not shown/);
  });
});

describe('the explorer question list', () => {
  it('lists every table (matrix rows apart) with labels in the requested language, and no counts', async () => {
    const { text } = await download(`/api/analysis/${DATASET_SLUG}/questions?lang=en`);
    const list = JSON.parse(text) as { k: number; items: { key: string; type: string; label: string }[] };
    expect(list.k).toBe(K);
    expect(list.items.map((item) => item.key)).toEqual(
      expect.arrayContaining(['satisfaction_district', 'living_together.feel_welcome', 'living_together.neighbours_help', 'age', 'improvement_ideas']),
    );
    expect(list.items.find((item) => item.key === 'living_together.feel_welcome')).toEqual({
      key: 'living_together.feel_welcome',
      question: 'living_together',
      row: 'feel_welcome',
      type: 'single',
      label: 'Living together – I feel welcome',
    });
    expect(text).not.toMatch(/"(n|base|counts)"/);
  });
});

describe('access and audit', () => {
  it('analysts and admins only; every download is in the audit log with who and what', async () => {
    const anonymous = await platform.app.request(`/api/analysis/${DATASET_SLUG}/aggregate.csv`);
    expect(anonymous.status).toBe(401);
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    const forbidden = await platform.app.request(`/api/analysis/${DATASET_SLUG}/responses.csv`, { headers: interviewer.headers() });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe('forbidden');

    const db = platform.database.db;
    await download(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=mode&dialect=excel-de`);
    await download(`/api/analysis/${DATASET_SLUG}/responses.csv`);
    await download(`/api/analysis/${DATASET_SLUG}/codebook.csv`);
    const entry = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'target', 'details'])
      .where('action', '=', 'export.crosstab_csv')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: analyst.user.id, target: DATASET_SLUG, details: { by: ['mode'], dialect: 'excel-de', value: 'percent' } });
    const actions = (await db.selectFrom('audit_log').select('action').where('actor_id', '=', analyst.user.id).execute()).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['export.aggregate_csv', 'export.responses_csv', 'export.codebook_csv', 'export.crosstab_csv']));
  });

  it('the JSON aggregate, chart JSON and returns carry the same numbers as the CSVs, so they are audited too', async () => {
    const db = platform.database.db;
    const since = Number((await db.selectFrom('audit_log').select(db.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
    await download(`/api/analysis/${DATASET_SLUG}/aggregate?by=district&question=children`);
    await download(`/api/analysis/${DATASET_SLUG}/charts/children.json?by=mode`);
    await download(`/api/analysis/${DATASET_SLUG}/returns?target=300`);
    const entries = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'target', 'details'])
      .where('id', '>', since)
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      expect.objectContaining({ actor_id: analyst.user.id, action: 'export.aggregate_json', target: DATASET_SLUG, details: expect.objectContaining({ by: ['district'], question: 'children', k: K }) }),
      expect.objectContaining({ actor_id: analyst.user.id, action: 'export.chart_json', target: DATASET_SLUG, details: { question: 'children', by: ['mode'] } }),
      expect.objectContaining({ actor_id: analyst.user.id, action: 'export.returns_json', target: DATASET_SLUG, details: { target: 300, k: K } }),
    ]);
  });

  it('refuses unknown breakdowns, dialects and surveys with a localised error', async () => {
    const bad = await platform.app.request(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district,religion`, { headers: analyst.headers({ 'accept-language': 'en' }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_breakdown', message: expect.stringContaining('religion') });
    const dialect = await platform.app.request(`/api/analysis/${DATASET_SLUG}/aggregate.csv?dialect=excel-fr`, { headers: analyst.headers() });
    expect((await dialect.json()).error.code).toBe('invalid_dialect');
    const missing = await platform.app.request('/api/analysis/no-such-survey/aggregate.csv', { headers: analyst.headers() });
    expect(missing.status).toBe(404);
  });
});

// Last in this file: it closes the survey the other tests read.
describe('after the survey has closed', () => {
  it('lists it for analysts (with its status, not for anyone else) and still exports it', async () => {
    const list = async (session?: StaffSession) => platform.app.request('/api/analysis/surveys', { headers: session?.headers() ?? {} });
    const before = (await (await list(analyst)).json()) as { surveys: { slug: string; status: string }[] };
    expect(before.surveys.find((survey) => survey.slug === DATASET_SLUG)?.status).toBe('open');

    await closeSurvey(platform.database.db, DATASET_SLUG);
    const after = (await (await list(analyst)).json()) as { surveys: { slug: string; status: string }[] };
    expect(after.surveys.find((survey) => survey.slug === DATASET_SLUG)?.status).toBe('closed');
    // The public list is for residents: a closed survey is not there.
    const publicList = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
    expect(publicList.surveys.map((survey) => survey.slug)).not.toContain(DATASET_SLUG);

    const { text } = await download(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district`);
    expect(parseCsv(text).length).toBeGreaterThan(1);
    expect((await list()).status).toBe(401);
    expect((await list(await loginAsDemo(platform.app, 'interviewer'))).status).toBe(403);
  });
});
