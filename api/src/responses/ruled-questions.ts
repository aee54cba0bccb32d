/**
 * Which questions of an instrument survey-core has anything to decide about, and how.
 *
 * Setting a response's answers on a survey-core model is the costly part of validating it: the model
 * re-evaluates every page, question and choice of the questionnaire, whatever was answered. But most
 * questions of a long questionnaire carry no rule at all: always shown, never required, no
 * validators, fixed choices. For them the type and choice checks in answer-values.ts are all there
 * is to check. Many others carry only one rule: a `visibleIf` condition. So the validator splits
 * the questions three ways:
 *
 * - **rule-free**: checked by type and choice only, read from the whole questionnaire;
 * - **shown when**: questions whose only rule is when they are shown (their own `visibleIf` and
 *   those of the pages and panels around them); survey-core's expression engine evaluates those
 *   conditions over the answers, exactly as the model would;
 * - **judged alone**: questions whose rules read nothing but their own answer (required, "other"
 *   needs its text, checkbox min/max selected, a text's min/max, regex/email/numeric/length/count
 *   validators) and whose answer nothing else in the questionnaire reads (no expression, condition,
 *   validator, calculated value, choicesFromQuestion, valueName or `{piped}` text names it):
 *   survey-core judges each in a model of its own holding that question alone (the validator
 *   remembers those verdicts per answer); their visibility is evaluated as for "shown when";
 * - **kept**: everything else (validators reading other answers, dynamic choices, matrices with
 *   row rules, dynamic panels, expressions…) goes into a reduced survey-core model that gets every
 *   response's answers and validates them.
 *
 * Conditions still see every answer: survey-core evaluates expressions over all values it is given,
 * whether or not a question in the model holds them. The split is conservative: a question counts
 * as rule-free only if every property it has is on a list of properties known to carry no rule, so
 * anything unknown (a property of a later SurveyJS version, a default value) stays with survey-core;
 * and definitions with triggers are not split at all.
 */

type Json = Record<string, unknown>;

/** Types whose value survey-core only checks through rules set on the question. */
const PLAIN_TYPES: ReadonlySet<string> = new Set([
  'radiogroup',
  'dropdown',
  'checkbox',
  'tagbox',
  'rating',
  'boolean',
  'comment',
  'matrix',
  'imagepicker',
  'buttongroup',
  'ranking',
]);
/** Types survey-core may judge alone when their rules read nothing but their own answer. */
const ALONE_TYPES: ReadonlySet<string> = new Set([...PLAIN_TYPES, 'text']);
/** Properties whose rules read only the question's own answer (beside the harmless ones and visibleIf). */
const OWN_VALUE_RULES: ReadonlySet<string> = new Set([
  'visibleIf', 'isRequired', 'requiredErrorText', 'showOtherItem', 'hasOther', 'otherText', 'otherPlaceholder',
  'otherErrorText', 'showNoneItem', 'hasNone', 'minSelectedChoices', 'maxSelectedChoices', 'inputType', 'min',
  'max', 'minErrorText', 'maxErrorText', 'step', 'validators',
]);
/** Validators that read only the question's own answer (an expression validator reads any). */
const OWN_VALUE_VALIDATORS: ReadonlySet<string> = new Set(['numeric', 'text', 'regex', 'email', 'answercount']);
/** Elements without a value: nothing to validate, nothing to keep. */
const DISPLAY_TYPES: ReadonlySet<string> = new Set(['html', 'image']);

/**
 * Properties that only change how a question looks or what it offers, never whether an answer is
 * acceptable. (maxLength is here because answer-values.ts enforces it for every question.)
 */
const HARMLESS_PROPERTIES: ReadonlySet<string> = new Set([
  'type', 'name', 'title', 'description', 'placeholder', 'choices', 'rateValues', 'rateMin', 'rateMax',
  'rateStep', 'rateCount', 'rateType', 'rateDisplayMode', 'displayMode', 'minRateDescription',
  'maxRateDescription', 'displayRateDescriptionsAsExtremeItems', 'rateColorMode', 'scaleColorMode',
  'columns', 'rows', 'colCount', 'separateSpecialChoices', 'showNoneItem', 'noneText', 'choicesOrder',
  'titleLocation', 'descriptionLocation', 'hideNumber', 'startWithNewLine', 'width', 'minWidth',
  'maxWidth', 'maxLength', 'autoGrow', 'allowResize', 'labelTrue', 'labelFalse', 'swapOrder',
  'renderAs', 'state', 'indent', 'alternateRows', 'columnMinWidth', 'rowTitleWidth', 'showHeader',
  'verticalAlign', 'allowClear', 'searchEnabled', 'showClearButton', 'useDisplayValuesInDynamicTexts',
  'questionTitleLocation', 'errorLocation', 'textUpdateMode', 'acceptCustomValue', 'imageHeight',
  'imageWidth', 'imageFit', 'showLabel', 'contentMode', 'longTap', 'autoGenerate',
]);
/** Choice, row and column entries: a condition on any of them makes the list dynamic. */
const HARMLESS_ITEM_PROPERTIES: ReadonlySet<string> = new Set(['value', 'text', 'imageLink']);
/** Choice properties whose rules read only the question's own answer ("none of these" and its kin). */
const OWN_VALUE_ITEM_PROPERTIES: ReadonlySet<string> = new Set([...HARMLESS_ITEM_PROPERTIES, 'isExclusive']);
/** Page and panel properties that put a condition on everything inside. */
const CONTAINER_RULES = ['visibleIf', 'enableIf', 'requiredIf', 'readOnly', 'visible', 'isRequired'] as const;
/**
 * Expression functions that read the survey itself rather than the answers: a condition using one
 * is left to the model, which passes itself to them.
 */
