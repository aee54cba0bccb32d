import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Database, SurveyKind } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { KEY_MODULUS, publishCount } from '../analysis/disclosure/cell-key.ts';
import { getSuppressionThreshold } from '../settings/index.ts';
import * as repository from './repository.ts';
import { forgetRules } from './rules-cache.ts';
import type { TargetGroup } from './repository.ts';
import { checkRuleExpression, describeRuleExpression, ruleIssueParams, ruleMatches, type RuleExpressionIssue } from './rule-expression.ts';

export type { TargetGroup };

/** The rules that apply to a response of this kind of survey (all rules when the kind is unknown). */
function appliesTo(rule: TargetGroup, surveyKind: SurveyKind | undefined): boolean {
  return rule.surveyKind === null || surveyKind === undefined || rule.surveyKind === surveyKind;
}

/** Pure: the codes of every rule these answers satisfy, in the rules' order. Groups overlap by design. */
export function evaluateTargetGroups(
  rules: readonly TargetGroup[],
  answers: Record<string, unknown>,
  surveyKind?: SurveyKind,
): string[] {
  return rules.filter((rule) => appliesTo(rule, surveyKind) && ruleMatches(rule.expression, answers)).map((rule) => rule.code);
}

export interface RecomputeResult {
  examined: number;
  changed: number;
}

/**
 * Re-tags every stored response with the current rules, a page at a time (flat memory). Each page
 * reads the rules afresh inside its own transaction, so two recomputations running at once both end
 * on the newest rules.
 */
export async function recomputeTargetGroups(
  db: Kysely<Database>,
  options: { pageSize?: number } = {},
): Promise<RecomputeResult> {
  const pageSize = options.pageSize ?? 1000;
  let afterId: string | null = null;
  let examined = 0;
  let changed = 0;
  for (;;) {
    const page: { count: number; lastId: string | null; changed: number } = await db.transaction().execute(async (trx) => {
      const rules = await repository.listTargetGroups(trx);
      const rows = await repository.responsePage(trx, afterId, pageSize);
      const memberships = rows.map((row) => ({
        id: row.id,
        targetGroups: evaluateTargetGroups(rules, row.answers ?? {}, row.surveyKind),
      }));
      const updated = await repository.writeMemberships(trx, memberships);
      return { count: rows.length, lastId: rows.at(-1)?.id ?? null, changed: updated };
    });
    examined += page.count;
    changed += page.changed;
    if (page.count < pageSize || page.lastId === null) break;
    afterId = page.lastId;
  }
  return { examined, changed };
}

const labelSchema = z
  .record(z.string().trim().min(1).max(200))
  .transform((label) => {
    // German is SurveyJS's `default`; accept `de` from clients that think in locale codes.
    const { de, ...rest } = label;
    return de !== undefined && rest.default === undefined ? { ...rest, default: de } : rest;
  })
  .refine((label) => typeof label.default === 'string', { message: 'label needs German text (key "default" or "de")' })
  .refine((label) => Object.keys(label).every((key) => key === 'default' || (SUPPORTED_LOCALES as readonly string[]).includes(key)), {
    message: `label keys must be supported locales: ${SUPPORTED_LOCALES.join(', ')}`,
  });

export const targetGroupInputSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'code: lower-case letters, digits and _, starting with a letter'),
  label: labelSchema,
  expression: z.string().trim().min(1).max(2000),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  surveyKind: z.enum(['resident', 'interview', 'stakeholder']).nullable().default(null),
});
export const targetGroupPatchSchema = targetGroupInputSchema.omit({ code: true }).partial();
export type TargetGroupInput = z.input<typeof targetGroupInputSchema>;
export type TargetGroupPatch = z.input<typeof targetGroupPatchSchema>;

function assertValidExpression(expression: string): void {
  const issue = describeRuleExpression(expression);
  if (issue) throw new ApiError(422, 'invalid_target_group_expression', ruleIssueParams(expression, issue), { issue });
}

function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    throw new ApiError(400, 'invalid_request', { details });
  }
  return parsed.data;
}

/** What a rule would match, as the admin's form shows it while the rule is typed. */
export type RuleCheck =
  | ({ valid: false } & RuleExpressionIssue)
  | {
      valid: true;
      /** The number of stored responses it matches, published through the cell key method. */
      matches: number;
      k: number;
      /** The published count is k: the true count is anywhere from 1 to a little above k. */
      atThreshold: boolean;
    };

/**
 * Checks a rule without saving it and counts the stored responses it matches. The count leaves the
 * server only as the cell key method publishes it (the same as in every table), never raw: the
 * rule form must not become a way to count small groups exactly.
 */
