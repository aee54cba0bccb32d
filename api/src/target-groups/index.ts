/** Target groups: named rules over answers, and each response's membership. What other features may use. */
export {
  evaluateTargetGroups,
  listTargetGroups,
  recomputeTargetGroups,
  seedDemoTargetGroups,
  type TargetGroup,
} from './service.ts';
export { demoTargetGroups } from './demo-rules.ts';
export { currentRulesRevision, rulesRevisionIs } from './repository.ts';
export { currentRules, forgetRules } from './rules-cache.ts';
export { checkRuleExpression } from './rule-expression.ts';
