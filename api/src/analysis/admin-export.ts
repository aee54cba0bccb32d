import { ApiError } from '../http/errors.ts';

const REASON_LENGTH = { min: 10, max: 500 };

/**
 * The files that can point at one person (the full raw data, weights.csv): admins only, and only
 * with a reason that the caller writes to the audit log. Answers 403 to any other role and 400
 * `<code>` without a reason of REASON_LENGTH characters.
 */
export function adminExportReason(role: string, reason: string | undefined, options: { forbidden: string; reasonRequired: string }): string {
  if (role !== 'admin') throw new ApiError(403, options.forbidden);
  const text = (reason ?? '').trim();
  if (text.length < REASON_LENGTH.min || text.length > REASON_LENGTH.max) throw new ApiError(400, options.reasonRequired, REASON_LENGTH);
  return text;
}
