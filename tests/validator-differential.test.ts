import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Model, type Question } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import '../api/src/responses/survey-core-locales.ts';
import { messageFor } from '../api/src/i18n/messages.ts';
import { surveyLocalization } from '../api/src/responses/survey-core-locales.ts';
import { AnswerValidator, type AnswerValidation, type Answers } from '../api/src/responses/validate-answers.ts';
import { checkInstrumentSource } from '../api/src/surveys/definition-check.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * The differential test of issue #17 (part 2): the server's validator against survey-core on
 * third-party SurveyJS definitions (tests/fixtures/third-party-surveys/, sources and licences in
 * its index.json). fast-check fills each questionnaire from its own questions (choices, types,
 * matrices, dynamic panels) and mutates the answers; every answer set is judged by
 *
 * - the oracle: a fresh survey-core `Model(definition)`, `data = answers`, `validate(false, false)`;
 * - the server's validator (the module the ingest route uses): a new one (cold), one reused over
 *   the whole run in order, again in reverse order, and the first sets ten times over (warm);
 * - for the served definitions, the real app on a real database (PGlite or DATABASE_URL) over HTTP.
 *
 * It must never accept what survey-core rejects. Where it rejects what survey-core accepts, every
 * error must be one of STRICTER_RULES (docs/reliability.md lists them too). What it stores must be
 * what survey-core keeps on completing the survey (`clearUnusedValues()`, then `data`), except for
 * the documented clean-ups in CLEAN_UPS. Seeded: VALIDATOR_DIFF_SEED reproduces a run,
 * VALIDATOR_DIFF_RUNS sets the answer sets per definition (default 6).
 * Bounded in time as well: past a share of BUDGET_MS proportional to the definitions done, a
 * definition gets only its first two sets (the figures line says how many were judged).
 */

/** The server's rules beyond survey-core, by the message it answers with (locale `en`). */
const en = messageFor('en');
const STRICTER_RULES: Record<string, string> = {
  [en('errors.answer_unknown_question')]: 'an answer under a name that is no question of the version (nor its comment, nor a matrix total)',
  [en('errors.answer_wrong_type')]:
    'a value of the wrong JSON form for its question (a string where a list is expected, a row count that differs from a fixed matrix or panel count, a comment that is not text)',
  [en('errors.answer_invalid_choice')]:
    'a choice value the question does not offer at that moment (survey-core keeps it, or answers with a misleading "required"), a value twice in a multiple choice',
  [en('errors.answer_not_supported')]: 'an answer to a file upload or signature question, which online respondents cannot give here',
  [surveyLocalization.getString('numericError', 'en')]: 'text, or a number that is not finite, in a number question',
  [surveyLocalization.getString('textMaxLength', 'en').split('{0}')[0]!]: 'a text longer than the maxLength of its question',
};
/** How what is stored may differ from what was sent. */
const CLEAN_UPS = [
  'an answer to a hidden question is not stored (survey-core clears it on completing too)',
  'answers inside matrices and dynamic panels to hidden cells, rows and panels are not stored',
  "a client's copy of a value survey-core computes (an expression question, `<matrix>-total`) is not taken; survey-core's own value of top-level expression questions and calculated values kept in results is stored",
] as const;

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/third-party-surveys');
interface IndexEntry {
  file: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
}
const INDEX: IndexEntry[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'index.json'), 'utf8'));
const CORPUS = INDEX.map((entry) => ({
  ...entry,
  definition: JSON.parse(fs.readFileSync(path.join(FIXTURES, entry.file), 'utf8')) as Record<string, unknown>,
}));

const SEED = Number(process.env.VALIDATOR_DIFF_SEED ?? 1703);
const RUNS = Number(process.env.VALIDATOR_DIFF_RUNS ?? 6);
/** The time the module comparison may take; on an idle machine it needs a fraction of it. */
const BUDGET_MS = Number(process.env.VALIDATOR_DIFF_BUDGET_MS ?? 30_000);
const EN = { locale: 'en' as const, districtCodes: [] as string[] };

function freshModel(definition: Record<string, unknown>): Model {
  const model = new Model(definition);
  model.focusOnFirstError = false;
  return model;
}

