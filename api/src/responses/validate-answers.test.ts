import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Model, type QuestionSelectBase } from 'survey-core';
import { describe, expect, it, vi } from 'vitest';
import { generateAnswers, seededRandom } from '../../../tests/support/answer-generator.ts';
import { FIXTURE_SURVEYS_DIR, REAL_SURVEYS_DIR } from '../../../tests/support/test-platform.ts';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { splitByRules } from './ruled-questions.ts';
import { AnswerValidator, type AnswerValidation, type Answers } from './validate-answers.ts';

const definition = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS_DIR, 'conditional.json'), 'utf8')).definition;
const DISTRICTS = ['buettelborn', 'klein-gerau', 'worfelden'];
const de = { locale: 'de' as Locale, districtCodes: DISTRICTS };

/** A complete, valid response to tests/fixtures/surveys/conditional.json (parent branch). */
const complete: Answers = {
  district: 'worfelden',
  children: 'yes',
  children_count: 2,
  children_ages: ['under_6'],
  household_size: 4,
  languages_home: ['german', 'other'],
  'languages_home-Comment': 'Kurdisch',
  satisfaction: 4,
  newcomer: false,
  remarks: 'Mehr Bänke im Park.',
  living_together: { neighbours: 'agree', streets: 'disagree' },
  opening_hours: { from: 9, to: 17 },
  offers: [{ title: 'Sprachcafé', audience: 'adults' }, { title: 'Hausaufgabenhilfe', audience: 'children', min_age: 6 }],
  offer_use: { library: { use: 'yes' }, sports: { use: 'no' } },
  daycare_satisfied: 'yes',
  support_contact: true,
};

function errorsOf(result: AnswerValidation) {
  if (result.ok) throw new Error(`expected errors, the answers were accepted: ${JSON.stringify(result.answers)}`);
  return result.errors;
}

