import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { publishCount } from '../analysis/disclosure/cell-key.ts';

describe('POST /api/target-groups/check: a rule checked as it is typed', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    admin = await loginAsDemo(platform.app, 'admin');
    const answers = [...Array(14).keys()].map((i) => ({ satisfaction: i < 12 ? 'high' : 'low', age: 20 + i }));
    for (const answer of answers) {
      const res = await platform.app.request('/api/surveys/mini/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: randomUUID(), version: 1, locale: 'de', answers: answer }),
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => platform?.close());

  const check = async (expression: string, locale = 'en') => {
    const res = await platform.app.request('/api/target-groups/check', {
      method: 'POST',
      headers: admin.writeHeaders({ 'content-type': 'application/json', 'accept-language': locale }),
      body: JSON.stringify({ expression }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { valid: boolean; matches?: number; k?: number; atThreshold?: boolean; message?: string; problem?: string; position?: number; term?: string };
  };

  /** The published count computed from the stored rows directly: who matches, and their record keys. */
  const expected = async (matches: (answers: Record<string, unknown>) => boolean) => {
    const rows = await platform.database.db.selectFrom('response').select(['answers', 'record_key']).execute();
    const members = rows.filter((row) => matches(row.answers as Record<string, unknown>));
    return publishCount(members.length, members.reduce((sum, row) => sum + Number(row.record_key), 0) % 2 ** 31, 5);
  };

  it('counts the matching responses through the cell key method, never a small count as such', async () => {
    const high = await check("{satisfaction} = 'high'");
    expect(high).toMatchObject({ valid: true, k: 5 });
    expect(high.matches).toBe(await expected((answers) => answers.satisfaction === 'high'));
    const low = await check("{satisfaction} = 'low'");
    expect(low.matches).toBe(await expected((answers) => answers.satisfaction === 'low'));
    expect(low.matches).toBeGreaterThanOrEqual(5);
    expect(low.atThreshold).toBe(low.matches === 5);
    expect((await check('{age} > 200')).matches).toBe(0);
  });

  it('answers a broken rule with the reason in the admin\'s language, and saves nothing', async () => {
    const before = await platform.database.db.selectFrom('target_group').select('code').execute();
    const broken = await check("{satisfaction} = 'high' and", 'de');
    expect(broken.valid).toBe(false);
    expect(broken.message).toMatch(/Regel/);
    expect(await platform.database.db.selectFrom('target_group').select('code').execute()).toEqual(before);
  });

  it('says where and what is wrong in words, in German and English, never the parser\'s own text', async () => {
    const unfinished = await check("{satisfaction} = 'high' and", 'de');
    expect(unfinished).toMatchObject({ valid: false, problem: 'syntax', position: 28 });
    expect(unfinished.message).toBe("Die Regel „{satisfaction} = 'high' and“ hört auf, bevor sie vollständig ist (an Stelle 28): Es fehlt noch etwas, etwa ein Wert, eine schließende Klammer oder ein Anführungszeichen.");

    // The parser reads the second "or" as a name and stops at the question after it.
    const doubled = await check("{satisfaction} = 'high' or or {age} > 3", 'en');
    expect(doubled).toMatchObject({ valid: false, problem: 'syntax', position: 31, term: '{age}' });
    expect(doubled.message).toBe("The rule “{satisfaction} = 'high' or or {age} > 3” cannot be read: “{age}” does not fit at character 31. Please check the spelling, brackets and quotes there.");
    expect((await check("{satisfaction} = 'high' or or {age} > 3", 'de')).message).toContain('An Stelle 31 passt „{age}“ nicht');

    const unknown = await check("shout({satisfaction}) = 'HIGH'", 'en');
    expect(unknown).toMatchObject({ valid: false, problem: 'unknown_function', term: 'shout' });
    expect(unknown.message).toBe("The rule “shout({satisfaction}) = 'HIGH'” uses the unknown function “shout”. Please check its name.");
    expect((await check('{age} + 1', 'de')).message).toBe("Die Regel „{age} + 1“ ergibt nicht wahr oder falsch. Vergleichen Sie eine Antwort mit einem Wert, etwa {age_band} = '16-20'.");

    // Nothing of survey-core's grammar list ("Expected \"!\", \"'\" … but end of input found.").
    for (const result of [unfinished, doubled, unknown]) expect(result.message).not.toMatch(/Expected|end of input|found\.|\(syntax\)|unknown_function/);
  });
});