function oracle(definition: Record<string, unknown>, answers: Answers): { accepts: boolean; keeps: Answers } {
  const model = freshModel(definition);
  try {
    model.data = structuredClone(answers);
  } catch {
    return { accepts: false, keeps: {} }; // survey-core throws on a few values (a number for a dropdown with "other")
  }
  const accepts = model.validate(false, false);
  // What survey-core itself does on completing (doComplete), without the DOM side of completing.
  (model as unknown as { clearUnusedValues(): void }).clearUnusedValues();
  return { accepts, keeps: JSON.parse(JSON.stringify(model.data)) as Answers };
}

// ---- answers built from the questionnaire itself ----

const TEXTS = ['abc', 'Hello world', 'a@b.de', '42', '2024-05-01', 'x'.repeat(120)];
const text = fc.constantFrom(...TEXTS);
const number = fc.oneof(fc.integer({ min: -5, max: 150 }), fc.constantFrom(0, 1, 10, 1000, 1.5));

function choiceValues(question: Question): unknown[] {
  const q = question as unknown as {
    visibleChoices?: { value: unknown }[];
    choices?: { value: unknown }[];
    visibleRateValues?: { value: unknown }[];
  };
  const values = (q.visibleRateValues ?? q.visibleChoices ?? q.choices ?? []).map((item) => item.value);
  return values.length > 0 ? values : ['item1', 'item2'];
}

function columnsOf(question: Question): { name: string; cellType: string; choices: unknown[]; inputType: string }[] {
  const q = question as unknown as { columns: { name: string; cellType: string; choices: { value: unknown }[]; inputType?: string }[]; cellType: string; choices: { value: unknown }[] };
  return q.columns.map((column) => {
    const cellType = column.cellType === 'default' ? q.cellType : column.cellType;
    const choices = (column.choices?.length ? column.choices : q.choices ?? []).map((item) => item.value);
    return { name: column.name, cellType, choices: choices.length ? choices : [1, 2, 3], inputType: column.inputType ?? 'text' };
  });
}

function cellArbitrary(column: { cellType: string; choices: unknown[]; inputType: string }): fc.Arbitrary<unknown> | null {
  switch (column.cellType) {
    case 'text':
      return column.inputType === 'number' ? number : text;
    case 'comment':
      return text;
    case 'boolean':
      return fc.boolean();
    case 'checkbox':
    case 'tagbox':
      return fc.subarray(column.choices, { minLength: 1 });
    case 'expression':
      return null;
    default:
      return fc.constantFrom(...column.choices);
  }
}

