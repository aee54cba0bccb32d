import { createHmac, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashHumanCode, humanCodeFromBytes, newHumanCode, normaliseHumanCode } from '../codes/human-code.ts';
import type { Database } from '../db/schema.ts';
import { listDistrictCodes } from '../districts/index.ts';
import { ApiError } from '../http/errors.ts';
import type { Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { FIELDS_OF_ACTION, PARTICIPATION_FORMATS } from '../shared/contact-options.ts';
import { hashConfirmToken, hashWithdrawToken } from '../mail/index.ts';
import { confirmContactByTokenHash, contactExistsByCodeHash, deleteContactByCodeHash, deleteContactByTokenHash, insertHeldContact } from './repository.ts';

export interface ContactInput {
  locale: Locale;
  /** Must be exactly `true`: the person ticked the consent box themselves. */
  consent?: unknown;
  /** Which consent text the person saw (the privacy notice changes over time). */
  consentVersion?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  topics: string[];
  formats: string[];
  district?: string | null;
  /**
   * A UUID the device generated for this one form (the interviewer app's hand-over): sent again
   * after a lost answer, it stores nothing new and gets the same withdrawal code back.
   */
  idempotencyKey?: string | null;
}

export interface ContactDeps {
  db: Kysely<Database>;
  /** Server key (DATA_DIR) from which a repeated form's withdrawal code is derived; random in tests. */
  addressKey: Buffer;
}

export interface FieldError {
  field: string;
  message: string;
}

const LIMITS = { name: 100, email: 254, phone: 32 } as const;
// Deliberately loose: one @, something on both sides, a dot in the domain. A stricter pattern
// refuses real addresses (internationalised domains, plus signs); the town's mail bounces the rest.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/u;
const PHONE_PATTERN = /^\+?[0-9 ()/.-]+$/;
const CONSENT_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Accepts a person's wish to get involved and returns the code with which they can withdraw it. The
 * contact has no link to any response: its own random id, no response id, only the month; it waits
 * in the holding table until the mover (intake-mover.ts) shifts it into `contact` with others.
 */
export async function createContact(deps: ContactDeps, input: ContactInput): Promise<{ withdrawCode: string; repeated: boolean }> {
  if (input.consent !== true) throw new ApiError(422, 'consent_required');
  const contact = {
    name: blankToNull(input.name),
    email: blankToNull(input.email),
    phone: blankToNull(input.phone),
    district: blankToNull(input.district),
  };
  if (!contact.email && !contact.phone) throw new ApiError(422, 'contact_channel_required');

  const errors = await fieldErrors(deps.db, input, contact);
  if (errors.length > 0) throw new ApiError(422, 'validation_failed', {}, { errors });

  // With a key, the code is the key's keyed hash: the same form sent twice has one code, and its
  // hash (unique in both tables) is what finds the first copy. The key itself is never stored.
  const withdrawCode = input.idempotencyKey ? withdrawCodeForKey(deps.addressKey, input.idempotencyKey) : newHumanCode();
  const withdrawCodeHash = hashHumanCode('contact', normaliseHumanCode(withdrawCode)!);
  if (input.idempotencyKey && (await contactExistsByCodeHash(deps.db, withdrawCodeHash))) return { withdrawCode, repeated: true };
  const inserted = await insertHeldContact(deps.db, {
    id: randomUUID(),
    withdrawCodeHash,
    ...contact,
    topics: [...new Set(input.topics)],
    formats: [...new Set(input.formats)],
    locale: input.locale,
    consentTextVersion: input.consentVersion!,
  });
  return { withdrawCode, repeated: !inserted };
}

/** The withdrawal code of the form with this device key: HMAC with its own purpose label. */
export function withdrawCodeForKey(key: Buffer, idempotencyKey: string): string {
  return humanCodeFromBytes(createHmac('sha256', key).update(`contact-withdraw-code\0${idempotencyKey.toLowerCase()}`).digest());
}

/** Deletes the contact a withdrawal code belongs to; false when there is none (any more). */
export async function withdrawContact(deps: ContactDeps, code: string): Promise<boolean> {
  const normalised = normaliseHumanCode(code);
  if (!normalised) return false;
  return deleteContactByCodeHash(deps.db, hashHumanCode('contact', normalised));
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

/** Double opt-in: the link in the confirmation message makes an email contact usable. */
export async function confirmContact(deps: ContactDeps, token: string): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false;
  return confirmContactByTokenHash(deps.db, hashConfirmToken(token));
}

/**
 * Withdrawal with the token from a message's withdrawal link instead of the code. A confirmation
 * token is never found here. Links sent before the two had tokens of their own carried the
 * confirmation token, hashed under its label; the migration copied those hashes to this column.
 */
export async function withdrawContactByToken(deps: ContactDeps, token: string): Promise<boolean> {
  if (!TOKEN_PATTERN.test(token)) return false;
  return deleteContactByTokenHash(deps.db, [hashWithdrawToken(token), hashConfirmToken(token)]);
}

async function fieldErrors(
  db: Kysely<Database>,
  input: ContactInput,
  contact: { name: string | null; email: string | null; phone: string | null; district: string | null },
): Promise<FieldError[]> {
  const t = messageFor(input.locale);
  const errors: FieldError[] = [];
  const add = (field: string, key: string, params: Record<string, string | number> = {}) =>
    errors.push({ field, message: t(`errors.${key}`, params) });

  if (!input.consentVersion || !CONSENT_VERSION_PATTERN.test(input.consentVersion)) add('consentVersion', 'contact_field_invalid');
  if (contact.name !== null) {
    if (contact.name.length > LIMITS.name) add('name', 'contact_field_too_long', { max: LIMITS.name });
    else if (CONTROL_CHARACTERS.test(contact.name)) add('name', 'contact_field_invalid');
  }
  if (contact.email !== null) {
    if (contact.email.length > LIMITS.email) add('email', 'contact_field_too_long', { max: LIMITS.email });
    else if (!EMAIL_PATTERN.test(contact.email)) add('email', 'contact_invalid_email');
  }
  if (contact.phone !== null) {
    const digits = contact.phone.replace(/\D/g, '').length;
    if (contact.phone.length > LIMITS.phone) add('phone', 'contact_field_too_long', { max: LIMITS.phone });
    else if (!PHONE_PATTERN.test(contact.phone) || digits < 5) add('phone', 'contact_invalid_phone');
  }
  input.topics.forEach((topic, index) => {
    if (!(FIELDS_OF_ACTION as readonly string[]).includes(topic)) add(`topics[${index}]`, 'contact_invalid_option');
  });
  input.formats.forEach((format, index) => {
    if (!(PARTICIPATION_FORMATS as readonly string[]).includes(format)) add(`formats[${index}]`, 'contact_invalid_option');
  });
  if (contact.district !== null && !(await listDistrictCodes(db)).includes(contact.district)) {
    add('district', 'contact_invalid_option');
  }
  return errors;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
