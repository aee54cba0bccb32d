import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import '../api/src/responses/survey-core-locales.ts';
import { AnswerValidator, type Answers } from '../api/src/responses/validate-answers.ts';
import { checkInstrumentSource } from '../api/src/surveys/definition-check.ts';

/**
 * The minimal cases of issue #17 (part 2), each judged by a fresh survey-core model (the oracle:
 * `new Model(definition)`, `data = answers`, `validate(false, false)`) and by the server's validator,
 * cold (a new validator) and warm (one validator reused over the whole sequence, twice). The server
 * may be stricter only by its documented rules; none of these answer sets touches one, so the
 * verdicts must be equal. The third-party corpus and the fast-check mutations are still to come.
 */
const de = { locale: 'de' as const, districtCodes: [] as string[] };

function surveyCoreAccepts(definition: Record<string, unknown>, answers: Answers): boolean {
  const model = new Model(definition);
  model.focusOnFirstError = false;
  model.data = answers;
  return model.validate(false, false);
}

const CASES: { name: string; definition: Record<string, unknown>; answers: Answers[] }[] = [
  {
    name: 'ranking with choicesFromQuestion (selected): no verdict leaks from the previous response',
    definition: {
      pages: [
        {
          name: 'p',
          elements: [
            { type: 'checkbox', name: 'a', choices: ['x', 'y', 'z'] },
            { type: 'ranking', name: 'r', isRequired: true, choicesFromQuestion: 'a', choicesFromQuestionMode: 'selected' },
          ],
        },
      ],
    },
    answers: [{ a: ['x', 'y'] }, { a: ['x', 'y', 'z'], r: ['z', 'y', 'x'] }, { a: ['x', 'y'] }],
  },
  {
    name: 'two dynamic panels sharing a valueName',
    definition: {
      pages: [
        {
          name: 'p',
          elements: [
            { type: 'paneldynamic', name: 'p1', valueName: 'shared', templateElements: [{ type: 'text', name: 't', isRequired: true }] },
            { type: 'paneldynamic', name: 'p2', valueName: 'shared', templateElements: [{ type: 'text', name: 't', isRequired: true }] },
          ],
        },
      ],
    },
    answers: [{ shared: [{ t: 'a' }, { t: 'b' }] }, { shared: [{}] }, { shared: [{ t: 'a' }] }, {}],
  },
  {
    name: 'a page listing its questions under the `questions` alias',
    definition: {
      pages: [
        {
          name: 'p',
          questions: [
            { type: 'text', name: 'age', inputType: 'number', isRequired: true, max: 120 },
            { type: 'text', name: 'mail', validators: [{ type: 'email' }] },
          ],
        },
      ],
    },
    answers: [{}, { age: 500, mail: 'not-an-email' }, { age: 50, mail: 'a@b.de' }, { age: 50 }],
  },
  {
    name: 'two questions sharing a valueName, shown by another answer',
    definition: {
      pages: [
        {
          name: 'p',
          elements: [
            { type: 'radiogroup', name: 'kind', choices: ['a', 'b'] },
            { type: 'text', name: 'q1', valueName: 'v', visibleIf: "{kind} = 'a'" },
            { type: 'text', name: 'q2', valueName: 'v', isRequired: true, visibleIf: "{kind} = 'b'" },
          ],
        },
      ],
    },
    answers: [{ kind: 'b', v: 'hello' }, { kind: 'b' }, { kind: 'a' }, { kind: 'a', v: 'x' }],
  },
  {
    name: 'a matrix column with totalType (survey-core adds <matrix>-total)',
    definition: {
      pages: [
        {
          name: 'p',
          elements: [
            { type: 'matrixdropdown', name: 'm', rows: ['r1', 'r2'], columns: [{ name: 'c', cellType: 'text', inputType: 'number', totalType: 'sum' }] },
          ],
        },
      ],
    },
    answers: [{ m: { r1: { c: 3 }, r2: { c: 4 } }, 'm-total': { c: 7 } }, { m: { r1: { c: 1 } } }],
  },
];

describe('the server validator agrees with a fresh survey-core model (minimal cases of #17)', () => {
  for (const { name, definition, answers } of CASES) {
    it(name, () => {
      const warm = new AnswerValidator(definition);
      for (let round = 0; round < 2; round++) {
        for (const set of answers) {
          const expected = surveyCoreAccepts(definition, set);
          expect({ set, cold: new AnswerValidator(definition).validate(set, de).ok }).toEqual({ set, cold: expected });
          expect({ set, round, warm: warm.validate(set, de).ok }).toEqual({ set, round, warm: expected });
        }
      }
    });
  }

  it('stores a shared-valueName answer while the question holding it is shown', () => {
    const { definition } = CASES[3]!;
    const result = new AnswerValidator(definition).validate({ kind: 'b', v: 'hello' }, de);
    expect(result).toEqual({ ok: true, answers: { kind: 'b', v: 'hello' } });
  });
});

describe('catalogue: what survey-core serves is not refused for form alone', () => {
  const file = (definition: Record<string, unknown>) =>
    JSON.stringify({ kind: 'resident', locales: ['de'], translationStatus: { de: 'reviewed' }, definition });
  const errorsOf = (definition: Record<string, unknown>) =>
    checkInstrumentSource(file(definition)).problems.filter((problem) => problem.severity === 'error');

  it('accepts pages without a name, a page and a question of the same name, a blank title, and unknown properties (as a warning)', () => {
    const definition = {
      title: ' ',
      pages: [
        { elements: [{ type: 'text', name: 'a', title: 'A' }] },
        { name: 'b', elements: [{ type: 'text', name: 'b', title: 'B', someNewCreatorProperty: true }] },
      ],
    };
    expect(errorsOf(definition)).toEqual([]);
    const lints = checkInstrumentSource(file(definition)).problems.filter((problem) => problem.severity === 'lint');
    expect(lints.some((problem) => problem.message.includes('someNewCreatorProperty'))).toBe(true);
  });

  it('still refuses a question name used twice, also under the `questions` alias', () => {
    const definition = { pages: [{ name: 'p', questions: [{ type: 'text', name: 'a', title: 'A' }, { type: 'text', name: 'a', title: 'A2' }] }] };
    expect(errorsOf(definition).map((problem) => problem.where)).toContain('question a');
  });

  it('still refuses an unregistered question type', () => {
    expect(errorsOf({ pages: [{ name: 'p', elements: [{ type: 'no-such-type', name: 'a', title: 'A' }] }] }).length).toBeGreaterThan(0);
  });
});
