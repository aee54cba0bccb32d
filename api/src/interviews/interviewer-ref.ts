import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

const KEY_FILE = path.join('secrets', 'interviewer-ref.key');

/**
 * The key behind interviewer references, kept in DATA_DIR and created on first start. It stays
 * out of the database on purpose: whoever holds a database dump sees references, but cannot
 * recompute which account is behind one. Losing the file only means new references from then on.
 */
export async function loadInterviewerRefKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE);
  try {
    return await readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': if another process created the file meanwhile, keep theirs.
    await fs.writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(file);
}

async function readKey(file: string): Promise<Buffer> {
  const key = Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex');
  if (key.length < 32) throw new Error(`${file} does not hold a 32-byte hex key`);
  return key;
}

/**
 * The pseudonymous reference stored with an interview: stable per account, so field management can
 * count conversations per interviewer, but neither the email nor the account id.
 */
export function interviewerRef(key: Buffer, userId: string): string {
  return `iv-${createHmac('sha256', key).update(userId).digest('hex').slice(0, 16)}`;
}