const SURVEY_CONTEXT_FUNCTIONS = /\b(isContainerReady|isDisplayMode|displayValue|propertyValue)\s*\(/;

export interface RuledDefinition {
  /** The definition for the survey-core model: only the kept questions, pages merged where possible. */
  definition: Json;
  /** Names of the questions in that definition. */
  kept: ReadonlySet<string>;
  /**
   * Questions whose only rule is when they are shown, with the conditions that must all hold: the
   * pages' and panels' around them and their own.
   */
  shownWhen: ReadonlyMap<string, readonly string[]>;
  /**
   * Questions judged alone (see above), with their definitions; those with conditions on when they
   * are shown are in `shownWhen` too.
   */
  alone: ReadonlyMap<string, Json>;
  /**
   * Every name, lower-case, by which the reduced model could read an answer: the variables in its
   * expressions and texts (`{name}`, `{name.length}`), and every string in it (a kept question's
   * name or valueName, a choicesFromQuestion). A superset by construction; answers under other
   * names need not reach the model, and handing them over costs survey-core work per answer.
   */
  reads: ReadonlySet<string>;
}

function itemsArePlain(items: unknown, allowed: ReadonlySet<string> = HARMLESS_ITEM_PROPERTIES): boolean {
  // Not a list: absent, or a number (a comment's `rows` is its height).
  if (!Array.isArray(items)) return typeof items !== 'object' || items === null;
  return items.every((item) => typeof item !== 'object' || item === null || Object.keys(item).every((key) => allowed.has(key)));
}

/** The properties of a question that are not harmless; null when it is not a plain type at all. */
function ruleProperties(question: Json): string[] | null {
  if (!PLAIN_TYPES.has(String(question.type))) return null;
  const rules = Object.keys(question).filter((key) => !HARMLESS_PROPERTIES.has(key));
  if (['choices', 'rows', 'columns', 'rateValues'].some((key) => !itemsArePlain(question[key]))) rules.push('items');
  return rules;
}

/** Whether a question's rules read only its own answer (its name aside: see splitByRules). */
function judgedByOwnValue(question: Json): boolean {
  if (!ALONE_TYPES.has(String(question.type))) return false;
  const plain = ['choices', 'rows', 'columns', 'rateValues'].every((key) => itemsArePlain(question[key], OWN_VALUE_ITEM_PROPERTIES));
  const validators = question.validators;
  const ownValidators =
    validators === undefined ||
    (Array.isArray(validators) &&
      validators.every((validator) => {
        const { type, expression } = (validator ?? {}) as Json;
        return OWN_VALUE_VALIDATORS.has(String(type)) && expression === undefined;
      }));
  // `=today()` and the like are expressions, evaluated anew each time.
  const computed = JSON.stringify(question).includes('"=');
  return plain && ownValidators && !computed && Object.keys(question).every((key) => HARMLESS_PROPERTIES.has(key) || OWN_VALUE_RULES.has(key));
}

/** The condition a page or panel puts on everything inside; `more` for anything beyond visibility. */
function containerCondition(container: Json): string | null | 'more' {
  const present = CONTAINER_RULES.filter((key) => container[key] !== undefined && container[key] !== false && container[key] !== '');
  if (present.length === 0) return null;
  if (present.length === 1 && present[0] === 'visibleIf' && typeof container.visibleIf === 'string') return container.visibleIf;
  return 'more';
}

/** Names a question takes its choices or values from: those questions must stay in the model too. */
function referencedQuestions(question: Json): string[] {
  return ['choicesFromQuestion', 'rowsFromQuestion', 'columnsFromQuestion']
    .map((key) => question[key])
    .filter((name): name is string => typeof name === 'string');
}

/** Conditions can be evaluated outside the model only when they read nothing but answers. */
function conditionsReadOnlyAnswers(definition: Json): boolean {
  const hasCalculated = Array.isArray(definition.calculatedValues) && definition.calculatedValues.length > 0;
  // A question with valuePropertyName shows conditions a value different from its stored one.
  return !hasCalculated && !JSON.stringify(definition).includes('"valuePropertyName"');
}

/** The definition split as described above, or null when it must go to survey-core whole. */
export function splitByRules(
  definition: Json,
  options: { alone: boolean; keep: ReadonlySet<string> } = { alone: true, keep: new Set() },
): RuledDefinition | null {
  if (Array.isArray(definition.triggers) && definition.triggers.length > 0) return null;
  if (!Array.isArray(definition.pages)) return null;
  const evaluateOutside = conditionsReadOnlyAnswers(definition);

  // First pass: which questions have rules, directly or through the pages and panels around them.
  const kept = new Set<string>();
  const shownWhen = new Map<string, string[]>();
  const references: string[] = [];
  const alone = new Map<string, Json>();
  // The names each question (and, under '', everything that is not a question) could read.
  const readsOf = new Map<Json | '', Set<string>>();
  const mark = (elements: unknown, inherited: string[] | 'more') => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as Json[]) {
      const type = String(element.type);
      if (type === 'panel') {
        const own = containerCondition(element);
        const conditions = inherited === 'more' || own === 'more' ? 'more' : own === null ? inherited : [...inherited, own];
        mark(element.elements, conditions);
        continue;
      }
      readsOf.set(element, namesReadBy(element));
      if (DISPLAY_TYPES.has(type)) continue;
      const name = String(element.name);
      const rules = ruleProperties(element);
      references.push(...referencedQuestions(element));
      const conditions = typeof element.visibleIf === 'string' && inherited !== 'more' ? [...inherited, element.visibleIf] : inherited;
      const outside = conditions !== 'more' && evaluateOutside && conditions.every((condition) => !SURVEY_CONTEXT_FUNCTIONS.test(condition));
      if (conditions !== 'more' && rules !== null && rules.every((key) => key === 'visibleIf')) {
        if (conditions.length === 0) continue; // rule-free
        if (outside) {
          shownWhen.set(name, conditions);
          continue;
        }
      }
      if (outside && options.alone && !options.keep.has(name) && judgedByOwnValue(element)) {
        alone.set(name, element);
        if (conditions.length > 0) shownWhen.set(name, conditions);
        continue;
      }
      kept.add(name);
    }
  };
  for (const page of definition.pages as Json[]) {
    const own = containerCondition(page);
    mark(page.elements, own === 'more' ? 'more' : own === null ? [] : [own]);
  }
  // A question judged alone must be read by nothing else: otherwise its answer goes to the model.
  const { pages: _pages, ...frame } = definition;
  readsOf.set('', namesReadBy({ frame, pages: (definition.pages as Json[]).map((page) => withoutQuestions(page)) }));
  const suffix = String(definition.commentSuffix || '-Comment').toLowerCase();
  for (const [name, element] of alone) {
    const own = [name.toLowerCase(), `${name.toLowerCase()}${suffix}`];
    const readElsewhere = [...readsOf].some(([reader, names]) => reader !== element && own.some((n) => names.has(n)));
    if (readElsewhere) references.push(name);
  }
  for (const name of references) {
    kept.add(name);
    shownWhen.delete(name);
    alone.delete(name);
  }

  // Second pass: copy the structure with only the kept questions (and non-empty panels and pages).
  const prune = (elements: unknown): Json[] => {
    if (!Array.isArray(elements)) return [];
    const out: Json[] = [];
    for (const element of elements as Json[]) {
      if (element.type === 'panel') {
        const inner = prune(element.elements);
        if (inner.length > 0) out.push({ ...element, elements: inner });
      } else if (kept.has(String(element.name))) {
        out.push(element);
      }
    }
    return out;
  };
  // Pages without conditions of their own are merged into one: survey-core does work per page on
  // every change of data, and page boundaries mean nothing for validation.
  const unconditioned: Json[] = [];
  const pages: Json[] = [];
  for (const page of definition.pages as Json[]) {
    const elements = prune(page.elements);
    if (elements.length === 0) continue;
    if (containerCondition(page) !== null) pages.push({ ...page, elements });
    else unconditioned.push(...elements);
  }
  if (unconditioned.length > 0 || pages.length === 0) pages.unshift({ name: '__questions_with_rules__', elements: unconditioned });
  const reduced = { ...definition, pages };
  return { definition: reduced, kept, shownWhen, alone, reads: namesReadBy(reduced) };
}

/** A page or panel with its questions left out (its own properties and panels kept). */
function withoutQuestions(container: Json): Json {
  const elements = Array.isArray(container.elements) ? (container.elements as Json[]) : [];
  return { ...container, elements: elements.filter((element) => element.type === 'panel').map((panel) => withoutQuestions(panel)) };
}

function namesReadBy(definition: Json): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown) => {
    if (typeof node === 'string') {
      names.add(node.toLowerCase());
      for (const match of node.matchAll(/\{([^{}]+)\}/g)) names.add(match[1]!.trim().split(/[.[]/)[0]!.toLowerCase());
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) {
      Object.values(node).forEach(visit);
    }
  };
  visit(definition);
  return names;
}
