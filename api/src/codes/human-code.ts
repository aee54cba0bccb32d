import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../surveys/canonical-json.ts';

/**
 * Codes a person writes down or types on a phone (resume a draft, withdraw a contact): 12 characters
 * of Crockford's base 32, which leaves out I, L, O and U, shown as `XXXX-XXXX-XXXX`. 32^12 = 2^60
 * possibilities: with codes unguessable by entropy alone, looking one up needs no rate limit to be
 * safe (rate limits come on top).
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 12;
export const HUMAN_CODE_BITS = LENGTH * Math.log2(ALPHABET.length);

export function newHumanCode(): string {
  return humanCodeFromBytes(randomBytes(LENGTH));
}

/**
 * A code from the first 12 of given uniformly random bytes (a keyed hash's output, where the same
 * request must get the same code again). 256 is a multiple of 32, so taking each byte modulo 32
 * keeps every character equally likely.
 */
export function humanCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < LENGTH) throw new RangeError(`a human code needs ${LENGTH} random bytes`);
  const chars = [...bytes.subarray(0, LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]!);
  return [0, 4, 8].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

/**
 * The canonical form of a typed code, or null when it cannot be one: case, spaces and hyphens do
 * not matter, and the letters people confuse with digits are read as those digits (O → 0, I/L → 1).
 */
export function normaliseHumanCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== LENGTH || [...compact].some((char) => !ALPHABET.includes(char))) return null;
  return compact;
}

/**
 * What the database keeps instead of the code. The purpose is part of the hash, so a resume code can
 * never be used as a withdrawal code or the other way round. A plain SHA-256 suffices: with 60 bits
 * of entropy there is no dictionary to try.
 */
export function hashHumanCode(purpose: 'draft' | 'contact' | 'event-registration', normalised: string): string {
  return sha256Hex(`${purpose}:${normalised}`);
}
