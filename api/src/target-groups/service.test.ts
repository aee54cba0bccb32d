import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { ApiError } from '../http/errors.ts';
import {
  createTargetGroup,
  deleteTargetGroup,
  evaluateTargetGroups,
  listTargetGroups,
  recomputeTargetGroups,
  updateTargetGroup,
} from './service.ts';
import { currentRules } from './rules-cache.ts';

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const SLUG = 'baseline-lite';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
});
afterAll(async () => {
  await platform?.close();
});

const storedGroups = async () => {
  const rows = await platform.database.db.selectFrom('response').select(['id', 'target_groups']).execute();
  return new Map(rows.map((row) => [row.id, row.target_groups]));
};

describe('target groups on a database', () => {
  it('the demo town ships its rules with labels in all nine locales', async () => {
    const rules = await listTargetGroups(platform.database.db);
    expect(rules.map((rule) => rule.code)).toEqual(
      expect.arrayContaining(['young_people', 'seniors', 'families_with_children', 'new_residents', 'migration_history', 'other_language_at_home', 'wants_to_take_part', 'interview_education']),
    );
    for (const rule of rules) {
      expect(Object.keys(rule.label).sort(), rule.code).toEqual(['ar', 'de-x-easy', 'default', 'en', 'fa', 'pl', 'ru', 'tr', 'uk']);
    }
  });

  it('the stored rules, evaluated, overlap and respect the survey kind', async () => {
    const { rules } = await currentRules(platform.database.db);
    const targetGroupsFor = (answers: Record<string, unknown>, options: { surveyKind: 'resident' | 'interview' }) =>
      evaluateTargetGroups(rules, answers, options.surveyKind);
    const answers = { age_band: '16-20', languages_home: ['german', 'turkish'], years_in_town: 1, function: 'school' };
    expect(targetGroupsFor(answers, { surveyKind: 'resident' })).toEqual(['young_people', 'new_residents', 'other_language_at_home']);
    expect(targetGroupsFor(answers, { surveyKind: 'interview' })).toEqual([
      'young_people',
      'new_residents',
      'other_language_at_home',
      'interview_education',
    ]);
    expect(targetGroupsFor({}, { surveyKind: 'resident' })).toEqual([]);
  });

  it('changing a rule re-tags every stored response (through several pages)', async () => {
    const db = platform.database.db;
    // 23 responses, all stored with stale membership on purpose.
    const seeded = Array.from({ length: 23 }, (_, index) => ({
      slug: SLUG,
      answers: { years_in_town: index, age_band: index % 2 === 0 ? '16-20' : '30-44' },
      targetGroups: ['stale_code'],
    }));
    const ids = await insertResponses(db, seeded);

    const first = await recomputeTargetGroups(db, { pageSize: 5 });
    expect(first.examined).toBeGreaterThanOrEqual(23);
    let groups = await storedGroups();
    ids.forEach((id, index) => {
      const expected = [...(index % 2 === 0 ? ['young_people'] : []), ...(index < 3 ? ['new_residents'] : [])];
      expect(groups.get(id), `response ${index}`).toEqual(expected);
    });

    // Through the service an admin uses: new residents now means under 10 years.
    const result = await updateTargetGroup(db, 'new_residents', { expression: '{years_in_town} < 10' }, null);
    expect(result.recompute?.examined).toBeGreaterThanOrEqual(23);
    groups = await storedGroups();
    ids.forEach((id, index) => {
      const expected = [...(index % 2 === 0 ? ['young_people'] : []), ...(index < 10 ? ['new_residents'] : [])];
      expect(groups.get(id), `response ${index}`).toEqual(expected);
    });
    const audit = await db.selectFrom('audit_log').select(['action', 'target', 'details']).where('action', '=', 'target_group.update').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: 'new_residents', details: { expression: '{years_in_town} < 10' } });
  });

  it('a new rule tags, a deleted rule untags every stored response', async () => {
    const db = platform.database.db;
    const [id] = await insertResponses(db, [{ slug: SLUG, answers: { volunteers: true } }]);
    await createTargetGroup(
      db,
      { code: 'volunteers', label: { de: 'Ehrenamtliche', en: 'Volunteers' }, expression: '{volunteers} = true' },
      null,
    );
    expect((await storedGroups()).get(id!)).toEqual(['volunteers']);
    await deleteTargetGroup(db, 'volunteers', null);
    expect((await storedGroups()).get(id!)).toEqual([]);
    const inAnyResponse = await db
      .selectFrom('response')
      .select('id')
      .where(sql<boolean>`target_groups @> ${JSON.stringify(['volunteers'])}::jsonb`)
      .execute();
    expect(inAnyResponse).toEqual([]);
  });

  it('refuses an expression survey-core cannot run, and a duplicate code, before anything is stored', async () => {
    const db = platform.database.db;
    const attempt = createTargetGroup(db, { code: 'broken', label: { de: 'Kaputt' }, expression: "{age_band} = '16-20' and" }, null);
    await expect(attempt).rejects.toMatchObject({ status: 422, code: 'invalid_target_group_expression' });
    await expect(updateTargetGroup(db, 'seniors', { expression: 'nosuchfunction({age_band})' }, null)).rejects.toBeInstanceOf(ApiError);
    await expect(createTargetGroup(db, { code: 'seniors', label: { de: 'x' }, expression: '{a} = 1' }, null)).rejects.toMatchObject({
      status: 409,
    });
    const codes = (await listTargetGroups(db)).map((rule) => rule.code);
    expect(codes).not.toContain('broken');
    expect((await listTargetGroups(db)).find((rule) => rule.code === 'seniors')?.expression).toBe("{age_band} anyof ['65-74', '75+']");
  });
});
