import type {
  ItemValue,
  MatrixDropdownRowModelBase,
  PanelModel,
  Question,
  QuestionBooleanModel,
  QuestionMatrixDropdownModelBase,
  QuestionMatrixModel,
  QuestionMultipleTextModel,
  QuestionPanelDynamicModel,
  QuestionRatingModel,
  QuestionSelectBase,
  QuestionTextModel,
} from 'survey-core';
import { settings } from 'survey-core';

/**
 * The checks survey-core does not do itself (see STACK.md): the JavaScript type of each value, that
 * a choice is one the question offers, that nested answers (dynamic panels, matrices) only use
 * names the question has, and that answers to hidden nested questions are dropped. Pure functions
 * over a survey-core question whose model already holds the answers, so that choices which depend
 * on other answers (`choicesVisibleIf`, `choicesFromQuestion`) are the ones the respondent saw.
 */

export type ProblemKind = 'unknown_question' | 'wrong_type' | 'not_a_number' | 'invalid_choice' | 'too_long' | 'not_supported';

export interface ValueProblem {
  /** Where the problem sits: `age`, or `offers[1].title` inside a dynamic panel. */
  path: string;
  kind: ProblemKind;
  /** For `too_long`: the limit. */
  limit?: number;
}

export type Scalar = string | number | boolean;

/** Question types whose answers survey-core computes itself; a client's copy is ignored. */
export const COMPUTED_TYPES: ReadonlySet<string> = new Set(['expression']);
/** Types a respondent cannot answer online (uploads go through the media feature). */
const UNSUPPORTED_TYPES: ReadonlySet<string> = new Set(['file', 'signaturepad']);
/** Types without any value. */
const DISPLAY_ONLY_TYPES: ReadonlySet<string> = new Set(['html', 'image']);
const SELECT_TYPES: ReadonlySet<string> = new Set(['radiogroup', 'dropdown', 'buttongroup', 'imagepicker', 'checkbox', 'tagbox', 'ranking']);

function commentSuffixOf(question: Question): string {
  return (question.survey as unknown as { commentSuffix?: string } | undefined)?.commentSuffix || settings.commentSuffix;
}

/**
 * Questions whose choices cannot change with the answers (the validator marks the questions of its
 * never-answered catalogue model): their choice values are read from survey-core once.
 */
const fixedChoices = new WeakMap<Question, unknown[]>();
const hasFixedChoices = new WeakSet<Question>();

export function markChoicesFixed(question: Question): void {
  hasFixedChoices.add(question);
}

