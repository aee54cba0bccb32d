import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../shared/password-rules.ts';

// argon2id with the library's defaults (64 MiB, t=3, p=4), which meet the OWASP recommendation.
const HASH_OPTIONS = { type: argon2.argon2id } as const;

// Each hash takes 64 MiB and ~150 ms of CPU: a burst of logins must queue instead of exhausting memory.
const MAX_CONCURRENT_HASHES = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export function hashPassword(password: string): Promise<string> {
  return withHashSlot(() => argon2.hash(password, HASH_OPTIONS));
}

/** False for a wrong password and for a malformed stored hash alike. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return withHashSlot(async () => {
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
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}
