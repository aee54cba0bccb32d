import { describe, expect, it } from 'vitest';
import { questionsOf, type DefaultChoiceLabels } from '../questions.ts';
import { shortNames } from './codebook-csv.ts';

const defaults: DefaultChoiceLabels = {
  yes: { default: 'Ja' }, no: { default: 'Nein' }, other: { default: 'Sonstiges' },
  none: { default: 'Nichts davon' }, refused: { default: 'Keine Angabe' }, dontKnow: { default: 'Weiß nicht' },
};

describe('codebook details', () => {
  it('gives each question the conditions it is shown under: its own, its panel\'s and its page\'s', () => {
    const definition = {
      pages: [
        { name: 'p1', elements: [{ type: 'radiogroup', name: 'use', choices: ['often', 'never'] }] },
        {
          name: 'p2',
          visibleIf: "{use} = 'often'",
          elements: [
            { type: 'rating', name: 'satisfaction' },
            { type: 'panel', name: 'more', visibleIf: '{satisfaction} < 3', elements: [{ type: 'comment', name: 'why', visibleIf: '{satisfaction} notempty' }] },
          ],
        },
      ],
    };
    const questions = questionsOf([{ version: 1, definition }], defaults);
    expect(Object.fromEntries(questions.map((question) => [question.name, question.shownIf]))).toEqual({
      use: null,
      satisfaction: "{use} = 'often'",
      why: "({use} = 'often') and ({satisfaction} < 3) and ({satisfaction} notempty)",
    });
  });

  it('gives names Stata accepts: at most 32 characters, no dots or dashes, unique', () => {
    const names = ['living_together.feel_welcome', 'q-Comment', '1st', 'barriers_administration_openness__barrier_language', 'barriers_administration_openness__barrier_language_x', 'q_Comment'];
    const short = shortNames(names);
    expect(short.slice(0, 3)).toEqual(['living_together_feel_welcome', 'q_Comment', 'v_1st']);
    for (const name of short) expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,31}$/);
    expect(new Set(short).size).toBe(names.length);
  });
});
