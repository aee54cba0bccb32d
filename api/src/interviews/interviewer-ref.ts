import { createHmac } from 'node:crypto';
import { loadDataDirKey } from '../secrets/data-dir-key.ts';

/**
 * The key behind interviewer references, `DATA_DIR/secrets/interviewer-ref.key`, created on first
 * start. It stays out of the database on purpose: whoever holds a database dump sees references,
 * but cannot recompute which account is behind one. Losing the file only means new references from then on.
 */
export async function loadInterviewerRefKey(dataDir: string): Promise<Buffer> {
  return loadDataDirKey(dataDir, 'interviewer-ref');
}

/**
 * The pseudonymous reference stored with an interview: stable per account, so field management can
 * count conversations per interviewer, but neither the email nor the account id.
 */
export function interviewerRef(key: Buffer, userId: string): string {
  return `iv-${createHmac('sha256', key).update(userId).digest('hex').slice(0, 16)}`;
}
