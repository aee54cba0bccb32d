import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ExpressionRunner } from 'survey-core';
import { demoTargetGroups } from './demo-rules.ts';
import { checkRuleExpression, ruleMatches } from './rule-expression.ts';

const rule = (code: string) => {
  const found = demoTargetGroups.find((group) => group.code === code);
  if (!found) throw new Error(`no demo rule ${code}`);
  return found.expression;
};

describe('checkRuleExpression', () => {
  it('accepts every demo rule', () => {
    for (const group of demoTargetGroups) expect(checkRuleExpression(group.expression), group.code).toBeNull();
  });

  it.each([
    ['', 'syntax'],
    ["{age_band} = '16-20' and", 'syntax'],
    ['{age_band} =', 'syntax'],
    ['unknownfn({age_band}) = 1', 'unknown_function'],
    ['{years_in_town} + 1', 'not_a_condition'],
    ['1 = 1', 'not_a_condition'],
  ])('refuses %j as %s', (expression, problem) => {
    expect(checkRuleExpression(expression)).toBe(problem);
  });
});

describe('ruleMatches with the demo rules', () => {
  it('young people and seniors by age band', () => {
    expect(ruleMatches(rule('young_people'), { age_band: '16-20' })).toBe(true);
    expect(ruleMatches(rule('young_people'), { age_band: '21-29' })).toBe(false);
    expect(ruleMatches(rule('seniors'), { age_band: '75+' })).toBe(true);
    expect(ruleMatches(rule('seniors'), { age_band: '65-74' })).toBe(true);
    expect(ruleMatches(rule('seniors'), { age_band: '45-64' })).toBe(false);
  });

  it('new residents: a missing answer is not "under 3 years"', () => {
    expect(ruleMatches(rule('new_residents'), { years_in_town: 2 })).toBe(true);
    expect(ruleMatches(rule('new_residents'), { years_in_town: 3 })).toBe(false);
    expect(ruleMatches(rule('new_residents'), {})).toBe(false);
  });

  it('another language at home: any entry other than German, whatever else is ticked', () => {
    const expression = rule('other_language_at_home');
    expect(ruleMatches(expression, { languages_home: ['turkish'] })).toBe(true);
    expect(ruleMatches(expression, { languages_home: ['german', 'arabic'] })).toBe(true);
    expect(ruleMatches(expression, { languages_home: ['sign_language'] })).toBe(true);
    expect(ruleMatches(expression, { languages_home: ['german'] })).toBe(false);
    expect(ruleMatches(expression, { languages_home: [] })).toBe(false);
    expect(ruleMatches(expression, {})).toBe(false);
  });

  it('migration history only as people describe it themselves', () => {
    const expression = rule('migration_history');
    for (const value of ['own', 'parents', 'grandparents']) expect(ruleMatches(expression, { migration_history: value })).toBe(true);
    for (const value of ['none', 'no_answer']) expect(ruleMatches(expression, { migration_history: value })).toBe(false);
    // Speaking Turkish at home says nothing about migration history.
    expect(ruleMatches(expression, { languages_home: ['turkish'] })).toBe(false);
  });

  it('wants to take part, families, interview functions', () => {
    expect(ruleMatches(rule('wants_to_take_part'), { participation_wish: 'join_group' })).toBe(true);
    expect(ruleMatches(rule('wants_to_take_part'), { participation_wish: 'keep_informed' })).toBe(false);
    expect(ruleMatches(rule('families_with_children'), { children: 'yes' })).toBe(true);
    expect(ruleMatches(rule('families_with_children'), { children: 'no_answer' })).toBe(false);
    expect(ruleMatches(rule('interview_education'), { function: 'daycare' })).toBe(true);
    expect(ruleMatches(rule('interview_education'), { function: 'club' })).toBe(false);
  });
});

describe('ruleMatches remembers results only where they cannot change', () => {
  it('agrees with a fresh survey-core runner over the whole response, however often the same values come back', () => {
    const answerSets = fc.record(
      {
        age_band: fc.constantFrom('16-20', '21-29', '65-74', '75+', 'no_answer'),
        years_in_town: fc.constantFrom(0, 2, 3, 15),
        languages_home: fc.subarray(['german', 'turkish', 'arabic', 'other']),
        children_under_18: fc.constantFrom('yes', 'no'),
        participation_wish: fc.constantFrom('keep_informed', 'no', 'join_group'),
        Age_Band: fc.constantFrom('16-20', '75+'),
      },
      { requiredKeys: [], noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(answerSets, { minLength: 1, maxLength: 8 }), (sequence) => {
        for (const answers of sequence) {
          for (const group of demoTargetGroups) {
            expect(ruleMatches(group.expression, answers), group.code).toBe(new ExpressionRunner(group.expression).runValues(answers) === true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('runs a rule that calls a function every time: age() depends on the day', () => {
    const expression = 'age({birth_date}) >= 65';
    const answers = { birth_date: '1950-05-01' };
    expect(ruleMatches(expression, answers)).toBe(true);
    try {
      // In 1990 the same person was 39.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('1990-01-01T12:00:00Z'));
      expect(ruleMatches(expression, answers)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
