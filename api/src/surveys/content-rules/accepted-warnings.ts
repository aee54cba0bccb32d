import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../../shared/locales.ts';
import { RULES, type ContentFinding, type RuleName } from './finding.ts';

/**
 * A warning a reviewer has looked at and accepted, kept in the instrument file beside the
 * definition (outside the versioned content: accepting a warning is not a new version). Without
 * `where` it holds in every element, without `subject` for every text; `reason` is required, so the
 * next reviewer can see why.
 */
export const acceptedWarningSchema = z.object({
  rule: z.enum(Object.keys(RULES) as [RuleName, ...RuleName[]]),
  where: z.string().optional(),
  locale: z.enum(SUPPORTED_LOCALES).optional(),
  subject: z.string().optional(),
  reason: z.string().min(3),
}).strict();
export type AcceptedWarning = z.infer<typeof acceptedWarningSchema>;

export function isAccepted(found: ContentFinding, accepted: readonly AcceptedWarning[]): boolean {
  if (found.severity !== 'warning') return false;
  return accepted.some((entry) => entry.rule === found.rule
    && (entry.where === undefined || entry.where === found.where)
    && (entry.locale === undefined || entry.locale === found.locale)
    && (entry.subject === undefined || entry.subject === found.subject));
}
