import { ConditionsParser, ExpressionRunner } from 'survey-core';

type ValueGetterContext = Parameters<ExpressionRunner['validate']>[0];

/** Why a rule expression is refused when it is saved. */
export type RuleExpressionProblem = 'syntax' | 'unknown_function' | 'not_a_condition' | 'async_function';

// survey-core's validate() only needs a context to look up variables, and variable checks are off:
// rules may name questions of any instrument, including ones added later.
const NO_VARIABLES: ValueGetterContext = { getValue: () => ({ isFound: false }) };

/**
 * What is wrong with a rule, for the admin: the kind of problem and, where the parser knows it, the
 * place (1-based character) and the term there, or the unknown function's name. Never the
 * parser's own text (a list of grammar tokens in English).
 */
export interface RuleExpressionIssue {
  problem: RuleExpressionProblem;
  /** `syntax`: the character where reading failed (1-based); past the end when the rule stops short. */
  position?: number;
  /** `syntax`: the term at that place; `unknown_function`: the function's name. */
  term?: string;
  /** `syntax`: the rule stops before it is complete (a value, bracket or quote missing). */
  atEnd?: boolean;
}

// A term as a person reads it: a {question}, a quoted value, a word or number, or one character.
const TERM = /^(?:\{[^}]*\}?|'[^']*'?|"[^"]*"?|[\p{L}\p{N}_.]+|\S)/u;

/**
 * Checks a rule before it is saved. survey-core accepts some broken input at parse time (an unknown
 * function only warns when it runs, `{a} + 1` is no condition), so this asks its validator too.
 */
export function describeRuleExpression(expression: string): RuleExpressionIssue | null {
  if (expression.trim() === '') return { problem: 'syntax', position: 1, atEnd: true };
  const runner = new ExpressionRunner(expression);
  if (!runner.canRun()) return syntaxIssue(expression);
  if (runner.isAsync) return { problem: 'async_function' };
  const errors = runner.validate(NO_VARIABLES, { variables: false, functions: true, semantics: true }, true);
  // ExpressionErrorType: 0 syntax, 1 unknown function, 3 semantic (constant or non-boolean).
  if (errors.some((error) => error.errorType === 0)) return syntaxIssue(expression);
  const unknown = errors.find((error) => error.errorType === 1);
  if (unknown) return { problem: 'unknown_function', ...(unknown.functionName ? { term: unknown.functionName } : {}) };
  if (errors.some((error) => error.errorType === 3)) return { problem: 'not_a_condition' };
  return null;
}

export function checkRuleExpression(expression: string): RuleExpressionProblem | null {
  return describeRuleExpression(expression)?.problem ?? null;
}

/** Where survey-core's parser stopped (its `at`, an offset into the text), as a place and a term. */
function syntaxIssue(expression: string): RuleExpressionIssue {
  const parser = new ConditionsParser();
  parser.parseExpression(expression);
  const at = parser.error?.at;
  if (typeof at !== 'number' || at < 0) return { problem: 'syntax' };
  if (expression.slice(at).trim() === '') return { problem: 'syntax', position: Math.min(at, expression.length) + 1, atEnd: true };
  const rest = expression.slice(at).trimStart();
  const start = expression.length - rest.length;
  return { problem: 'syntax', position: start + 1, term: TERM.exec(rest)?.[0] ?? rest[0]! };
}

/**
 * The interpolation values of `errors.invalid_target_group_expression`: i18next's `context` picks
 * the sentence for the kind of problem (`…_syntax_at`, `…_syntax_end`, `…_unknown_function`,
 * `…_not_a_condition`, `…_async_function`; without one the general sentence).
 */
export function ruleIssueParams(expression: string, issue: RuleExpressionIssue): Record<string, string | number> {
  const context =
    issue.problem === 'syntax'
      ? issue.atEnd
        ? 'syntax_end'
        : issue.term !== undefined
          ? 'syntax_at'
          : undefined
      : issue.problem === 'unknown_function' && issue.term === undefined
        ? undefined
        : issue.problem;
  return {
    expression,
    ...(context ? { context } : {}),
    ...(issue.position !== undefined ? { position: issue.position } : {}),
    ...(issue.term !== undefined ? { term: issue.term } : {}),
  };
}

interface CompiledRule {
  runner: ExpressionRunner;
  /** The answer names it reads, lower-case (`{languages_home.length}` reads `languages_home`). */
  roots: ReadonlySet<string>;
  /**
   * Results by the values it reads, when those are all it depends on (it calls no function:
   * `today()` changes at midnight); null otherwise. Most rules read a choice or two, so a few
   * entries answer nearly every response.
   */
  results: Map<string, boolean> | null;
}

const FUNCTION_CALL = /[A-Za-z_$][\w$]*\s*\(/;
const MAX_RESULTS_PER_RULE = 1024;

// Parsing costs far more than running; rules are few, so one compiled runner per expression text.
// Bounded so that a long series of edited rules cannot grow it without end.
const compiled = new Map<string, CompiledRule>();
const MAX_COMPILED = 1000;

function compile(expression: string): CompiledRule {
  let rule = compiled.get(expression);
  if (!rule) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    const runner = new ExpressionRunner(expression);
    const roots = new Set(runner.canRun() ? runner.getVariables().map((name) => name.split(/[.[]/)[0]!.toLowerCase()) : []);
    rule = { runner, roots, results: FUNCTION_CALL.test(expression) ? null : new Map() };
    compiled.set(expression, rule);
  }
  return rule;
}

/** True only when the expression evaluates to exactly `true` for these answers (missing answers: false). */
export function ruleMatches(expression: string, answers: Record<string, unknown>): boolean {
  const { runner, roots, results } = compile(expression);
  if (!runner.canRun()) return false;
  // Only the answers it names: survey-core's expression engine takes markedly longer over a whole
  // response than over the two or three values a rule reads, and an expression can read nothing
  // else. (Names match regardless of case, as survey-core matches them.)
  const named: Record<string, unknown> = {};
  for (const key of Object.keys(answers)) if (roots.has(key.toLowerCase())) named[key] = answers[key];
  if (!results) return runner.runValues(named) === true;
  const key = JSON.stringify(named);
  let result = results.get(key);
  if (result === undefined) {
    result = runner.runValues(named) === true;
    if (results.size >= MAX_RESULTS_PER_RULE) results.clear();
    results.set(key, result);
  }
  return result;
}
