import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { MARGIN_CATEGORIES } from '../shared/margin-codes.ts';

type Problem = { line: number; code: string; message: string };

const CSV = [
  'district;age_band;gender;count',
  'Nord;;;1200',
  ...['16-20', '21-29', '30-44', '45-64', '65-74', '75+'].map((band, i) => `Nord;${band};;${[60, 130, 220, 330, 130, 130][i]}`),
  'Nord;;female;505',
  'Nord;;male;490',
  'Nord;;diverse;5',
  'Süd-Ost;;;900',
  'Süd-Ost;16-20;;100',
  'Süd-Ost;21-29;;700',
  'Süd-Ost;;female;400',
  'Süd-Ost;;male;300',
].join('\r\n');

describe('districts with population figures (admin)', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(() => platform?.close());

  const send = (method: string, url: string, body?: unknown, type = 'application/json') =>
    platform.app.request(url, {
      method,
      headers: admin.writeHeaders({ 'content-type': type, 'accept-language': 'en' }),
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
  const districtsOf = async () =>
    ((await (await platform.app.request('/api/admin/districts', { headers: admin.headers() })).json()) as { districts: { code: string; name: Record<string, string>; retired: boolean; population: { total: number; byAgeBand: Record<string, number>; byGender: Record<string, number> } }[] }).districts;

  it('uses the answer codes of the baseline questionnaire as margin categories', () => {
    const baseline = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'surveys/resident-baseline.json'), 'utf8'));
    const found: Record<string, string[]> = {};
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node && typeof node === 'object') {
        const record = node as { name?: string; choices?: ({ value: string } | string)[] };
        if ((record.name === 'age_band' || record.name === 'gender') && record.choices) {
          found[record.name] = record.choices.map((c) => (typeof c === 'string' ? c : c.value)).filter((v) => v !== 'no_answer');
        }
        Object.values(node).forEach(walk);
      }
    };
    walk(baseline);
    expect(found).toEqual({ age_band: [...MARGIN_CATEGORIES.age_band], gender: [...MARGIN_CATEGORIES.gender] });
  });

  it('creates a district with its figures, then updates it; both audited', async () => {
    const body = {
      name: { default: 'Oberdorf', en: 'Upper Village' },
      population: { total: 1000, year: 2025, source: 'Statistisches Landesamt', byAgeBand: { '16-20': 50, '75+': 750 }, byGender: { female: 400, male: 400 } },
    };
    expect((await send('PUT', '/api/admin/districts/oberdorf', body)).status).toBe(201);
    expect((await send('PUT', '/api/admin/districts/oberdorf', { ...body, name: { default: 'Ober-Dorf' } })).status).toBe(200);
    const oberdorf = (await districtsOf()).find((d) => d.code === 'oberdorf')!;
    expect(oberdorf.name).toEqual({ default: 'Ober-Dorf' });
    expect(oberdorf.population).toMatchObject({ total: 1000, year: 2025, byAgeBand: { '16-20': 50, '75+': 750 }, byGender: { female: 400, male: 400 } });
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('target', '=', 'oberdorf').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['district.create', 'district.update']);
    // A new district is a choice of every survey at once.
    const survey = (await (await platform.app.request('/api/surveys/mini')).json()) as { districts: { code: string }[] };
    expect(survey.districts.map((d) => d.code)).toContain('oberdorf');
  });

  it('explains margins that are not the baseline codes or do not add up, and saves nothing', async () => {
    const res = await send('PUT', '/api/admin/districts/unterdorf', {
      name: { default: 'Unterdorf' },
      population: { total: 100, byAgeBand: { '16-19': 10, '21-29': 50 }, byGender: { female: 30, male: 20, other: 1 } },
    });
    expect(res.status).toBe(422);
    const { errors } = (await res.json()) as { errors: { field: string; code: string; message: string }[] };
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['population.byAgeBand.16-19', 'margin_unknown_category'],
      ['population.byGender.other', 'margin_unknown_category'],
      ['population', 'margin_sums_differ'],
    ]);
    expect(errors[2]!.message).toContain('add up to 60, those by gender to 51');
    expect((await send('PUT', '/api/admin/districts/unterdorf', { name: { default: 'U' }, population: { total: 10, byAgeBand: { '16-20': 11 } } })).status).toBe(422);
    expect((await districtsOf()).map((d) => d.code)).not.toContain('unterdorf');
  });

  it('previews a CSV (semicolons, BOM, names as codes) with per-line problems, and imports nothing while any remain', async () => {
    const broken = `\uFEFF${CSV}\r\nWest;16-20;male;5\r\nWest;99+;;5\r\nWest;;;many\r\nNord;;female;1`;
    const preview = await send('POST', '/api/admin/districts/import/preview', new TextEncoder().encode(broken), 'text/csv');
    expect(preview.status).toBe(200);
    const plan = (await preview.json()) as { districts: { code: string }[]; problems: Problem[] };
    expect(plan.problems.map((p) => [p.line, p.code])).toEqual([
      [12, 'margin_sums_differ'],
      [17, 'csv_needs_one_dimension'],
      [18, 'margin_unknown_category'],
      [19, 'csv_invalid_count'],
      [20, 'csv_duplicate_line'],
    ]);
    expect(plan.problems[0]!.message).toContain('add up to 800, those by gender to 700');
    expect(plan.problems[4]!.message).toBe('This count is already given on line 9.');
    const refused = await send('POST', '/api/admin/districts/import', broken, 'text/csv');
    expect(refused.status).toBe(422);
    expect((await districtsOf()).map((d) => d.code)).not.toContain('nord');
  });

  it('imports a clean file (commas, no BOM) all at once and audits counts', async () => {
    const clean = [
      'district,age_band,gender,count',
      'Nord,,,1200',
      'Nord,16-20,,500',
      'Nord,75+,,500',
      'Nord,,female,600',
      'Nord,,male,400',
      'Süd-Ost,16-20,,300',
      'Süd-Ost,,diverse,300',
    ].join('\n');
    const preview = (await (await send('POST', '/api/admin/districts/import/preview?year=2024', clean, 'text/csv')).json()) as { problems: Problem[]; districts: { code: string; population: { total: number } }[] };
    expect(preview.problems).toEqual([]);
    expect(preview.districts.map((d) => [d.code, d.population.total])).toEqual([['nord', 1200], ['sued-ost', 300]]);
    const res = await send('POST', '/api/admin/districts/import?year=2024&source=Melderegister', clean, 'text/csv');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 2, updated: 0 });
    const nord = (await districtsOf()).find((d) => d.code === 'nord')!;
    expect(nord).toMatchObject({ name: { default: 'Nord' }, population: { total: 1200, year: 2024, source: 'Melderegister', byGender: { female: 600, male: 400 } } });
    const audit = await platform.database.db.selectFrom('audit_log').select('details').where('action', '=', 'district.import').executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ created: 2, updated: 0, districts: ['nord', 'sued-ost'] });
  });

  it('reorders, retires (no longer a choice) and never deletes a district with responses', async () => {
    expect((await send('POST', '/api/admin/districts/order', { codes: ['worfelden', 'nord'] })).status).toBe(200);
    expect((await districtsOf()).slice(0, 2).map((d) => d.code)).toEqual(['worfelden', 'nord']);

    await platform.database.db
      .insertInto('response')
      .values({ id: crypto.randomUUID(), survey_slug: 'mini', survey_version: 1, mode: 'online', locale: 'de', district: 'nord', channel: null, answers: '{}', payload_hash: 'x' })
      .execute();
    const refused = await send('DELETE', '/api/admin/districts/nord');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('district_has_responses');

    expect((await send('POST', '/api/admin/districts/nord/retirement', { retired: true })).status).toBe(200);
    const survey = (await (await platform.app.request('/api/surveys/mini')).json()) as { districts: { code: string }[] };
    expect(survey.districts.map((d) => d.code)).not.toContain('nord');
    expect((await districtsOf()).find((d) => d.code === 'nord')).toMatchObject({ retired: true, responses: 1 });

    expect((await send('DELETE', '/api/admin/districts/sued-ost')).status).toBe(204);
    expect((await districtsOf()).map((d) => d.code)).not.toContain('sued-ost');
  });
});