export async function checkRule(db: Kysely<Database>, expression: string, surveyKind: SurveyKind | null, pageSize = 1000): Promise<RuleCheck> {
  const issue = describeRuleExpression(expression);
  if (issue) return { valid: false, ...issue };
  const rule: TargetGroup = { code: 'check', label: { default: '' }, expression, sortOrder: 0, surveyKind };
  let n = 0;
  let keySum = 0;
  let afterId: string | null = null;
  for (;;) {
    const page = await repository.responseKeyPage(db, afterId, pageSize);
    for (const response of page) {
      if (evaluateTargetGroups([rule], response.answers, response.surveyKind).length === 0) continue;
      n += 1;
      keySum = (keySum + response.recordKey) % KEY_MODULUS;
    }
    if (page.length < pageSize) break;
    afterId = page[page.length - 1]!.id;
  }
  const k = await getSuppressionThreshold(db);
  const matches = publishCount(n, keySum, k);
  return { valid: true, matches, k, atThreshold: matches === k };
}

export interface Actor {
  id: string;
}

/** Creates a rule (refusing an expression survey-core cannot run) and tags every stored response. */
export async function createTargetGroup(db: Kysely<Database>, input: unknown, actor: Actor | null) {
  const group = parseOrThrow(targetGroupInputSchema, input);
  assertValidExpression(group.expression);
  if (!(await repository.changeRules(db, (trx) => repository.insertTargetGroup(trx, group)))) {
    throw new ApiError(409, 'target_group_exists', { code: group.code });
  }
  forgetRules(db);
  const recompute = await recomputeTargetGroups(db);
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: 'target_group.create',
    target: group.code,
    details: { expression: group.expression, surveyKind: group.surveyKind, ...recompute },
  });
  return { targetGroup: group, recompute };
}

/** Changes a rule; a new expression or scope re-tags every stored response. */
export async function updateTargetGroup(db: Kysely<Database>, code: string, patch: unknown, actor: Actor | null) {
  const changes = parseOrThrow(targetGroupPatchSchema, patch);
  const existing = await repository.findTargetGroup(db, code);
  if (!existing) throw new ApiError(404, 'target_group_not_found', { code });
  if (changes.expression !== undefined) assertValidExpression(changes.expression);
  const updated: TargetGroup = {
    code,
    label: changes.label ?? existing.label,
    expression: changes.expression ?? existing.expression,
    sortOrder: changes.sortOrder ?? existing.sortOrder,
    surveyKind: changes.surveyKind !== undefined ? changes.surveyKind : existing.surveyKind,
  };
  await repository.changeRules(db, (trx) => repository.updateTargetGroup(trx, updated));
  forgetRules(db);
  // Order changes the order of stored codes only cosmetically; the rule or its scope changes membership.
  const membershipChanges = updated.expression !== existing.expression || updated.surveyKind !== existing.surveyKind;
  const recompute = membershipChanges ? await recomputeTargetGroups(db) : null;
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: 'target_group.update',
    target: code,
    details: {
      changed: Object.keys(changes),
      ...(membershipChanges ? { previousExpression: existing.expression, expression: updated.expression } : {}),
      ...(recompute ?? {}),
    },
  });
  return { targetGroup: updated, recompute };
}

/** Deletes a rule and removes its code from every stored response. */
export async function deleteTargetGroup(db: Kysely<Database>, code: string, actor: Actor | null) {
  const existing = await repository.findTargetGroup(db, code);
  if (!existing) throw new ApiError(404, 'target_group_not_found', { code });
  await repository.changeRules(db, (trx) => repository.deleteTargetGroup(trx, code));
  forgetRules(db);
  const recompute = await recomputeTargetGroups(db);
  await recordAudit(db, {
    actorId: actor?.id ?? null,
    action: 'target_group.delete',
    target: code,
    details: { expression: existing.expression, ...recompute },
  });
  return { recompute };
}

/** Seeds the demo town's rules (only codes not present yet; an edited rule is never overwritten). */
export async function seedDemoTargetGroups(db: Kysely<Database>, rules: readonly TargetGroup[]): Promise<number> {
  let inserted = 0;
  for (const rule of rules) {
    if (checkRuleExpression(rule.expression)) throw new Error(`demo target group ${rule.code}: invalid expression`);
    if (await repository.changeRules(db, (trx) => repository.insertTargetGroup(trx, rule))) inserted += 1;
  }
  forgetRules(db);
  return inserted;
}

export { listTargetGroups } from './repository.ts';
