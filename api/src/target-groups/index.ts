/** Target groups: named rules over answers, and each response's membership. What other features may use. */
export {
  evaluateTargetGroups,
  listTargetGroups,
  recomputeTargetGroups,
  seedDemoTargetGroups,
  targetGroupsFor,
  type TargetGroup,
} from './service.ts';
export { demoTargetGroups } from './demo-rules.ts';
export { checkRuleExpression } from './rule-expression.ts';
