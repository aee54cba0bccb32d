import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { passwordHashQueue, type HashRunner } from './hash-queue.ts';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../shared/password-rules.ts';

// argon2id with the library's defaults (64 MiB, t=3, p=4), which meet the OWASP recommendation.
const HASH_OPTIONS = { type: argon2.argon2id } as const;

// Every hash runs in a slot of the bounded queue (hash-queue.ts), so a burst cannot exhaust memory
// or the CPU; a login passes the runner of its ticket, everything else waits in the process's queue.
export function hashPassword(password: string, run: HashRunner = passwordHashQueue.run): Promise<string> {
  return run(() => argon2.hash(password, HASH_OPTIONS));
}

/** False for a wrong password and for a malformed stored hash alike. */
export function verifyPassword(passwordHash: string, password: string, run: HashRunner = passwordHashQueue.run): Promise<boolean> {
  return run(async () => {
    try {
      return await argon2.verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

let dummyHash: Promise<string> | null = null;

/**
 * Burns the same time as checking a real password. Used for unknown email addresses, so that the
 * answer time does not tell an attacker which addresses have accounts.
 */
export async function verifyAgainstDummy(password: string, run: HashRunner = passwordHashQueue.run): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  await verifyPassword(await dummyHash, password, run);
  return false;
}