function recordOf(entries: [string, fc.Arbitrary<unknown>][]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

/** A value of the question's own form, from its choices, rows, columns, items and template. */
function valueArbitrary(question: Question): fc.Arbitrary<unknown> | null {
  const q = question as unknown as Record<string, any>;
  switch (question.getType()) {
    case 'text':
      return q.inputType === 'number' || q.inputType === 'range' ? number : q.inputType === 'email' ? fc.constantFrom('a@b.de', 'x@example.org') : text;
    case 'comment':
      return text;
    case 'radiogroup':
    case 'dropdown':
    case 'buttongroup':
    case 'rating':
    case 'imagepicker':
      return fc.constantFrom(...choiceValues(question));
    case 'checkbox':
    case 'tagbox':
      return fc.subarray(choiceValues(question), { minLength: 1 });
    case 'ranking':
      return fc.shuffledSubarray(choiceValues(question), { minLength: choiceValues(question).length });
    case 'boolean':
      return fc.constantFrom(q.getValueTrue(), q.getValueFalse());
    case 'matrix': {
      const columns = (q.columns as { value: unknown }[]).map((column) => column.value);
      if (columns.length === 0) return null;
      return recordOf((q.rows as { value: unknown }[]).map((row) => [String(row.value), fc.constantFrom(...columns)]));
    }
    case 'multipletext':
      return recordOf(
        (q.items as { name: string; inputType: string }[]).map((item) => [item.name, item.inputType === 'number' ? number : text]),
      );
    case 'matrixdropdown':
    case 'matrixdynamic': {
      const row = recordOf(
        columnsOf(question)
          .map((column) => [column.name, cellArbitrary(column)] as const)
          .filter((entry): entry is [string, fc.Arbitrary<unknown>] => entry[1] !== null),
      );
      if (question.getType() === 'matrixdynamic') return fc.array(row, { minLength: 0, maxLength: 3 });
      return recordOf((q.rows as { value: unknown }[]).map((r) => [String(r.value), row]));
    }
    case 'paneldynamic': {
      const inner = (q.template.questions as Question[])
        .map((innerQuestion) => [innerQuestion.getValueName(), valueArbitrary(innerQuestion)] as const)
        .filter((entry): entry is [string, fc.Arbitrary<unknown>] => entry[1] !== null);
      return fc.array(recordOf(inner), { minLength: 0, maxLength: 3 });
    }
    default:
      return null; // expression, html, image, file, signaturepad: nothing a respondent types
  }
}

/** All questions of a fresh model with their answer arbitraries (hidden ones too: mutations use them). */
function fillArbitrary(definition: Record<string, unknown>): fc.Arbitrary<Answers> {
  const questions = freshModel(definition).getAllQuestions(false, false, false) as Question[];
  const entries: [string, fc.Arbitrary<unknown>][] = [];
  for (const question of questions) {
    const arbitrary = valueArbitrary(question);
    if (arbitrary && !entries.some(([name]) => name === question.getValueName())) entries.push([question.getValueName(), arbitrary]);
  }
  return recordOf(entries);
}

/** survey-core's own completion of a fill: what a respondent's browser would send after completing. */
function asSurveyCoreWouldSend(definition: Record<string, unknown>, fill: Answers): Answers {
  return oracle(definition, fill).keeps;
}

// ---- mutations ----

const MUTATIONS = [
  'none',
  'drop-required',
  'drop-any',
  'violate-validator',
  'checkbox-all',
  'checkbox-one',
  'checkbox-empty',
  'answer-hidden',
  'answer-read-only',
  'other-without-text',
  'other-text-alone',
  'wrong-type',
  'unknown-name',
  'foreign-choice',
  'extra-row',
  'computed-copy',
] as const;
type Mutation = (typeof MUTATIONS)[number];

const WRONG_VALUES: unknown[] = ['12', 12, true, ['a'], { a: 1 }, '', null];

function mutate(definition: Record<string, unknown>, answers: Answers, mutation: Mutation, pick: number): Answers {
  const model = freshModel(definition);
  model.data = structuredClone(answers);
  const questions = model.getAllQuestions(false, false, false) as Question[];
  const one = <T,>(items: T[]): T | undefined => (items.length ? items[pick % items.length] : undefined);
  const out = structuredClone(answers);
  const set = (question: Question | undefined, value: unknown) => {
    if (question) out[question.getValueName()] = value;
  };
  const any = (question: Question) => question as unknown as Record<string, any>;
  const shown = questions.filter((q) => q.isVisible && q.isParentVisible);
  switch (mutation) {
    case 'none':
      break;
    case 'drop-required': {
      const q = one(shown.filter((question) => question.isRequired));
      if (q) delete out[q.getValueName()];
      break;
    }
    case 'drop-any': {
      const key = one(Object.keys(out));
      if (key) delete out[key];
      break;
    }
    case 'violate-validator': {
      const q = one(questions.filter((question) => question.validators.length > 0 || any(question).min !== undefined || any(question).max !== undefined));
      if (!q) break;
      const validator = one(q.validators)?.getType();
      const wrong: Record<string, unknown> = {
        regexvalidator: '!!! no match',
        numericvalidator: pick % 2 ? 1e6 : -1e6,
        emailvalidator: 'not-an-email',
        textvalidator: pick % 2 ? 'x' : 'x'.repeat(500),
        answercountvalidator: [],
        expressionvalidator: pick % 2 ? 0 : 'zzz',
      };
      set(q, validator ? wrong[validator] : pick % 2 ? 1e6 : -1e6);
      break;
    }
    case 'checkbox-all':
    case 'checkbox-one':
    case 'checkbox-empty': {
      const q = one(questions.filter((question) => ['checkbox', 'tagbox', 'ranking'].includes(question.getType())));
      if (!q) break;
      const values = choiceValues(q);
      set(q, mutation === 'checkbox-all' ? values : mutation === 'checkbox-one' ? values.slice(0, 1) : []);
      break;
    }
    case 'answer-hidden': {
      const q = one(questions.filter((question) => !question.isVisible || !question.isParentVisible));
      if (q) {
        const value = fc.sample(valueArbitrary(q) ?? fc.constant('x'), { numRuns: 1, seed: pick })[0];
        set(q, value);
      }
      break;
    }
    case 'answer-read-only': {
      const q = one(questions.filter((question) => question.isReadOnly));
      if (q) set(q, fc.sample(valueArbitrary(q) ?? fc.constant('x'), { numRuns: 1, seed: pick })[0]);
      break;
    }
    case 'other-without-text':
    case 'other-text-alone': {
      const q = one(questions.filter((question) => any(question).hasOther === true || any(question).showOtherItem === true));
      if (!q) break;
      const name = q.getValueName();
      const otherValue = any(q).otherItem?.value ?? 'other';
      if (mutation === 'other-without-text') {
        out[name] = q.getType() === 'checkbox' ? [otherValue] : otherValue;
        delete out[`${name}-Comment`];
      } else {
        out[`${name}-Comment`] = 'my own answer';
      }
      break;
    }
    case 'wrong-type': {
      const key = one(Object.keys(out)) ?? one(questions)?.getValueName();
      if (key) out[key] = WRONG_VALUES[pick % WRONG_VALUES.length];
      break;
    }
    case 'unknown-name':
      out.no_such_question_xyz = 'x';
      break;
    case 'foreign-choice': {
      const q = one(questions.filter((question) => ['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'rating'].includes(question.getType())));
      if (q) set(q, ['checkbox', 'tagbox'].includes(q.getType()) ? ['not-a-choice'] : 'not-a-choice');
      break;
    }
    case 'extra-row': {
      const q = one(questions.filter((question) => ['matrixdynamic', 'paneldynamic'].includes(question.getType())));
      if (!q) break;
      const current = Array.isArray(out[q.getValueName()]) ? (out[q.getValueName()] as unknown[]) : [];
      set(q, pick % 2 ? [...current, {}] : current.slice(1));
      break;
    }
    case 'computed-copy': {
      const q = one(questions.filter((question) => question.getType() === 'expression' || any(question).hasTotal === true));
      if (q) out[q.getType() === 'expression' ? q.getValueName() : `${q.getValueName()}-total`] = q.getType() === 'expression' ? 999 : { x: 1 };
      break;
    }
  }
  return out;
}

// ---- the comparison ----

interface Case {
  file: string;
  mutation: Mutation;
  answers: Answers;
}
interface Disagreement extends Case {
  kind: 'accepts-what-survey-core-rejects' | 'rejects-without-a-documented-rule' | 'verdict-changes-on-repeat' | 'stores-other-than-was-sent';
  detail: unknown;
}

/** Whether `stored` is `sent` with nested answers left out (CLEAN_UPS, second rule). */
function prunedFrom(sent: unknown, stored: unknown): boolean {
  if (Array.isArray(sent) && Array.isArray(stored)) return sent.length === stored.length && sent.every((item, i) => prunedFrom(item, stored[i]));
  if (isObject(sent) && isObject(stored)) return Object.keys(stored).every((key) => key in sent && prunedFrom(sent[key], stored[key]));
  return JSON.stringify(sent) === JSON.stringify(stored);
}
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What was stored against what was sent, after CLEAN_UPS; the problems found, if any. */
function storedProblems(sent: Answers, stored: Answers, keeps: Answers, computed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(stored)) {
    if (key in sent && !computed.has(key) ? !prunedFrom(sent[key], value) : JSON.stringify(keeps[key]) !== JSON.stringify(value)) {
      problems.push(`${key}: stored ${JSON.stringify(value)}`);
    }
  }
  for (const key of Object.keys(sent)) {
    if (!(key in stored) && key in keeps && !computed.has(key) && !key.endsWith('-total')) problems.push(`${key}: sent and kept by survey-core, not stored`);
  }
  return problems;
}

/** Names under which survey-core computes a value itself. */
function computedNames(definition: Record<string, unknown>): Set<string> {
  const model = freshModel(definition);
  return new Set([
    ...model.getAllQuestions(false, false, false).filter((q) => q.getType() === 'expression').map((q) => q.getValueName()),
    ...model.calculatedValues.filter((value) => value.includeIntoResult).map((value) => value.name),
  ]);
}

function compare(truth: ReturnType<typeof oracle>, computed: ReadonlySet<string>, c: Case, server: AnswerValidation, disagreements: Disagreement[]) {
  if (server.ok && !truth.accepts) {
    disagreements.push({ ...c, kind: 'accepts-what-survey-core-rejects', detail: server.answers });
  } else if (!server.ok && truth.accepts) {
    const undocumented = server.errors.filter((error) => !Object.keys(STRICTER_RULES).some((message) => error.message.startsWith(message)));
    if (undocumented.length > 0) disagreements.push({ ...c, kind: 'rejects-without-a-documented-rule', detail: undocumented });
  }
  if (server.ok) {
    const problems = storedProblems(c.answers, JSON.parse(JSON.stringify(server.answers)) as Answers, truth.keeps, computed);
    if (problems.length > 0) disagreements.push({ ...c, kind: 'stores-other-than-was-sent', detail: problems });
  }
}

const verdictOf = (result: AnswerValidation) => (result.ok ? { ok: true, answers: result.answers } : { ok: false, errors: result.errors });

function report(disagreements: Disagreement[]): string {
  return `${disagreements.length} disagreement(s); reproduce with VALIDATOR_DIFF_SEED=${SEED} VALIDATOR_DIFF_RUNS=${RUNS}\n${disagreements
    .slice(0, 8)
    .map((d) => JSON.stringify(d).slice(0, 1500))
    .join('\n')}`;
}

describe('the server validator against survey-core on third-party definitions (issue #17, part 2)', () => {
  const all: (Case & { server: AnswerValidation; truth: ReturnType<typeof oracle> })[] = [];
  const figures = { definitions: 0, refusedByCatalogue: 0, sets: 0, acceptedBySurveyCore: 0, rejectedStricter: 0, overHttp: 0 };
  const served: string[] = [];

  beforeAll(() => {
    // survey-core warns about the odd properties of its own test fixtures; the verdicts are the point.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterAll(() => vi.restoreAllMocks());

  it('has a corpus of at least 30 definitions, each with its source, commit and licence', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    for (const entry of CORPUS) {
      expect(entry.repository).toMatch(/^https:\/\/github\.com\//);
      expect(entry.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.licence).toBe('MIT');
      expect(() => new Model(entry.definition)).not.toThrow();
    }
  });

  it('never accepts what a fresh survey-core model rejects; refuses only by documented rules; same verdict cold, warm and tenth time', () => {
    const disagreements: Disagreement[] = [];
    fc.configureGlobal({ seed: SEED });
    const slowest: [string, number][] = [];
    const testStarted = performance.now();
    for (const { file, definition } of CORPUS) {
      const started = performance.now();
      figures.definitions++;
      const catalogue = checkInstrumentSource(JSON.stringify({ kind: 'resident', locales: ['de'], translationStatus: { de: 'reviewed' }, definition }));
      if (catalogue.problems.some((problem) => problem.severity === 'error')) figures.refusedByCatalogue++;
      else served.push(file);

      const cases = fc
        .sample(
          fc.tuple(fillArbitrary(definition), fc.constantFrom(...MUTATIONS), fc.nat(1000), fc.boolean()),
          { numRuns: RUNS, seed: SEED + figures.definitions },
        )
        .map(([fill, mutation, pick, completed]) => {
          const base = completed ? asSurveyCoreWouldSend(definition, fill) : fill;
          return { file, mutation, answers: mutate(definition, base, mutation, pick) };
        });

      const computed = computedNames(definition);
      const warm = new AnswerValidator(definition);
      const firstVerdicts: AnswerValidation[] = [];
      const behind = performance.now() - testStarted > (BUDGET_MS * figures.definitions) / CORPUS.length;
      if (behind) cases.splice(2);
      for (const c of cases) {
        const cold = new AnswerValidator(definition).validate(c.answers, EN);
        const warmResult = warm.validate(c.answers, EN);
        firstVerdicts.push(cold);
        const truth = oracle(definition, c.answers);
        compare(truth, computed, c, cold, disagreements);
        figures.sets++;
        if (truth.accepts) figures.acceptedBySurveyCore++;
        if (truth.accepts && !cold.ok) figures.rejectedStricter++;
        all.push({ ...c, server: cold, truth });
        if (JSON.stringify(verdictOf(warmResult)) !== JSON.stringify(verdictOf(cold))) {
          disagreements.push({ ...c, kind: 'verdict-changes-on-repeat', detail: { cold: verdictOf(cold), warm: verdictOf(warmResult) } });
        }
      }
      // Again in reverse order (every set now follows other answers), and the first until its tenth time.
      // (A validator that builds fresh models for every call, see reuseIsUnsafe, has no warm state.)
      const replay = warm.reusesModels ? [...cases.keys()].reverse().concat(Array<number>(9).fill(0)) : [];
      for (const index of replay) {
        const again = warm.validate(cases[index]!.answers, EN);
        if (JSON.stringify(verdictOf(again)) !== JSON.stringify(verdictOf(firstVerdicts[index]!))) {
          disagreements.push({ ...cases[index]!, kind: 'verdict-changes-on-repeat', detail: { first: verdictOf(firstVerdicts[index]!), again: verdictOf(again) } });
        }
      }
      slowest.push([file, Math.round(performance.now() - started)]);
    }
    if (process.env.VALIDATOR_DIFF_DUMP) console.log(JSON.stringify(slowest.sort((a, b) => b[1] - a[1]).slice(0, 8)));
    if (process.env.VALIDATOR_DIFF_DUMP) fs.writeFileSync(process.env.VALIDATOR_DIFF_DUMP, JSON.stringify(disagreements));
    console.log(JSON.stringify({ scenario: 'validator-differential', seed: SEED, runs: RUNS, ...figures, disagreements: disagreements.length }));
    expect(disagreements, report(disagreements)).toEqual([]);
  }, 180_000);

  describe('over HTTP, through the real app on a real database', () => {
    let platform: TestPlatform;
    let surveysDir: string;
    /** A spread: choicesFromQuestion with min/max, standard validators, "other", calculated values, requiredIf, rowsVisibleIf, dynamic panels sharing a valueName, checkbox limits. */
    const OVER_HTTP = ['05-ranking.json', '10-standardvalidators.json', '19-surveyquestiontests.json', '24-calculatedvaluestests.json', '25-question-tagbox-tests.json', '38-infinite-loop.json', '12-inputperpagetests.json', '43-surveyquestiontests.json'];
    const PER_DEFINITION = 6;

    beforeAll(async () => {
      surveysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vielstimmig-third-party-'));
      for (const file of OVER_HTTP) {
        const definition = CORPUS.find((entry) => entry.file === file)!.definition;
        const instrument = { kind: 'resident', locales: ['de'], translationStatus: { de: 'reviewed' }, definition };
        fs.writeFileSync(path.join(surveysDir, file), JSON.stringify(instrument));
      }
      platform = await openTestPlatform({ surveysDir, config: { publicWriteLimitPerMinute: 100_000 } });
    });
    afterAll(async () => {
      await platform?.close();
      if (surveysDir) fs.rmSync(surveysDir, { recursive: true, force: true });
    });

    it('answers each submission as the validator module judges it, and stores what it returned', async () => {
      expect(served).toEqual(expect.arrayContaining(OVER_HTTP));
      const disagreements: Disagreement[] = [];
      for (const file of OVER_HTTP) {
        const slug = file.replace(/\.json$/, '');
        const cases = all.filter((c) => c.file === file).slice(0, PER_DEFINITION);
        for (const c of cases) {
          const id = randomUUID();
          const res = await platform.app.request(`/api/surveys/${slug}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id, version: 1, locale: 'en', answers: c.answers }),
          });
          figures.overHttp++;
          const rows = await platform.database.db.selectFrom('response').select('answers').where('id', '=', id).execute();
          const truth = c.truth;
          if (res.status === 201) {
            if (!truth.accepts) disagreements.push({ ...c, kind: 'accepts-what-survey-core-rejects', detail: 'over HTTP' });
            const stored = rows[0]?.answers;
            // Compared as values, not as text: PostgreSQL's jsonb keeps object keys in its own order
            // (shorter keys first), so the stored text's key order says nothing about the answers.
            if (!c.server.ok || !isDeepStrictEqual(stored, JSON.parse(JSON.stringify(c.server.answers)))) {
              disagreements.push({ ...c, kind: 'stores-other-than-was-sent', detail: { overHttp: stored, module: verdictOf(c.server) } });
            }
          } else {
            expect(rows).toEqual([]);
            const body = (await res.json()) as { error: { code: string } };
            // An empty response is refused by the route (no_answers), a documented rule of its own.
            const explained = body.error.code === 'no_answers' || !c.server.ok;
            if (res.status !== 422 || !explained) disagreements.push({ ...c, kind: 'verdict-changes-on-repeat', detail: { status: res.status, body, module: verdictOf(c.server) } });
          }
        }
      }
      console.log(JSON.stringify({ scenario: 'validator-differential-http', seed: SEED, definitions: OVER_HTTP.length, posted: figures.overHttp }));
      expect(disagreements, report(disagreements)).toEqual([]);
    }, 120_000);
  });
});
