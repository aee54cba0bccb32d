import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInstruments } from '../api/src/surveys/catalogue.ts';
import { canonicalJson } from '../api/src/surveys/canonical-json.ts';
import { allQuestions } from '../api/src/surveys/content-rules/texts.ts';
import { parseCsvRecords } from './support/csv-parse.ts';
import { insertResponses } from './support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from './support/staff-session.ts';
import { openTestPlatform, REAL_SURVEYS_DIR, type TestPlatform } from './support/test-platform.ts';

// Version 1 of each instrument is kept byte-identical in surveys/history/<slug>.v1.json. A database
// that ran version 1 gets version 2 from the changed file; its v1 rows and responses stay as they were.
// The interview guide: the raw export of the 200-column baseline does not finish on PGlite (see the
// report of issue 18); the guide exercises the same path.
const SLUG = 'interview-guide';
const V1_FILE = path.join(REAL_SURVEYS_DIR, 'history', `${SLUG}.v1.json`);
const v1 = JSON.parse(fs.readFileSync(V1_FILE, 'utf8'));
const v2 = JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, `${SLUG}.json`), 'utf8'));
const V1_ANSWERS = { function: 'other', district: 'worfelden', setting: 'shop_cafe', notes_context: 'Ruhige Stimmung' };

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;
let v1Dir: string;
beforeAll(async () => {
  v1Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vielstimmig-v1-'));
  fs.copyFileSync(V1_FILE, path.join(v1Dir, `${SLUG}.json`));
  platform = await openTestPlatform({ surveysDir: v1Dir });
  await insertResponses(platform.database.db, [{ slug: SLUG, version: 1, district: 'worfelden', answers: V1_ANSWERS }]);
  await registerInstruments(platform.database.db, REAL_SURVEYS_DIR);
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
});
afterAll(async () => {
  await platform?.close();
  fs.rmSync(v1Dir, { recursive: true, force: true });
});

async function csv(url: string, session: StaffSession = analyst) {
  const response = await platform.app.request(url, { headers: session.headers() });
  expect(response.status).toBe(200);
  return parseCsvRecords(await response.text());
}

describe('version 2 of an instrument beside version 1', () => {
  it('registers the changed file as version 2 and leaves version 1 exactly as the history file holds it', async () => {
    const rows = await platform.database.db.selectFrom('survey_version').select(['version', 'definition']).where('survey_slug', '=', SLUG).orderBy('version').execute();
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
    expect(canonicalJson(rows[0]!.definition)).toBe(canonicalJson(v1.definition));
    expect(canonicalJson(rows[1]!.definition)).toBe(canonicalJson(v2.definition));
  });

  it('keeps the version 1 response untouched and still exports it', async () => {
    const stored = await platform.database.db.selectFrom('response').select(['survey_version', 'answers']).where('survey_slug', '=', SLUG).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.survey_version).toBe(1);
    expect(stored[0]!.answers).toEqual(V1_ANSWERS);
    // The full file: one respondent is too few for the de-identified one, which would leave them out.
    const records = await csv(`/api/analysis/${SLUG}/responses.csv?variant=full&reason=${encodeURIComponent('version comparison')}`, admin);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ version: '1', function: 'other', setting: 'shop_cafe', notes_context: 'Ruhige Stimmung' });
  });

  it('shows in the codebook which questions changed between the versions', async () => {
    const codebook = await csv(`/api/analysis/${SLUG}/codebook.csv?variant=full`);
    // Reference: the two files compared question by question, independently of the export.
    const before = new Map(allQuestions(v1.definition).map((question) => [question.name, canonicalJson(question)]));
    const after = allQuestions(v2.definition);
    for (const question of after) {
      if (question.name === 'district') continue; // exported as the metadata column `district`
      const record = codebook.find((row) => row.question === question.name)!;
      expect(record, String(question.name)).toBeDefined();
      const old = before.get(question.name);
      if (old === undefined) expect(record.versions).toBe('2');
      else if (old === canonicalJson(question)) expect(record.changed_in, String(question.name)).toBe('');
      else expect(record.changed_in, String(question.name)).toBe('2');
    }
    expect(codebook.find((row) => row.question === 'function')!.changed_in).toBe('2');
    expect(codebook.find((row) => row.column === 'perspectives__young_people')!.versions).toBe('2');
  });
});