function acceptedAnswers(result: AnswerValidation) {
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.errors)}`);
  return result.answers;
}

describe('AnswerValidator (survey-core plus the checks it leaves out)', () => {
  const validator = new AnswerValidator(definition);

  it('accepts a complete valid response and keeps every answer, with computed values recomputed', () => {
    const stored = acceptedAnswers(validator.validate({ ...complete, is_parent: false }, de));
    expect(stored).toEqual({ ...complete, is_parent: true });
  });

  it('accepts a required question left empty when visibleIf hides it', () => {
    expect(acceptedAnswers(validator.validate({ children: 'no' }, de))).toEqual({ children: 'no', is_parent: false });
  });

  it('refuses a visible required question left empty, with survey-core message in the locale', () => {
    const errors = errorsOf(validator.validate({ children: 'yes', household_size: 3, daycare_satisfied: 'yes', support_wish: 'Zeit' }, de));
    // The household_size validator compares with children_count, so it objects as well.
    expect(errors).toEqual([
      { question: 'children_count', message: 'Bitte beantworten Sie diese Frage.' },
      { question: 'household_size', message: 'Im Haushalt leben mehr Personen als Kinder.' },
    ]);
  });

  it('runs the questionnaire’s validators, also on a question left empty', () => {
    const parent = { children: 'yes', children_count: 2, daycare_satisfied: 'yes', support_contact: false };
    const message = 'Im Haushalt leben mehr Personen als Kinder.';
    expect(errorsOf(validator.validate({ ...parent, household_size: 2 }, de))).toEqual([{ question: 'household_size', message }]);
    expect(errorsOf(validator.validate(parent, de))).toEqual([{ question: 'household_size', message }]);
    expect(validator.validate({ ...parent, household_size: 3 }, de).ok).toBe(true);
  });

  it('refuses a required panel with no answer in it', () => {
    const errors = errorsOf(validator.validate({ children: 'yes', children_count: 1, household_size: 2, daycare_satisfied: 'no' }, de));
    expect(errors).toEqual([{ question: 'support', message: 'Bitte beantworten Sie mindestens eine Frage.' }]);
  });

  it('drops answers to hidden questions, also along a chain of visibleIf and on hidden pages', () => {
    const stored = acceptedAnswers(
      validator.validate({ children: 'no', children_count: 3, children_ages: ['6_17'], daycare_satisfied: 'no' }, de),
    );
    // children_count is hidden by `children`, children_ages only by the dropped children_count.
    expect(stored).toEqual({ children: 'no', is_parent: false });
  });

  it('drops answers to hidden questions inside a dynamic panel', () => {
    const stored = acceptedAnswers(validator.validate({ children: 'no', offers: [{ title: 'Chor', audience: 'adults', min_age: 12 }] }, de));
    expect(stored.offers).toEqual([{ title: 'Chor', audience: 'adults' }]);
  });

  it('refuses unknown question names and names them, at the top level and nested', () => {
    const errors = errorsOf(validator.validate({ children: 'no', favourite_colour: 'blue' }, de));
    expect(errors).toEqual([{ question: 'favourite_colour', message: 'Diese Frage gibt es in diesem Fragebogen nicht.' }]);
    const nested = errorsOf(validator.validate({ children: 'no', offers: [{ title: 'Chor', room: 'A' }], living_together: { kitchen: 'agree' } }, de));
    expect(nested.map((error) => error.question).sort()).toEqual(['living_together.kitchen', 'offers[0].room']);
  });

  it('refuses a display-only element as an answer key', () => {
    expect(errorsOf(validator.validate({ children: 'no', note: 'x' }, de))[0]!.question).toBe('note');
  });

  it('refuses values outside the choices: radio, checkbox, rating, boolean, matrix, matrix cell', () => {
    const cases: [Answers, string][] = [
      [{ children: 'maybe' }, 'children'],
      [{ children: 'no', languages_home: ['german', 'klingon'] }, 'languages_home'],
      [{ children: 'no', languages_home: ['german', 'german'] }, 'languages_home'],
      [{ children: 'no', satisfaction: 6 }, 'satisfaction'],
      [{ children: 'no', satisfaction: '4' }, 'satisfaction'],
      [{ children: 'no', newcomer: 'yes' }, 'newcomer'],
      [{ children: 'no', living_together: { neighbours: 'strongly_agree', streets: 'agree' } }, 'living_together.neighbours'],
      [{ children: 'no', offer_use: { library: { use: 'often' } } }, 'offer_use.library.use'],
      [{ children: 'no', offer_use: { cinema: { use: 'yes' } } }, 'offer_use.cinema'],
      [{ children: 'no', offers: [{ title: 'Chor', audience: 'pets' }] }, 'offers[0].audience'],
    ];
    for (const [answers, question] of cases) {
      const errors = errorsOf(validator.validate(answers, de));
      expect(errors, JSON.stringify(answers)).toEqual([
        { question, message: question === 'offer_use.cinema' ? 'Diese Frage gibt es in diesem Fragebogen nicht.' : 'Diese Antwort gehört nicht zu den Antwortmöglichkeiten.' },
      ]);
    }
  });

  it('refuses numbers out of range with survey-core message, and text in a number question', () => {
    const parent = { children: 'yes', household_size: 50, daycare_satisfied: 'no', support_contact: true };
    expect(errorsOf(validator.validate({ ...parent, children_count: 40 }, de))).toEqual([
      { question: 'children_count', message: 'Der Wert sollte nicht größer als 15 sein' },
    ]);
    expect(errorsOf(validator.validate({ ...parent, children_count: 0 }, de))[0]!.question).toBe('children_count');
    const text = errorsOf(validator.validate({ ...parent, children_count: 'zwei' }, de));
    expect(text).toEqual([{ question: 'children_count', message: 'Der Wert muss eine Zahl sein.' }]);
    expect(errorsOf(validator.validate({ children: 'no', opening_hours: { from: 'neun' } }, de))[0]!.question).toBe('opening_hours.from');
  });

  it('refuses values of the wrong JavaScript type', () => {
    const cases: [Answers, string][] = [
      [{ children: 'no', languages_home: 'german' }, 'languages_home'],
      [{ children: 'no', remarks: 42 }, 'remarks'],
      [{ children: 'no', remarks: { text: 'x' } }, 'remarks'],
      [{ children: 'no', offers: 'Chor' }, 'offers'],
      [{ children: 'no', offers: ['Chor'] }, 'offers'],
      [{ children: 'no', living_together: ['agree'] }, 'living_together'],
      [{ children: 'no', 'languages_home-Comment': ['x'] }, 'languages_home-Comment'],
      [{ children: ['no'] }, 'children'],
    ];
    for (const [answers, question] of cases) {
      const errors = errorsOf(validator.validate(answers, de));
      expect(errors.map((error) => error.question), JSON.stringify(answers)).toEqual([question]);
    }
  });

  it('enforces maxLength of free text', () => {
    const errors = errorsOf(validator.validate({ children: 'no', remarks: 'x'.repeat(201) }, de));
    expect(errors).toEqual([{ question: 'remarks', message: 'Bitte geben Sie nicht mehr als 200 Zeichen ein.' }]);
  });

  it('reports a required question inside a dynamic panel by its path', () => {
    const errors = errorsOf(validator.validate({ children: 'no', offers: [{ title: 'Chor' }, { audience: 'adults' }] }, de));
    expect(errors.map((error) => error.question)).toEqual(['offers[1].title']);
  });

  it('takes the district choices from the town, and follows when they change', () => {
    expect(validator.validate({ children: 'no', district: 'worfelden' }, de).ok).toBe(true);
    expect(errorsOf(validator.validate({ children: 'no', district: 'atlantis' }, de))[0]!.question).toBe('district');
    const grown = { locale: 'de' as Locale, districtCodes: [...DISTRICTS, 'atlantis'] };
    expect(validator.validate({ children: 'no', district: 'atlantis' }, grown).ok).toBe(true);
    expect(validator.validate({ children: 'no', district: 'atlantis' }, de).ok).toBe(false);
  });

  it('gives every message in the respondent’s locale: Turkish differs from German, Leichte Sprache is plain', () => {
    const answers = { children: 'yes', children_count: 99, household_size: 100, daycare_satisfied: 'yes', support_contact: true, hobby: 'chess' };
    const messages = (locale: Locale) => {
      const result = validator.validate(answers, { locale, districtCodes: DISTRICTS });
      // The unknown name is reported first and alone: the model never sees a misnamed answer.
      return errorsOf(result).map((error) => error.message);
    };
    expect(messages('tr')).not.toEqual(messages('de'));
    expect(messages('tr')).toEqual(['Bu soru bu ankette yok.']);
    const range = (locale: Locale) =>
      errorsOf(
        validator.validate(
          { children: 'yes', children_count: 99, household_size: 100, daycare_satisfied: 'yes', support_contact: true },
          { locale, districtCodes: DISTRICTS },
        ),
      )[0]!
        .message;
    expect(range('tr')).toBe("Değer 15'dan büyük olmamalıdır");
    expect(range('de-x-easy')).toBe('Die Zahl ist zu groß. Die größte Zahl ist 15.');
    expect(new Set(SUPPORTED_LOCALES.map(range)).size).toBe(SUPPORTED_LOCALES.length);
  });
});

describe('a reused validator keeps no state between responses', () => {
  // Answers drawn from the fixture's questions, valid and invalid alike, so both paths are exercised.
  // Plain prototypes, as JSON.parse makes them.
  const answerArbitrary = fc.record(
    {
      district: fc.constantFrom('worfelden', 'buettelborn', 'atlantis'),
      children: fc.constantFrom('yes', 'no', 'maybe'),
      children_count: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constant('drei')),
      children_ages: fc.subarray(['under_6', '6_17']),
      household_size: fc.integer({ min: 0, max: 8 }),
      languages_home: fc.subarray(['german', 'turkish', 'other']),
      'languages_home-Comment': fc.string({ maxLength: 5 }),
      satisfaction: fc.integer({ min: 0, max: 6 }),
      newcomer: fc.boolean(),
      living_together: fc.record({ neighbours: fc.constantFrom('agree', 'disagree', 'maybe') }, { requiredKeys: [], noNullPrototype: true }),
      offers: fc.array(
        fc.record(
          { title: fc.string({ maxLength: 4 }), audience: fc.constantFrom('children', 'adults'), min_age: fc.nat(20) },
          { requiredKeys: [], noNullPrototype: true },
        ),
        { maxLength: 3 },
      ),
      offer_use: fc.record(
        { library: fc.record({ use: fc.constantFrom('yes', 'no') }, { noNullPrototype: true }) },
        { requiredKeys: [], noNullPrototype: true },
      ),
      daycare_satisfied: fc.constantFrom('yes', 'no'),
      support_contact: fc.boolean(),
    },
    { requiredKeys: [], noNullPrototype: true },
  );
  const localeArbitrary = fc.constantFrom(...SUPPORTED_LOCALES);
  // Mostly valid answers, so that many get past the type checks to survey-core itself.
  const validLeaning = fc.record(
    {
      district: fc.constantFrom(...DISTRICTS),
      children: fc.constantFrom('yes', 'no'),
      children_count: fc.integer({ min: 1, max: 15 }),
      children_ages: fc.subarray(['under_6', '6_17']),
      household_size: fc.integer({ min: 1, max: 20 }),
      languages_home: fc.subarray(['german', 'turkish', 'other']),
      satisfaction: fc.integer({ min: 1, max: 5 }),
      remarks: fc.string({ maxLength: 10 }),
      living_together: fc.record({ neighbours: fc.constantFrom('agree', 'disagree') }, { requiredKeys: [], noNullPrototype: true }),
      offers: fc.array(
        fc.record({ title: fc.string({ minLength: 1, maxLength: 4 }), audience: fc.constantFrom('children', 'adults') }, { noNullPrototype: true }),
        { maxLength: 2 },
      ),
      daycare_satisfied: fc.constantFrom('yes', 'no'),
      support_contact: fc.boolean(),
      support_wish: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: ['children'], noNullPrototype: true },
  );

  it('gives the same verdict as a fresh model for every response in any sequence', () => {
    const reused = new AnswerValidator(definition);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(answerArbitrary, validLeaning), localeArbitrary), { minLength: 1, maxLength: 3 }), (sequence) => {
        for (const [answers, locale] of sequence) {
          const options = { locale, districtCodes: DISTRICTS };
          const fresh = new AnswerValidator(definition).validate(answers, options);
          expect(reused.validate(answers, options)).toEqual(fresh);
        }
      }),
      {
        numRuns: 12,
        // Errors on a question of a page that the next response hides must not be reported again.
        examples: [[[[{ children: 'yes' }, 'de'], [{ children: 'no' }, 'de']]]],
      },
    );
  });

  it('never accepts what survey-core’s full model.validate() would refuse (questions it skips cannot fail)', () => {
    const validator = new AnswerValidator(definition);
    const plain = new Model(definition);
    plain.focusOnFirstError = false;
    (plain.getQuestionByName('district') as QuestionSelectBase).choices = DISTRICTS;
    let accepted = 0;
    fc.assert(
      fc.property(validLeaning, (answers) => {
        const result = validator.validate(answers, de);
        if (!result.ok) return;
        accepted++;
        plain.data = result.answers;
        expect(plain.validate(true, false)).toBe(true);
      }),
      { numRuns: 60 },
    );
    // The property says nothing if (almost) everything is refused.
    expect(accepted).toBeGreaterThan(15);
  });
});

describe('on the real resident baseline, the split validator agrees with survey-core’s whole model', () => {
  const baseline = JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, 'resident-baseline.json'), 'utf8')).definition;

  // The reference: the whole questionnaire in one model, hidden answers dropped until none is left.
  const model = new Model(baseline);
  model.focusOnFirstError = false;
  (model.getQuestionByName('district') as QuestionSelectBase).choices = DISTRICTS;
  function oracle(answers: Answers): { stored: Answers; ok: boolean } {
    let current = answers;
    for (;;) {
      model.data = current;
      const kept = Object.fromEntries(
        Object.entries(current).filter(([key]) => {
          const question = model.getQuestionByValueName(key);
          return question.isVisible && question.isParentVisible;
        }),
      );
      if (Object.keys(kept).length === Object.keys(current).length) break;
      current = kept;
    }
    return { stored: current, ok: model.validate(true, false) };
  }

  it('keeps and drops the same answers and reaches the same verdict', () => {
    const validator = new AnswerValidator(baseline);
    const fields = ['language_education', 'work_economy', 'health', 'housing_neighbourhood', 'sport_culture', 'encounter'];
    // Generating answers builds a whole model; a handful of respondents, varied by fast-check, will do.
    const respondents = Array.from({ length: 6 }, (_, seed) => generateAnswers(baseline, { districtCodes: DISTRICTS, random: seededRandom(seed + 1) }));
    // Few distinct years, so that the validator often meets answers it has judged before (it
    // remembers the reduced model's verdicts on this questionnaire) and must still agree.
    const years = fc.option(fc.constantFrom(-5, 0, 12, 100, 101, 130));
    const noisyAnswers = fc.tuple(fc.nat(respondents.length - 1), fc.subarray(fields), years, fc.boolean()).map(
      ([respondent, hiddenSatisfaction, years, discriminationWhere]) => {
        const answers = structuredClone(respondents[respondent]!);
        // Answers to questions the respondent may not have seen, and numbers out of range.
        for (const field of hiddenSatisfaction) answers[`satisfaction_${field}`] = 3;
        if (years !== null) answers.years_in_town = years;
        if (discriminationWhere) answers.discrimination_where = ['work'];
        return answers;
      },
    );
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(noisyAnswers, (answers) => {
        const expected = oracle(answers);
        const result = validator.validate(answers, de);
        expect(result.ok).toBe(expected.ok);
        if (result.ok) {
          accepted++;
          expect(result.answers).toEqual(expected.stored);
        } else {
          refused++;
          // The messages, too, are those of a validator that has seen nothing before.
          expect(result).toEqual(new AnswerValidator(baseline).validate(answers, de));
        }
      }),
      { numRuns: 40 },
    );
    expect(accepted).toBeGreaterThan(3);
    expect(refused).toBeGreaterThan(2);
  });
});

describe('a remembered verdict is never one that could have changed', () => {
  it('recomputes values of expressions that call functions: age() depends on the day', () => {
    const withAge = {
      pages: [
        {
          name: 'p1',
          elements: [
            { type: 'text', name: 'birth_date', inputType: 'date' },
            { type: 'expression', name: 'age_now', expression: 'age({birth_date})' },
          ],
        },
      ],
    };
    const validator = new AnswerValidator(withAge);
    const answers = { birth_date: '1950-05-01' };
    const ageOn = (day: string) => {
      vi.setSystemTime(new Date(`${day}T12:00:00Z`));
      return acceptedAnswers(validator.validate(answers, de)).age_now;
    };
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      expect(ageOn('1990-01-01')).toBe(39);
      expect(ageOn('2026-11-26')).toBe(76);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('questions judged alone (rules on their own answer only) get a fresh survey-core model’s verdict, cold or warm', () => {
  const alone = {
    pages: [
      {
        name: 'p1',
        elements: [
          { type: 'radiogroup', name: 'show', choices: ['yes', 'no'] },
          {
            type: 'checkbox',
            name: 'barriers',
            choices: ['a', 'b', 'c', { value: 'dont_know', text: 'Weiß nicht', isExclusive: true }],
            showNoneItem: true,
            showOtherItem: true,
            minSelectedChoices: 1,
            maxSelectedChoices: 2,
          },
          { type: 'radiogroup', name: 'employment', choices: ['work', 'school'], showOtherItem: true, isRequired: true, visibleIf: "{show} = 'yes'" },
          { type: 'dropdown', name: 'tenure', choices: ['rent', 'own'], showOtherItem: true },
          { type: 'text', name: 'years', inputType: 'number', min: 0, max: 10 },
          { type: 'text', name: 'code', validators: [{ type: 'regex', regex: '^[0-9]{5}$' }] },
          { type: 'checkbox', name: 'topics', choices: ['x', 'y', 'z'], isRequired: true, validators: [{ type: 'answercount', maxCount: 2 }] },
        ],
      },
    ],
  };

  it('takes exactly these questions out of the model (and keeps one another question reads)', () => {
    expect([...splitByRules(alone)!.alone.keys()]).toEqual(['barriers', 'employment', 'tenure', 'years', 'code', 'topics']);
    const piped = structuredClone(alone) as typeof alone;
    piped.pages[0]!.elements.push({ type: 'html', name: 'note', html: 'Sie nannten {years} Jahre.' } as never);
    expect(splitByRules(piped)!.alone.has('years')).toBe(false);
    expect(splitByRules(piped)!.kept.has('years')).toBe(true);
  });

  /** The oracle: a fresh model of the whole definition holding the answers as sent. */
  function surveyCoreAccepts(answers: Answers): boolean {
    const model = new Model(alone);
    model.focusOnFirstError = false;
    model.data = answers;
    return model.validate(false, false);
  }

  const comments = fc.option(fc.oneof(fc.constantFrom('', ' ', '\n', '0', 'false', 'null', 'x'), fc.string({ maxLength: 6 })), { nil: undefined });
  const answersArbitrary = fc
    .record(
      {
        show: fc.constantFrom('yes', 'no'),
        barriers: fc.subarray(['a', 'b', 'c', 'dont_know', 'none', 'other']),
        'barriers-Comment': comments,
        employment: fc.constantFrom('work', 'school', 'other'),
        'employment-Comment': comments,
        tenure: fc.constantFrom('rent', 'own', 'other'),
        'tenure-Comment': comments,
        years: fc.integer({ min: -2, max: 12 }),
        code: fc.constantFrom('12345', '1234', 'abcde', ''),
        topics: fc.subarray(['x', 'y', 'z']),
      },
      { requiredKeys: [], noNullPrototype: true },
    )
    // An absent comment is left out, not sent as undefined.
    .map((answers) => Object.fromEntries(Object.entries(answers).filter(([, value]) => value !== undefined)) as Answers);

  it('survey-core’s verdict depends on an "other" text only through whether it is empty (what the verdicts are remembered by)', () => {
    fc.assert(
      fc.property(answersArbitrary, (answers) => {
        const representative: Answers = { ...answers };
        for (const key of Object.keys(answers).filter((name) => name.endsWith('-Comment'))) representative[key] = answers[key] ? 'x' : '';
        expect(surveyCoreAccepts(representative)).toBe(surveyCoreAccepts(answers));
      }),
      { numRuns: 80 },
    );
  });

  it('accepts exactly what survey-core accepts, first time or after any other responses, with a cold validator’s messages', () => {
    const warm = new AnswerValidator(alone);
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(answersArbitrary, { minLength: 1, maxLength: 4 }), (sequence) => {
        for (const answers of sequence) {
          const result = warm.validate(answers, de);
          expect(result.ok).toBe(surveyCoreAccepts(answers));
          expect(result).toEqual(new AnswerValidator(alone).validate(answers, de));
          if (result.ok) accepted++;
          else refused++;
        }
      }),
      {
        numRuns: 25,
        examples: [
          // The same "other" after a filled-in one, and a blank after a space: remembered by emptiness only.
          [[{ barriers: ['other'], 'barriers-Comment': 'Treppen' }, { barriers: ['other'] }, { barriers: ['other'], 'barriers-Comment': ' ' }, { barriers: ['other'], 'barriers-Comment': '' }]],
          // Valid ones: whatever else is drawn, the property also meets acceptances.
          [[{ barriers: ['a'], topics: ['x'] }, { show: 'yes', employment: 'other', 'employment-Comment': 'Rente', topics: ['y'] }, { barriers: ['other'], 'barriers-Comment': ' ', topics: ['x', 'z'], years: 10 }, { show: 'no', tenure: 'other', 'tenure-Comment': 'Wohngemeinschaft', code: '64283', topics: ['z'] }]],
          // Too many selected, then none, then a required question left empty when shown and when hidden.
          [[{ barriers: ['a', 'b', 'c'], topics: ['x'] }, { barriers: ['none', 'a'], topics: ['x'] }, { show: 'yes', topics: ['x'] }, { show: 'no', topics: ['x'] }]],
        ],
      },
    );
    expect(accepted).toBeGreaterThan(3);
    expect(refused).toBeGreaterThan(10);
  });
});
