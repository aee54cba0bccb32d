import {
  ExpressionRunner,
  Model,
  settings,
  type PanelModel,
  type Question,
  type QuestionMatrixDropdownModelBase,
  type QuestionMultipleTextModel,
  type QuestionPanelDynamicModel,
  type QuestionSelectBase,
} from 'survey-core';
import type { Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { checkAnswerObject, indexAnswerKeys, isShown, markChoicesFixed, shapeProblem, type AnswerKey, type ValueProblem } from './answer-values.ts';
import { withElementsAlias } from '../surveys/element-lists.ts';
import { surveyJsLocale } from '../shared/survey-core-setup.ts';
import { splitByRules } from './ruled-questions.ts';
import { surveyLocalization } from './survey-core-locales.ts';

export type Answers = Record<string, unknown>;

export interface AnswerError {
  /** The question's name (`age`), or a path into a nested answer (`offers[1].title`). */
  question: string;
  /** Already in the respondent's locale. */
  message: string;
}

export type AnswerValidation = { ok: true; answers: Answers } | { ok: false; errors: AnswerError[] };

/**
 * Questions whose choices are the town's districts: the instruments leave their `choices` empty and
 * the app (client and server alike) fills in the codes from the district table.
 */
export const DISTRICT_QUESTION_NAMES: ReadonlySet<string> = new Set(['district', 'districts_active', 'offer_districts']);

export interface ValidateOptions {
  locale: Locale;
  /** The district codes of the town, in display order. */
  districtCodes: readonly string[];
}

/**
 * Checks a response against one survey version with survey-core itself, plus the checks
 * survey-core leaves out. One instance per version is reused across requests, because building a
 * Model costs milliseconds; every call replaces the model's whole data (and, when it reports errors,
 * its locale), and no `await` runs in between, so no request can see another's answers.
 *
 * Two models of the version are kept: `catalogue` holds the whole questionnaire and never receives
 * answers (question types and fixed choices are read from it); `rules` holds only the questions
 * survey-core has a rule for beyond a visibility condition, and receives every response's answers;
 * visibility conditions of the other questions run on survey-core's expression engine (see
 * ruled-questions.ts). That keeps survey-core's verdict while sparing it the work on questions it
 * has nothing to decide about, which is most of a long questionnaire.
 */
export class AnswerValidator {
  private readonly catalogue: Model;
  private readonly rules: Model;
  /** Every question outside dynamic panels and matrices, taken from `rules` where it is there. */
  private readonly topLevelQuestions: Question[];
  /** The questions of `rules`, the only ones survey-core validates. */
  private readonly ruledQuestions: Question[];
  private readonly answerKeys: Map<string, AnswerKey>;
  /** Questions whose only rule is when they are shown: their conditions, compiled once. */
  private readonly shownWhen: Map<string, CompiledCondition[]>;
  /**
   * Whether each rule-free question is shown. Their questions live in `catalogue`, which never
   * receives answers, so the answer cannot change; asking survey-core each time would walk the
   * question's page and panels once per answer.
   */
  private readonly fixedVisibility = new Map<Question, boolean>();
  /** Lower-case names of the answers `rules` can read (see RuledDefinition.reads); null: all. */
  private readonly modelReads: ReadonlySet<string> | null;
  /**
   * survey-core's verdicts, by the answers `rules` reads, when they depend on nothing else (see
   * verdictsArePure); null when they may, and each response is judged by the model afresh.
   */
  private readonly verdicts: Map<string, ModelVerdict> | null;
  /** Questions survey-core judges alone, each in a model of its own (see ruled-questions.ts). */
  private readonly alone: AloneQuestion[];
  /** The verdict on the answers the model was last asked about. */
  private verdict: ModelVerdict = NO_VERDICT;
  private readonly commentSuffix: string;
  private appliedDistricts: string | null = null;
  /** The answers the conditions in `shownWhen` are evaluated over (what `rules` holds). */
  private currentAnswers: Answers = {};
  /** Their keys by lower-case name: survey-core matches variable names regardless of case. */
  private currentKeys = new Map<string, string>();

  /** The definition, with `questions` read as `elements`; kept for fresh models (see reuseIsUnsafe). */
  private readonly definition: Record<string, unknown>;
  /** A model that must not be reused: every validation builds a fresh validator (see reuseIsUnsafe). */
  private freshEachTime: boolean;
  /** Answer keys survey-core computes for matrices with totals (`<matrix>-total`): a client's copy is ignored. */
  private readonly totalKeys: ReadonlySet<string>;
  /** survey-core threw while this validator's model held answers: it is not reused (see validateOnce). */
  private broken = false;
  /** Told once this validator breaks (validatorFor drops it from its cache). */
  onBroken: (() => void) | null = null;

  constructor(definition: Record<string, unknown>, options: { fresh?: boolean } = {}) {
    definition = withElementsAlias(definition);
    this.definition = definition;
    this.freshEachTime = !options.fresh && reuseIsUnsafe(definition);
    this.catalogue = new Model(definition);
    // An "other" text kept in the value itself stays in the question's state after `data = …`.
    if (!options.fresh && otherTextInValue(this.catalogue)) this.freshEachTime = true;
    // A fresh validator judges one response: models of single questions would cost more than they spare.
    const split = splitByRules(definition, { alone: !options.fresh, keep: DISTRICT_QUESTION_NAMES });
    this.rules = split ? new Model(split.definition) : this.catalogue;
    // Page-level focus handling touches the DOM environment and throws in Node (STACK.md).
    this.rules.focusOnFirstError = false;
    this.ruledQuestions = this.rules.getAllQuestions(false, false, false);
    this.topLevelQuestions = this.catalogue
      .getAllQuestions(false, false, false)
      .map((question) => this.rules.getQuestionByName(question.name) ?? question);
    const commentSuffix = this.catalogue.commentSuffix || settings.commentSuffix;
    this.commentSuffix = commentSuffix.toLowerCase();
    this.modelReads = split?.reads ?? null;
    this.answerKeys = indexAnswerKeys(this.topLevelQuestions, commentSuffix);
    this.totalKeys = new Set(
      this.topLevelQuestions
        .filter((question) => (question as unknown as { hasTotal?: boolean }).hasTotal === true)
        .map((question) => `${question.getValueName()}${settings.matrix.totalsSuffix}`),
    );
    this.shownWhen = new Map(
      [...(split?.shownWhen ?? [])].map(([name, conditions]) => [name, conditions.map((condition) => compileCondition(condition))]),
    );
    this.alone = [...(split?.alone ?? [])].map(([name, json]) => {
      const question = this.catalogue.getQuestionByName(name);
      const valueName = question.getValueName();
      const { pages: _pages, ...frame } = definition;
      // Whether it is shown is decided outside (its conditions read other answers, absent here).
      const { visibleIf: _visibleIf, ...own } = json;
      const alone = { ...frame, pages: [{ name: 'alone', elements: [own] }] };
      return { question, json: alone, valueName, commentKey: `${valueName}${commentSuffix}`, model: null, verdicts: new Map() };
    });
    this.verdicts = split && verdictsArePure(split.definition, this.ruledQuestions) ? new Map() : null;
    // Questions taken from the catalogue have the choices of the definition, whatever the answers
    // (district questions aside: their choices follow the district table).
    for (const question of this.topLevelQuestions) {
      const fromCatalogue = this.catalogue !== this.rules && question.survey === this.catalogue;
      if (fromCatalogue && !DISTRICT_QUESTION_NAMES.has(question.name)) markChoicesFixed(question);
      if (fromCatalogue && !this.shownWhen.has(question.name)) this.fixedVisibility.set(question, isShown(question));
    }
  }

  /** Whether calls reuse this validator's models (false: each builds fresh ones, see reuseIsUnsafe). */
  get reusesModels(): boolean {
    return !this.freshEachTime && !this.broken;
  }

  /**
   * Whether the question behind an answer key is shown, given the answers the model now holds:
   * evaluated by survey-core, through the model or, for questions whose only rule is a condition,
   * through its expression engine over the same answers.
   */
  private readonly isShownNow = (entry: AnswerKey): boolean =>
    // A shared valueName: the answer is kept while any of its questions is shown.
    [entry.question, ...entry.sharing].some((question) => this.isQuestionShownNow(question));

  private isQuestionShownNow(question: Question): boolean {
    const fixed = this.fixedVisibility.get(question);
    if (fixed !== undefined) return fixed;
    const conditions = this.shownWhen.get(question.name);
    if (!conditions) return this.verdict.isShown(question);
    return conditions.every((condition) => condition.runner.runValues(this.valuesFor(condition)) === true);
  }

  /**
   * Only the answers a condition names: survey-core's expression engine takes noticeably longer
   * over a whole response than over the two or three values a condition reads, and the result is
   * the same, since an expression can only read the variables it names.
   */
  private valuesFor(condition: CompiledCondition): Answers {
    const values: Answers = {};
    for (const root of condition.roots) {
      const key = this.currentKeys.get(root);
      if (key !== undefined) values[key] = this.currentAnswers[key];
    }
    return values;
  }

  validate(answers: Answers, options: ValidateOptions): AnswerValidation {
    if (this.freshEachTime || this.broken) return new AnswerValidator(this.definition, { fresh: true }).validateOnce(answers, options);
    return this.validateOnce(answers, options);
  }

  /**
   * survey-core itself throws on some values of the right JSON type (a number as a dropdown's
   * answer when it offers "other": `otherValue.trim is not a function`). survey-core cannot accept
   * such answers either, so they are refused as of the wrong form; and a model that threw halfway
   * through setting data is never trusted again (later calls build a fresh one; validatorFor drops
   * it from its cache).
   */
  private validateOnce(answers: Answers, options: ValidateOptions): AnswerValidation {
    try {
      return this.validateWithModel(answers, options);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      this.broken = true;
      this.onBroken?.();
      return { ok: false, errors: describe([{ path: '', kind: 'wrong_type' }], options.locale) };
    }
  }

  private validateWithModel(answers: Answers, options: ValidateOptions): AnswerValidation {
    this.applyDistricts(options.districtCodes);

    const problems: ValueProblem[] = [];
    const known = this.dropUnknownAndMisshapen(answers, problems);
    if (problems.length > 0) return { ok: false, errors: describe(problems, options.locale) };

    const visible = this.dropHiddenAnswers(known);
    // Every remaining top-level answer belongs to a shown question (dropHiddenAnswers just checked).
    const cleaned = checkAnswerObject(this.answerKeys, visible, '', problems, () => true);
    if (problems.length > 0) return { ok: false, errors: describe(problems, options.locale) };

    // survey-core's verdict is on the answers as sent (but for top-level answers to hidden
    // questions, which it ignores too); answers to hidden cells, rows and panels inside matrices
    // and dynamic panels are dropped from what is stored afterwards, as documented.
    const failingAlone = this.alone.filter((alone) => this.isQuestionShownNow(alone.question) && !this.aloneVerdict(alone, visible));
    if (this.verdict.objects() || failingAlone.length > 0) {
      const errors: AnswerError[] = [];
      if (this.verdict.objects()) {
        // A remembered verdict leaves the model holding other answers: give it these to read from.
        if (this.verdicts) this.setModelData(visible);
        errors.push(...this.surveyCoreErrors(options.locale));
      }
      for (const alone of failingAlone) errors.push(...this.aloneErrors(alone, visible, options.locale));
      return { ok: false, errors };
    }
    return { ok: true, answers: { ...cleaned, ...this.verdict.computed() } };
  }

  /**
   * Has the model judge these answers (or recalls its verdict on the same answers, where verdicts
   * are pure) and keeps the answers for the conditions evaluated outside the model.
   */
  private judge(answers: Answers) {
    this.currentAnswers = answers;
    if (this.shownWhen.size > 0) this.currentKeys = new Map(Object.keys(answers).map((key) => [key.toLowerCase(), key]));
    if (!this.verdicts) {
      this.setModelData(answers);
      this.verdict = this.liveVerdict;
      return;
    }
    const read = this.answersTheModelReads(answers);
    const key = JSON.stringify(read);
    const known = this.verdicts.get(key);
    if (known) {
      this.verdict = known;
      return;
    }
    this.rules.data = read;
    const shown = new Set(this.ruledQuestions.filter((question) => isShown(question)));
    const objects = this.failures();
    const computed = this.computedValues();
    const verdict: ModelVerdict = { isShown: (question) => shown.has(question), objects: () => objects, computed: () => computed };
    if (this.verdicts.size >= MAX_REMEMBERED_VERDICTS) this.verdicts.clear();
    this.verdicts.set(key, verdict);
    this.verdict = verdict;
  }

  /** The model's verdict on the answers it holds now, read from it each time. */
  private readonly liveVerdict: ModelVerdict = {
    isShown: (question) => isShown(question),
    objects: () => this.failures(),
    computed: () => this.computedValues(),
  };

  /**
   * survey-core's own verdict (required, min/max, validators, row requirements, required panels):
   * `model.validate(false, false)` on the model holding the answers, as the oracle does it (a
   * question's own `validate()` takes another path and can differ, e.g. on matrix cells). Only when
   * something fails is the model switched to the respondent's locale and validated once more with
   * messages, so the usual case (a valid response) never pays for a locale switch. Messages are read
   * only from shown questions and panels, all of which that call validated afresh.
   */
  private surveyCoreErrors(locale: Locale): AnswerError[] {
    if (!this.failures()) return [];
    const surveyLocale = surveyJsLocale(locale);
    if (this.rules.locale !== surveyLocale) this.rules.locale = surveyLocale;
    this.rules.validate(true, false);
    const errors: AnswerError[] = [];
    for (const question of this.ruledQuestions) {
      if (isShown(question)) collectQuestionErrors(question, question.getValueName(), errors);
    }
    for (const panel of this.rules.getAllPanels(false, false) as PanelModel[]) {
      if (!isPanelShown(panel)) continue;
      for (const error of (panel as unknown as { errors: { getText(): string }[] }).errors ?? []) {
        errors.push({ question: panel.name, message: error.getText() });
      }
    }
    return errors;
  }

  /**
   * survey-core's verdict on a question judged alone: its model holds the question's answer and
   * its "other" text, and validates. Remembered by the answer and by whether the text is empty,
   * the only thing about the text survey-core's verdict depends on (`hasEmptyComments`; a test holds
   * that to survey-core); at most MAX_ALONE_VERDICTS per question, least recently used first out.
   */
  private aloneVerdict(alone: AloneQuestion, answers: Answers): boolean {
    const value = answers[alone.valueName];
    const key = `${answers[alone.commentKey] ? 1 : 0}${value === undefined ? '' : JSON.stringify(value)}`;
    const known = alone.verdicts.get(key);
    if (known !== undefined) {
      alone.verdicts.delete(key);
      alone.verdicts.set(key, known);
      return known;
    }
    const ok = this.holdAlone(alone, answers).validate(false, false);
    if (key.length <= MAX_ALONE_KEY_LENGTH) {
      alone.verdicts.set(key, ok);
      if (alone.verdicts.size > MAX_ALONE_VERDICTS) alone.verdicts.delete(alone.verdicts.keys().next().value!);
    }
    return ok;
  }

  /** The model of a question judged alone, holding its answer and "other" text from these answers. */
  private holdAlone(alone: AloneQuestion, answers: Answers): Model {
    if (!alone.model) {
      alone.model = new Model(alone.json);
      alone.model.focusOnFirstError = false;
    }
    const data: Answers = {};
    for (const key of [alone.valueName, alone.commentKey]) if (answers[key] !== undefined) data[key] = answers[key];
    alone.model.data = data;
    return alone.model;
  }

  /** survey-core's messages on a question judged alone, in the respondent's locale. */
  private aloneErrors(alone: AloneQuestion, answers: Answers, locale: Locale): AnswerError[] {
    const model = this.holdAlone(alone, answers);
    const surveyLocale = surveyJsLocale(locale);
    if (model.locale !== surveyLocale) model.locale = surveyLocale;
    model.validate(true, false);
    const errors: AnswerError[] = [];
    collectQuestionErrors(model.getAllQuestions()[0]!, alone.valueName, errors);
    return errors;
  }

  /** Whether survey-core objects to the answers the model holds. */
  private failures(): boolean {
    return !this.rules.validate(false, false);
  }

  /** The first pass, before anything reaches the model: names it does not know, values of the wrong type. */
  private dropUnknownAndMisshapen(answers: Answers, problems: ValueProblem[]): Answers {
    const known: Answers = {};
    for (const [key, value] of Object.entries(answers)) {
      const entry = this.answerKeys.get(key);
      if (!entry && this.totalKeys.has(key)) continue;
      if (!entry) {
        problems.push({ path: key, kind: 'unknown_question' });
        continue;
      }
      if (entry.computed) continue;
      if (entry.isComment) {
        if (value !== null && typeof value !== 'string') problems.push({ path: key, kind: 'wrong_type' });
        else known[key] = value;
        continue;
      }
      const problem = shapeProblem(entry.question, value, key);
      if (problem) problems.push(problem);
      else known[key] = value;
    }
    return known;
  }

  /**
   * Drops answers to questions that are hidden given the other answers. Dropping one answer can
   * hide another question (a chain of visibleIf), so this repeats until nothing changes; every
   * round but the last removes at least one key, which bounds the loop by the number of answers.
   * Leaves `verdict` on the returned answers.
   */
  private dropHiddenAnswers(answers: Answers): Answers {
    let current = answers;
    for (;;) {
      this.judge(current);
      const kept: Answers = {};
      let dropped = false;
      for (const key of Object.keys(current)) {
        if (this.isShownNow(this.answerKeys.get(key)!)) kept[key] = current[key];
        else dropped = true;
      }
      if (!dropped) return current;
      current = kept;
    }
  }

  private setModelData(answers: Answers) {
    this.rules.data = this.answersTheModelReads(answers);
  }

  private answersTheModelReads(answers: Answers): Answers {
    const reads = this.modelReads;
    if (!reads) return answers;
    const out: Answers = {};
    for (const key of Object.keys(answers)) {
      const name = key.toLowerCase();
      const commented = name.endsWith(this.commentSuffix) ? name.slice(0, -this.commentSuffix.length) : null;
      if (reads.has(name) || (commented !== null && reads.has(commented))) out[key] = answers[key];
    }
    return out;
  }

  /** Values survey-core computes (expression questions, calculated values marked for results). */
  private computedValues(): Answers {
    const out: Answers = {};
    for (const question of this.ruledQuestions) {
      if (question.getType() === 'expression' && isShown(question) && question.value !== undefined) {
        out[question.getValueName()] = question.value;
      }
    }
    for (const calculated of this.rules.calculatedValues) {
      if (calculated.includeIntoResult && calculated.value !== undefined) out[calculated.name] = calculated.value;
    }
    return out;
  }

  private applyDistricts(codes: readonly string[]) {
    const key = codes.join('\n');
    if (key === this.appliedDistricts) return;
    for (const model of new Set([this.catalogue, this.rules])) {
      // Dynamic-panel templates too (design-time questions: `offer_districts` in `offers`), from
      // which survey-core builds each panel, and the panels it has built already (nested).
      const questions = new Set([...model.getAllQuestions(false, true, false), ...model.getAllQuestions(false, false, true)]);
      for (const question of questions) {
        if (DISTRICT_QUESTION_NAMES.has(question.name) && 'choices' in question) {
          (question as QuestionSelectBase).choices = [...codes];
        }
      }
    }
    this.appliedDistricts = key;
  }
}

/** What the model concludes from a response: read from it, or remembered (see AnswerValidator.judge). */
interface ModelVerdict {
  /** Whether one of the model's questions is shown. */
  isShown(question: Question): boolean;
  /** Whether survey-core objects to anything (required, range, validator, required panel). */
  objects(): boolean;
  /** Values survey-core computes: expression questions, calculated values kept in results. */
  computed(): Answers;
}

const NO_VERDICT: ModelVerdict = {
  isShown: () => {
    throw new Error('no answers judged yet');
  },
  objects: () => true,
  computed: () => ({}),
};

/** A question survey-core judges alone (see ruled-questions.ts) and its remembered verdicts. */
interface AloneQuestion {
  /** The question in the catalogue model (for its visibility and the checks of answer-values.ts). */
  question: Question;
  /** A definition holding only this question (and the survey's own settings). */
  json: Record<string, unknown>;
  valueName: string;
  commentKey: string;
  model: Model | null;
  /** Verdicts by "other" text empty or not and the answer's JSON. */
  verdicts: Map<string, boolean>;
}

/** Remembered verdicts per question judged alone; longer answers (free texts) are judged every time. */
const MAX_ALONE_VERDICTS = 2048;
const MAX_ALONE_KEY_LENGTH = 256;

/** Distinct sets of answers the reduced model reads, remembered per version. */
const MAX_REMEMBERED_VERDICTS = 4096;

/** Question types whose checks outside survey-core (answer-values.ts) read no model state. */
const STATELESS_CHECK_TYPES: ReadonlySet<string> = new Set(['text', 'comment', 'boolean', 'expression']);
/** Properties holding expressions: `visibleIf`, `minValueExpression`, an expression validator's `expression`… */
const EXPRESSION_PROPERTY = /(If|Expression)$|^expression$/;
/** A function call in an expression: `today()`, `age({birth})`, `random()` may differ from call to call. */
const FUNCTION_CALL = /[A-Za-z_$][\w$]*\s*\(/;

/**
 * Whether the reduced model's verdict is a pure function of the answers it reads, so that it can
 * be remembered by them: its questions are of types whose other checks read no model state (no
 * choices that conditions filter, no rows, no panels), and no expression calls a function or is
 * given as `=…` (`today()` changes at midnight). Anything else is judged by the model each time.
 */
function verdictsArePure(definition: Record<string, unknown>, questions: readonly Question[]): boolean {
  if (!questions.every((question) => STATELESS_CHECK_TYPES.has(question.getType()))) return false;
  let pure = true;
  const visit = (node: unknown, key: string) => {
    if (!pure) return;
    if (typeof node === 'string') {
      if (node.trimStart().startsWith('=') || (EXPRESSION_PROPERTY.test(key) && FUNCTION_CALL.test(node))) pure = false;
    } else if (Array.isArray(node)) {
      node.forEach((item) => visit(item, key));
    } else if (typeof node === 'object' && node !== null) {
      for (const [childKey, child] of Object.entries(node)) visit(child, childKey);
    }
  };
  visit(definition, '');
  return pure;
}

/**
 * Whether a reused model could carry state from one response into the next: choices built from
 * another question's answers (`choicesFromQuestion`, `rowsFromQuestion`…), answers shared by several
 * questions (`valueName`), dynamic panels and dynamic matrices (their panel and row counts and inner
 * values outlive `data = …`),
 * triggers and `setValueExpression`/`defaultValueExpression`, which write answers. Such definitions
 * are judged by a fresh model every time: always survey-core's verdict, at the cost of building it.
 */
function reuseIsUnsafe(definition: Record<string, unknown>): boolean {
  const json = JSON.stringify(definition);
  return /"(choicesFromQuestion|rowsFromQuestion|columnsFromQuestion|valueName|setValueExpression|defaultValueExpression|setValueIf|resetValueIf|triggers)"|"type":"(paneldynamic|matrixdynamic)"/.test(
    json,
  );
}

/**
 * Whether a choice question keeps its "other" text in the answer itself (`storeOthersAsComment:
 * false`, or "other" beside a comment area): survey-core then remembers the text in the question
 * across `data = …`, and the next response's bare "other" would pass as filled in.
 */
function otherTextInValue(model: Model): boolean {
  if (JSON.stringify(model.toJSON()).includes('"storeOthersAsComment":false')) return true;
  return model.getAllQuestions(false, false, true).some((question) => {
    const select = question as Partial<QuestionSelectBase>;
    return select.hasOther === true && select.getStoreOthersAsComment?.() === false;
  });
}

/** Our own problems (unknown names, wrong types, foreign choices) as messages in the locale. */
function describe(problems: ValueProblem[], locale: Locale): AnswerError[] {
  const t = messageFor(locale);
  return problems.map((problem) => ({
    question: problem.path,
    message:
      problem.kind === 'not_a_number'
        ? surveyLocalization.getString('numericError', locale)
        : problem.kind === 'too_long'
          ? surveyLocalization.getString('textMaxLength', locale).replace('{0}', String(problem.limit))
          : t(`errors.answer_${problem.kind}`),
  }));
}

interface CompiledCondition {
  runner: ExpressionRunner;
  /** The answer names it reads, lower-case: `{languages_home.length}` reads `languages_home`. */
  roots: string[];
}

function compileCondition(expression: string): CompiledCondition {
  const runner = new ExpressionRunner(expression);
  const roots = [...new Set(runner.getVariables().map((variable) => variable.split(/[.[]/)[0]!.toLowerCase()))];
  return { runner, roots };
}

/** A panel is shown when it and every panel and page around it are visible. */
function isPanelShown(panel: PanelModel): boolean {
  for (let element: PanelModel | null = panel; element; element = element.parent as PanelModel | null) {
    if (!element.isVisible) return false;
  }
  return true;
}

/**
 * The errors survey-core left on a question it just validated, and on the questions inside it (a
 * dynamic panel validates its panels' questions, a matrix its cells), with a path to each.
 */
function collectQuestionErrors(question: Question, path: string, errors: AnswerError[]) {
  for (const error of question.errors) errors.push({ question: path, message: error.getText() });
  const type = question.getType();
  if (type === 'paneldynamic') {
    const dynamic = question as QuestionPanelDynamicModel;
    dynamic.visiblePanels.forEach((panel) => {
      const index = dynamic.panels.indexOf(panel);
      for (const inner of panel.questions) {
        if (isShown(inner)) collectQuestionErrors(inner, `${path}[${index}].${inner.getValueName()}`, errors);
      }
    });
  } else if (type === 'matrixdropdown' || type === 'matrixdynamic') {
    (question as QuestionMatrixDropdownModelBase).visibleRows.forEach((row, index) => {
      const rowPath = type === 'matrixdynamic' ? `${path}[${index}]` : `${path}.${String(row.rowName)}`;
      for (const cell of row.cells) collectQuestionErrors(cell.question, `${rowPath}.${cell.column.name}`, errors);
    });
  } else if (type === 'multipletext') {
    for (const item of (question as QuestionMultipleTextModel).items) {
      collectQuestionErrors(item.editor as unknown as Question, `${path}.${item.name}`, errors);
    }
  }
}

/**
 * One validator per survey version, kept for the life of the process. The key includes the
 * version's content hash, so two databases (tests) with the same slug and version number never
 * share a model. Bounded, least recently used first out. The promise is cached, not the validator,
 * so that fifty requests arriving together for a version not yet seen build one model, not fifty.
 */
const MAX_CACHED_VALIDATORS = 32;
const validatorCache = new Map<string, Promise<AnswerValidator>>();

export function validatorFor(
  key: { slug: string; version: number; contentHash: string },
  loadDefinition: () => Promise<Record<string, unknown>>,
): Promise<AnswerValidator> {
  const cacheKey = `${key.slug}@${key.version}#${key.contentHash}`;
  const cached = validatorCache.get(cacheKey);
  if (cached) {
    validatorCache.delete(cacheKey);
    validatorCache.set(cacheKey, cached);
    return cached;
  }
  const building = loadDefinition().then((definition) => {
    const validator = new AnswerValidator(definition);
    validator.onBroken = () => {
      if (validatorCache.get(cacheKey) === building) validatorCache.delete(cacheKey);
    };
    return validator;
  });
  validatorCache.set(cacheKey, building);
  // A failed load (database away) must not stay cached as a failure.
  building.catch(() => {
    if (validatorCache.get(cacheKey) === building) validatorCache.delete(cacheKey);
  });
  if (validatorCache.size > MAX_CACHED_VALIDATORS) validatorCache.delete(validatorCache.keys().next().value!);
  return building;
}
