import {
  Model,
  settings,
  type PanelModel,
  type Question,
  type QuestionMatrixDropdownModelBase,
  type QuestionMultipleTextModel,
  type QuestionPanelDynamicModel,
  type QuestionSelectBase,
} from 'survey-core';
import type { Locale } from '../i18n/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { checkAnswerObject, indexAnswerKeys, isShown, shapeProblem, takesAnswer, type AnswerKey, type ValueProblem } from './answer-values.ts';
import { surveyJsLocale } from '../surveys/survey-core-setup.ts';
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
export const DISTRICT_QUESTION_NAMES: ReadonlySet<string> = new Set(['district', 'districts_active']);

export interface ValidateOptions {
  locale: Locale;
  /** The district codes of the town, in display order. */
  districtCodes: readonly string[];
}

/**
 * Checks a response against one survey version with survey-core itself, plus the checks
 * survey-core leaves out. One instance per version is reused across requests, because building a
 * Model costs milliseconds and validating with a built one a fraction of that; every call replaces
 * the model's whole data, locale and errors, and no `await` runs in between, so no request can see
 * another's answers.
 */
export class AnswerValidator {
  private readonly model: Model;
  private readonly topLevelQuestions: Question[];
  private readonly commentSuffix: string;
  private readonly answerKeys: Map<string, AnswerKey>;
  /** Panels marked `isRequired` ("answer at least one question here"): checked on their own. */
  private readonly requiredPanels: PanelModel[];
  private appliedDistricts: string | null = null;

  constructor(definition: Record<string, unknown>) {
    this.model = new Model(definition);
    // Page-level focus handling touches the DOM environment and throws in Node (STACK.md).
    this.model.focusOnFirstError = false;
    this.topLevelQuestions = this.model.getAllQuestions(false, false, false);
    this.commentSuffix = this.model.commentSuffix || settings.commentSuffix;
    this.answerKeys = indexAnswerKeys(this.topLevelQuestions, this.commentSuffix);
    this.requiredPanels = (this.model.getAllPanels(false, false) as PanelModel[]).filter((panel) => panel.isRequired);
  }

  validate(answers: Answers, options: ValidateOptions): AnswerValidation {
    this.applyDistricts(options.districtCodes);
    const surveyLocale = surveyJsLocale(options.locale);
    if (this.model.locale !== surveyLocale) this.model.locale = surveyLocale;

    const problems: ValueProblem[] = [];
    const known = this.dropUnknownAndMisshapen(answers, problems);
    if (problems.length > 0) return { ok: false, errors: this.describe(problems, options.locale) };

    const visible = this.dropHiddenAnswers(known);
    const cleaned = checkAnswerObject(this.topLevelQuestions, visible, '', problems, this.commentSuffix);
    if (problems.length > 0) return { ok: false, errors: this.describe(problems, options.locale) };

    // Validate exactly what will be stored: if answers to hidden questions inside dynamic panels or
    // matrices were dropped, the model must hold the cleaned answers. (Setting the data is the
    // costly step of a validation, so it is not repeated when nothing changed.)
    if (JSON.stringify(cleaned) !== JSON.stringify(visible)) this.model.data = cleaned;
    const errors = this.surveyCoreErrors();
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, answers: { ...cleaned, ...this.computedValues() } };
  }

  /**
   * survey-core's own verdict (required, min/max, validators, row requirements) on every visible
   * question that could object. This is what `model.validate()` does, minus the questions that
   * cannot fail: empty, not required, without validators and without inner rows or panels. In a
   * long questionnaire most questions are of that kind for any one response, so skipping them
   * makes validation several times cheaper. Errors are read straight after each question's own
   * validation, so errors left on a question by an earlier response are never reported.
   */
  private surveyCoreErrors(): AnswerError[] {
    const errors: AnswerError[] = [];
    for (const question of this.topLevelQuestions) {
      if (!isShown(question) || !takesAnswer(question)) continue;
      const cannotFail =
        question.isEmpty() && !question.isRequired && question.validators.length === 0 && !CONTAINER_TYPES.has(question.getType());
      if (cannotFail) continue;
      question.validate(true, false);
      collectQuestionErrors(question, question.getValueName(), errors);
    }
    for (const panel of this.requiredPanels) {
      if (!isPanelShown(panel)) continue;
      panel.validate(true, false);
      for (const error of (panel as unknown as { errors: { getText(): string }[] }).errors ?? []) {
        errors.push({ question: panel.name, message: error.getText() });
      }
    }
    return errors;
  }

  /** The first pass, before anything reaches the model: names it does not know, values of the wrong type. */
  private dropUnknownAndMisshapen(answers: Answers, problems: ValueProblem[]): Answers {
    const known: Answers = {};
    for (const [key, value] of Object.entries(answers)) {
      const entry = this.answerKeys.get(key);
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
   * Leaves the model holding the returned answers.
   */
  private dropHiddenAnswers(answers: Answers): Answers {
    let current = answers;
    for (;;) {
      this.model.data = current;
      const kept = Object.fromEntries(Object.entries(current).filter(([key]) => isShown(this.answerKeys.get(key)!.question)));
      if (Object.keys(kept).length === Object.keys(current).length) return current;
      current = kept;
    }
  }

  /** Values survey-core computes (expression questions, calculated values marked for results). */
  private computedValues(): Answers {
    const out: Answers = {};
    for (const question of this.topLevelQuestions) {
      if (question.getType() === 'expression' && isShown(question) && question.value !== undefined) {
        out[question.getValueName()] = question.value;
      }
    }
    for (const calculated of this.model.calculatedValues) {
      if (calculated.includeIntoResult && calculated.value !== undefined) out[calculated.name] = calculated.value;
    }
    return out;
  }

  private applyDistricts(codes: readonly string[]) {
    const key = codes.join('\n');
    if (key === this.appliedDistricts) return;
    for (const question of this.topLevelQuestions) {
      if (DISTRICT_QUESTION_NAMES.has(question.name) && 'choices' in question) {
        (question as QuestionSelectBase).choices = [...codes];
      }
    }
    this.appliedDistricts = key;
  }

  private describe(problems: ValueProblem[], locale: Locale): AnswerError[] {
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
}

/** A panel is shown when it and every panel and page around it are visible. */
function isPanelShown(panel: PanelModel): boolean {
  for (let element: PanelModel | null = panel; element; element = element.parent as PanelModel | null) {
    if (!element.isVisible) return false;
  }
  return true;
}

/** Questions whose validation reaches into rows, panels or items even when they look empty. */
const CONTAINER_TYPES: ReadonlySet<string> = new Set(['paneldynamic', 'matrixdynamic', 'matrixdropdown', 'matrix', 'multipletext']);

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
 * share a model. Bounded, least recently used first out.
 */
const MAX_CACHED_VALIDATORS = 32;
const validatorCache = new Map<string, AnswerValidator>();

export async function validatorFor(
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
  const validator = new AnswerValidator(await loadDefinition());
  validatorCache.set(cacheKey, validator);
  if (validatorCache.size > MAX_CACHED_VALIDATORS) validatorCache.delete(validatorCache.keys().next().value!);
  return validator;
}
