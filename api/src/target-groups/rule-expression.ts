import { ExpressionRunner } from 'survey-core';

type ValueGetterContext = Parameters<ExpressionRunner['validate']>[0];

/** Why a rule expression is refused when it is saved. */
export type RuleExpressionProblem = 'syntax' | 'unknown_function' | 'not_a_condition' | 'async_function';

// survey-core's validate() only needs a context to look up variables, and variable checks are off:
// rules may name questions of any instrument, including ones added later.
const NO_VARIABLES: ValueGetterContext = { getValue: () => ({ isFound: false }) };

/**
 * Checks a rule before it is saved. survey-core accepts some broken input at parse time (an unknown
 * function only warns when it runs, `{a} + 1` is no condition), so this asks its validator too.
 */
export function checkRuleExpression(expression: string): RuleExpressionProblem | null {
  if (expression.trim() === '') return 'syntax';
  const runner = new ExpressionRunner(expression);
  if (!runner.canRun()) return 'syntax';
  if (runner.isAsync) return 'async_function';
  const errors = runner.validate(NO_VARIABLES, { variables: false, functions: true, semantics: true }, true);
  // ExpressionErrorType: 0 syntax, 1 unknown function, 3 semantic (constant or non-boolean).
  if (errors.some((error) => error.errorType === 0)) return 'syntax';
  if (errors.some((error) => error.errorType === 1)) return 'unknown_function';
  if (errors.some((error) => error.errorType === 3)) return 'not_a_condition';
  return null;
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