// The stakeholder inventory: version 1 and version 2 kept in surveys/history, the revised inventory
// of issue 14 (partners as organisations, offers with districts, cost, times…) as version 3.
describe('version 3 of the stakeholder inventory beside versions 1 and 2', () => {
  const INVENTORY = 'stakeholder-inventory';
  const historyFile = (version: number) => path.join(REAL_SURVEYS_DIR, 'history', `${INVENTORY}.v${version}.json`);
  const definitions = [1, 2].map((version) => JSON.parse(fs.readFileSync(historyFile(version), 'utf8')).definition);
  definitions.push(JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, `${INVENTORY}.json`), 'utf8')).definition);
  const ANSWERS = [
    { org_type: 'club', org_name: 'TV Worfelden', cooperates_with: ['school'], offers: [{ offer_title: 'Kinderturnen', offer_all_districts: false }] },
    { org_type: 'police', cooperates_with: ['advisory_council'], districts_active: ['worfelden'] },
  ];
  let inventoryPlatform: TestPlatform;
  let session: StaffSession;
  const dirs: string[] = [];
  beforeAll(async () => {
    for (const version of [1, 2]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vielstimmig-inventory-v${version}-`));
      fs.copyFileSync(historyFile(version), path.join(dir, `${INVENTORY}.json`));
      dirs.push(dir);
    }
    inventoryPlatform = await openTestPlatform({ surveysDir: dirs[0]! });
    await insertResponses(inventoryPlatform.database.db, [{ slug: INVENTORY, version: 1, district: 'worfelden', answers: ANSWERS[0]! }]);
    await registerInstruments(inventoryPlatform.database.db, dirs[1]!);
    await insertResponses(inventoryPlatform.database.db, [{ slug: INVENTORY, version: 2, district: 'worfelden', answers: ANSWERS[1]! }]);
    await registerInstruments(inventoryPlatform.database.db, REAL_SURVEYS_DIR);
    session = await loginAsDemo(inventoryPlatform.app, 'admin');
  });
  afterAll(async () => {
    await inventoryPlatform?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function inventoryCsv(url: string) {
    const response = await inventoryPlatform.app.request(url, { headers: session.headers() });
    expect(response.status).toBe(200);
    return parseCsvRecords(await response.text());
  }

  it('registers the revised file as version 3 and leaves versions 1 and 2 exactly as the history files hold them', async () => {
    const rows = await inventoryPlatform.database.db.selectFrom('survey_version').select(['version', 'definition']).where('survey_slug', '=', INVENTORY).orderBy('version').execute();
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
    rows.forEach((row, index) => expect(canonicalJson(row.definition), `version ${row.version}`).toBe(canonicalJson(definitions[index])));
  });

  it('keeps the version 1 and 2 responses untouched and still exports them', async () => {
    const stored = await inventoryPlatform.database.db.selectFrom('response').select(['survey_version', 'answers']).where('survey_slug', '=', INVENTORY).orderBy('survey_version').execute();
    expect(stored.map((row) => [row.survey_version, row.answers])).toEqual([[1, ANSWERS[0]], [2, ANSWERS[1]]]);
    const records = await inventoryCsv(`/api/analysis/${INVENTORY}/responses.csv?variant=full&reason=${encodeURIComponent('version comparison')}`);
    expect(records.map((record) => [record.version, record.org_type])).toEqual(expect.arrayContaining([['1', 'club'], ['2', 'police']]));
  });

  it('lists in the codebook where each question exists and in which versions it changed', async () => {
    const codebook = await inventoryCsv(`/api/analysis/${INVENTORY}/codebook.csv?variant=full`);
    // Reference: the three files compared question by question (dynamic panels' inner questions
    // are part of their panel's column), independently of the export.
    const topLevel = (definition: any) => definition.pages.flatMap((page: any) => page.elements) as any[];
    const names = new Set(definitions.flatMap((definition) => topLevel(definition).map((question) => String(question.name))));
    for (const name of names) {
      const present: number[] = [];
      const changed: number[] = [];
      let last: string | undefined;
      definitions.forEach((definition, index) => {
        const question = allQuestions(definition).find((candidate) => candidate.name === name);
        if (!question) return;
        present.push(index + 1);
        if (last !== undefined && last !== canonicalJson(question)) changed.push(index + 1);
        last = canonicalJson(question);
      });
      const record = codebook.find((row) => row.question === name);
      expect(record, name).toBeDefined();
      expect(record!.versions, name).toBe(present.join(', '));
      expect(record!.changed_in, name).toBe(changed.join(', '));
    }
    expect(codebook.find((row) => row.question === 'cooperates_with')!.versions).toBe('1, 2');
    expect(codebook.find((row) => row.question === 'partners')!.versions).toBe('3');
    // Reworded in version 2, kept word for word in version 3.
    expect(codebook.find((row) => row.question === 'reach_well')!.changed_in).toBe('2');
    // Now required, with a list of the registry's actors to pick from.
    expect(codebook.find((row) => row.question === 'org_name')!.changed_in).toMatch(/(^|, )3$/);
  });
});
