import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../../tests/support/analysis-dataset.ts';
import { insertResponses, type SeededResponse } from '../../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../../tests/support/test-platform.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const REASON = encodeURIComponent('checking typed cells against the stored answers');
/** Free text that spreadsheets turn into numbers or formulas, and that must arrive as typed. */
const TRICKY = ['0123', '1,5', '-2', '=1+1', '+49 6152 1234', '1.5e3'];

let platform: TestPlatform;
let admin: StaffSession;
let analyst: StaffSession;
let dataset: SeededResponse[];

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  dataset = [
    ...analysisDataset(),
    ...TRICKY.map((text, index) => ({
      slug: DATASET_SLUG,
      district: 'buettelborn',
      answers: { improvement_ideas: text, age_band: '75+', age: 100 + index, years_in_town: 0.5 + index, satisfaction_district: 1 + (index % 5) },
      targetGroups: ['seniors', ...(index === 0 ? ['new_residents'] : [])],
      submittedAt: new Date(Date.UTC(2026, 10, 20 + index, 9)),
    })),
  ];
  await insertResponses(platform.database.db, dataset);
  admin = await loginAsDemo(platform.app, 'admin');
  analyst = await loginAsDemo(platform.app, 'analyst');
});
afterAll(async () => {
  await platform?.close();
});

async function bytes(url: string, session: StaffSession) {
  const response = await platform.app.request(url, { headers: session.headers({ 'accept-language': 'en' }) });
  expect(response.status, url).toBe(200);
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

/** Reads a workbook back with exceljs's reader: each sheet as rows of typed values, keyed by the header. */
async function readWorkbook(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = (name: string) => {
    const worksheet = workbook.getWorksheet(name)!;
    const rows: unknown[][] = [];
    worksheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows[0] as string[];
    return {
      header,
      records: rows.slice(1).map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? null]))),
    };
  };
  return sheet;
}

describe('responses.xlsx: typed cells', () => {
  it('numbers as numbers, codes and text as text (75+, 0123, 1,5 intact), the day as a date, a codebook sheet', async () => {
    const { response, body } = await bytes(`/api/analysis/${DATASET_SLUG}/responses.xlsx?variant=full&reason=${REASON}`, admin);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await readWorkbook(body);
    const { header, records } = sheet('responses');
    expect(records.length).toBe(dataset.length);
    expect(header.slice(0, 7)).toEqual(['row', 'version', 'mode', 'locale', 'district', 'channel', 'submitted_on']);
    const tricky = records.filter((record) => typeof record.age === 'number' && (record.age as number) >= 100);
    expect(tricky.map((record) => record.improvement_ideas).sort()).toEqual([...TRICKY].sort());
    for (const record of tricky) {
      expect(record.age_band).toBe('75+');
      expect(typeof record.years_in_town).toBe('number');
      expect(typeof record.satisfaction_district).toBe('number');
      expect(record.submitted_on).toBeInstanceOf(Date);
      expect(typeof record.row).toBe('number');
      expect(record.target_group__seniors).toBe(1);
    }
    expect(tricky.map((record) => (record.submitted_on as Date).toISOString().slice(0, 10)).sort()).toEqual(
      TRICKY.map((_, index) => `2026-11-${20 + index}`),
    );
    expect(tricky.map((record) => record.years_in_town).sort()).toEqual(TRICKY.map((_, index) => 0.5 + index));
    // Every choice code stays a string; an unanswered multiple choice is an empty cell, a ticked option 1.
    for (const record of records) {
      if (record.age_band !== null) expect(typeof record.age_band).toBe('string');
      expect([null, 0, 1]).toContain(record.barriers_health__barrier_time);
    }
    const codebook = sheet('codebook');
    expect(codebook.records.map((record) => record.column)).toEqual(header);
    expect(codebook.records.find((record) => record.column === 'children')).toMatchObject({ type: 'single', label: 'Children in the household' });
  });

  it('is de-identified for analysts like responses.csv (bands, no free text), and audited', async () => {
    const { body } = await bytes(`/api/analysis/${DATASET_SLUG}/responses.xlsx`, analyst);
    const { header, records } = (await readWorkbook(body))('responses');
    expect(header).not.toContain('improvement_ideas');
    expect(header).toContain('submitted_month');
    for (const record of records) expect(record.age === null || typeof record.age === 'string').toBe(true);
    const entry = await platform.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'export.responses_xlsx')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ variant: 'deidentified', k: 5 });
  });
});

describe('dialect=stats: a CSV for statistics packages', () => {
  it('R reads the text exactly as answered (no apostrophe) and numbers as numbers', async () => {
    const { body } = await bytes(`/api/analysis/${DATASET_SLUG}/responses.csv?variant=full&reason=${REASON}&dialect=stats`, admin);
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-stats-'));
    try {
      await writeFile(path.join(dir, 'responses.csv'), body);
      // R's own reader, nothing of ours: which columns it types as numbers, and the tricky texts it read.
      const script = `d <- read.csv(file.path(${JSON.stringify(dir)}, "responses.csv"), stringsAsFactors = FALSE, encoding = "UTF-8", check.names = FALSE)
writeLines(c(class(d$years_in_town), class(d$age), class(d$age_band), class(d$improvement_ideas)), file.path(${JSON.stringify(dir)}, "classes.txt"))
writeLines(enc2utf8(sort(d$improvement_ideas[!is.na(d$age) & d$age >= 100])), file.path(${JSON.stringify(dir)}, "texts.txt"), useBytes = TRUE)
writeLines(format(sum(d$years_in_town, na.rm = TRUE), nsmall = 2), file.path(${JSON.stringify(dir)}, "sum.txt"))`;
      await new Promise<void>((resolve, reject) =>
        execFile('Rscript', ['--vanilla', '-e', script], { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`Rscript: ${stderr || error.message}`)) : resolve())),
      );
      const classes = (await readFile(path.join(dir, 'classes.txt'), 'utf8')).trim().split('\n');
      expect(classes).toEqual(['numeric', 'integer', 'character', 'character']);
      const texts = (await readFile(path.join(dir, 'texts.txt'), 'utf8')).trim().split('\n');
      expect([...texts].sort()).toEqual([...TRICKY].sort());
      const years = dataset.map((response) => response.answers.years_in_town).filter((value): value is number => typeof value === 'number');
      expect(Number((await readFile(path.join(dir, 'sum.txt'), 'utf8')).trim())).toBeCloseTo(years.reduce((a, b) => a + b, 0), 6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is refused where a spreadsheet is the reader (the contact list)', async () => {
    const coordinatorLike = await platform.app.request('/api/contacts/export.csv?dialect=stats', { headers: admin.headers() });
    expect(coordinatorLike.status).toBe(400);
    expect((await coordinatorLike.json()).error.code).toBe('invalid_dialect');
  });
});