/** The values a choice question offers right now (its visible choices, or a rating's scale). */
function offeredValues(question: Question): unknown[] {
  const known = fixedChoices.get(question);
  if (known) return known;
  const values =
    question.getType() === 'rating'
      ? (question as QuestionRatingModel).visibleRateValues.map((item) => item.value)
      : (question as QuestionSelectBase).visibleChoices.map((choice: ItemValue) => choice.value);
  if (hasFixedChoices.has(question)) fixedChoices.set(question, values);
  return values;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Whether a question of this type stores an answer a respondent gives. */
export function takesAnswer(question: Question): boolean {
  const type = question.getType();
  return !DISPLAY_ONLY_TYPES.has(type) && !COMPUTED_TYPES.has(type);
}

export function isShown(question: Question): boolean {
  return question.isVisible && question.isParentVisible;
}

/** Questions that allow a free-text `<name><commentSuffix>` value beside their answer. */
export function hasCommentValue(question: Question): boolean {
  const select = question as Partial<QuestionSelectBase>;
  return question.hasComment || (SELECT_TYPES.has(question.getType()) && select.hasOther === true && select.getStoreOthersAsComment?.() !== false);
}

/**
 * The type check that needs no model state, run before the answers are handed to survey-core:
 * a string where a dynamic panel expects a list could otherwise confuse the model itself.
 */
export function shapeProblem(question: Question, value: unknown, path: string): ValueProblem | null {
  const type = question.getType();
  if (UNSUPPORTED_TYPES.has(type)) return { path, kind: 'not_supported' };
  if (value === null || value === undefined) return null;
  const ok = (() => {
    switch (type) {
      case 'text': {
        const inputType = (question as QuestionTextModel).inputType;
        if (inputType === 'number' || inputType === 'range') return typeof value === 'number' && Number.isFinite(value);
        return typeof value === 'string';
      }
      case 'comment':
        return typeof value === 'string';
      case 'checkbox':
      case 'tagbox':
      case 'ranking':
        return Array.isArray(value) && value.every(isScalar);
      case 'imagepicker':
        return (question as unknown as { multiSelect: boolean }).multiSelect ? Array.isArray(value) && value.every(isScalar) : isScalar(value);
      case 'radiogroup':
      case 'dropdown':
      case 'buttongroup':
      case 'rating':
      case 'boolean':
        return isScalar(value);
      case 'matrix':
        return isPlainObject(value) && Object.values(value).every(isScalar);
      case 'multipletext':
        return isPlainObject(value) && Object.values(value).every(isScalar);
      case 'matrixdropdown':
        return isPlainObject(value) && Object.values(value).every(isPlainObject);
      case 'matrixdynamic':
      case 'paneldynamic':
        return Array.isArray(value) && value.every(isPlainObject);
      default:
        return false;
    }
  })();
  if (ok) return null;
  const numeric = type === 'text' && ['number', 'range'].includes((question as QuestionTextModel).inputType);
  return { path, kind: numeric ? 'not_a_number' : 'wrong_type' };
}

/**
 * The full check of one visible question's value against the model's current state. Returns the
 * value to store (nested answers to hidden questions removed) and adds problems to `problems`.
 */
export function checkValue(question: Question, value: unknown, path: string, problems: ValueProblem[]): unknown {
  const shape = shapeProblem(question, value, path);
  if (shape) {
    problems.push(shape);
    return undefined;
  }
  if (value === null || value === undefined) return value;
  switch (question.getType()) {
    case 'text':
    case 'comment':
      checkLength(question, value, path, problems);
      return value;
    case 'radiogroup':
    case 'dropdown':
    case 'buttongroup':
      checkChoice(question as QuestionSelectBase, value as Scalar, path, problems);
      return value;
    case 'imagepicker':
    case 'checkbox':
    case 'tagbox':
    case 'ranking':
      if (Array.isArray(value)) {
        if (new Set(value).size !== value.length) problems.push({ path, kind: 'invalid_choice' });
        for (const item of value) checkChoice(question as QuestionSelectBase, item as Scalar, path, problems);
      } else {
        checkChoice(question as QuestionSelectBase, value as Scalar, path, problems);
      }
      return value;
    case 'rating': {
      if (!offeredValues(question).includes(value)) problems.push({ path, kind: 'invalid_choice' });
      return value;
    }
    case 'boolean': {
      const boolean = question as QuestionBooleanModel;
      if (value !== boolean.getValueTrue() && value !== boolean.getValueFalse()) problems.push({ path, kind: 'invalid_choice' });
      return value;
    }
    case 'matrix':
      checkSingleMatrix(question as QuestionMatrixModel, value as Record<string, Scalar>, path, problems);
      return value;
    case 'multipletext':
      return checkMultipleText(question as QuestionMultipleTextModel, value as Record<string, Scalar>, path, problems);
    case 'matrixdropdown':
      return checkMatrixDropdown(question as QuestionMatrixDropdownModelBase, value as Record<string, Record<string, unknown>>, path, problems);
    case 'matrixdynamic':
      return checkMatrixDynamic(question as QuestionMatrixDropdownModelBase, value as Record<string, unknown>[], path, problems);
    case 'paneldynamic':
      return checkPanelDynamic(question as QuestionPanelDynamicModel, value as Record<string, unknown>[], path, problems);
    default:
      return value;
  }
}

function checkLength(question: Question, value: unknown, path: string, problems: ValueProblem[]) {
  if (typeof value !== 'string') return;
  const limit = Number((question as QuestionTextModel).getMaxLength?.() ?? 0);
  if (limit > 0 && value.length > limit) problems.push({ path, kind: 'too_long', limit });
}

function checkChoice(question: QuestionSelectBase, value: Scalar, path: string, problems: ValueProblem[]) {
  if (offeredValues(question).includes(value)) return;
  // With storeOthersAsComment switched off, the "other" text itself is the value.
  const freeOther = question.hasOther && !question.getStoreOthersAsComment() && typeof value === 'string';
  if (!freeOther) problems.push({ path, kind: 'invalid_choice' });
}

function checkSingleMatrix(question: QuestionMatrixModel, value: Record<string, Scalar>, path: string, problems: ValueProblem[]) {
  // A row's `name` is its value in the answer object (its `value` is the column chosen in it).
  const rows = new Set(question.visibleRows.map((row) => String(row.name)));
  const columns = question.visibleColumns.map((column: ItemValue) => column.value);
  for (const [row, cell] of Object.entries(value)) {
    if (!rows.has(row)) problems.push({ path: `${path}.${row}`, kind: 'unknown_question' });
    else if (!columns.includes(cell)) problems.push({ path: `${path}.${row}`, kind: 'invalid_choice' });
  }
}

function checkMultipleText(question: QuestionMultipleTextModel, value: Record<string, Scalar>, path: string, problems: ValueProblem[]) {
  const out: Record<string, unknown> = {};
  for (const [name, itemValue] of Object.entries(value)) {
    const item = question.items.find((candidate) => candidate.name === name);
    if (!item) {
      problems.push({ path: `${path}.${name}`, kind: 'unknown_question' });
      continue;
    }
    out[name] = checkValue(item.editor as unknown as Question, itemValue, `${path}.${name}`, problems);
  }
  return out;
}

/** Cells of a matrix row are questions of their own; the same checks apply to each. */
function checkMatrixRow(row: MatrixDropdownRowModelBase, value: Record<string, unknown>, path: string, problems: ValueProblem[]) {
  const out: Record<string, unknown> = {};
  for (const [columnName, cellValue] of Object.entries(value)) {
    const cell = row.cells.find((candidate) => candidate.column.name === columnName);
    if (!cell) {
      problems.push({ path: `${path}.${columnName}`, kind: 'unknown_question' });
      continue;
    }
    if (!isShown(cell.question) || !cell.column.isColumnVisible) continue;
    out[columnName] = checkValue(cell.question, cellValue, `${path}.${columnName}`, problems);
  }
  return out;
}

function checkMatrixDropdown(
  question: QuestionMatrixDropdownModelBase,
  value: Record<string, Record<string, unknown>>,
  path: string,
  problems: ValueProblem[],
) {
  const allRows = new Set((question as unknown as { rows: ItemValue[] }).rows.map((row) => String(row.value)));
  const out: Record<string, unknown> = {};
  for (const [rowName, rowValue] of Object.entries(value)) {
    if (!allRows.has(rowName)) {
      problems.push({ path: `${path}.${rowName}`, kind: 'unknown_question' });
      continue;
    }
    // A row hidden by rowsVisibleIf is like a hidden question: its answers are not kept.
    const row = question.visibleRows.find((candidate) => String(candidate.rowName) === rowName);
    if (row) out[rowName] = checkMatrixRow(row, rowValue, `${path}.${rowName}`, problems);
  }
  return out;
}

function checkMatrixDynamic(question: QuestionMatrixDropdownModelBase, value: Record<string, unknown>[], path: string, problems: ValueProblem[]) {
  const rows = question.visibleRows;
  if (rows.length !== value.length) {
    problems.push({ path, kind: 'wrong_type' });
    return value;
  }
  return value.map((rowValue, index) => checkMatrixRow(rows[index]!, rowValue, `${path}[${index}]`, problems));
}

function checkPanelDynamic(question: QuestionPanelDynamicModel, value: Record<string, unknown>[], path: string, problems: ValueProblem[]) {
  const panels = question.panels;
  if (panels.length !== value.length) {
    problems.push({ path, kind: 'wrong_type' });
    return value;
  }
  const visible = new Set<PanelModel>(question.visiblePanels);
  return value.map((item, index) => {
    const panel = panels[index]!;
    if (!visible.has(panel)) return {};
    return checkAnswerObject(indexAnswerKeys(panel.questions, commentSuffixOf(question)), item, `${path}[${index}]`, problems);
  });
}

/**
 * The keys of one answer object (the whole response, or one dynamic panel): unknown names are
 * problems, answers to hidden questions are dropped, the rest is checked question by question.
 */
export function checkAnswerObject(
  index: ReadonlyMap<string, AnswerKey>,
  answers: Record<string, unknown>,
  pathPrefix: string,
  problems: ValueProblem[],
  shown: (entry: AnswerKey) => boolean = (entry) => isShown(entry.question),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answers)) {
    const path = pathPrefix ? `${pathPrefix}.${key}` : key;
    const entry = index.get(key);
    if (!entry) {
      problems.push({ path, kind: 'unknown_question' });
      continue;
    }
    if (entry.computed || !shown(entry)) continue;
    if (entry.isComment) {
      if (typeof value !== 'string') problems.push({ path, kind: 'wrong_type' });
      else out[key] = value;
      continue;
    }
    const checked = checkValue(entry.question, value, path, problems);
    if (checked !== undefined) out[key] = checked;
  }
  return out;
}

export interface AnswerKey {
  question: Question;
  /** The `-Comment` value beside the answer (an "other" text or a comment area). */
  isComment: boolean;
  /** Computed by survey-core (expression questions): a client's copy is not taken. */
  computed: boolean;
  /** Further questions storing under the same name (a shared `valueName`). */
  sharing: Question[];
}

/** Every key an answer object may have, mapped to the question it belongs to. */
export function indexAnswerKeys(questions: Question[], commentSuffix: string): Map<string, AnswerKey> {
  const index = new Map<string, AnswerKey>();
  for (const question of questions) {
    const type = question.getType();
    if (DISPLAY_ONLY_TYPES.has(type)) continue;
    const name = question.getValueName();
    const existing = index.get(name);
    if (existing) existing.sharing.push(question);
    else index.set(name, { question, isComment: false, computed: COMPUTED_TYPES.has(type), sharing: [] });
    if (hasCommentValue(question)) index.set(`${name}${commentSuffix}`, { question, isComment: true, computed: false, sharing: [] });
  }
  return index;
}
