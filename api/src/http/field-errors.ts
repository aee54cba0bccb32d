import type { Context } from 'hono';
import type { z } from 'zod';
import { messageFor } from '../i18n/messages.ts';
import type { AppEnv } from './app-env.ts';
import type { FieldError } from '../shared/contract.ts';
import { ApiError } from './errors.ts';

/** Message keys a schema may name as its zod message (see town/settings-schema.ts). */
const FIELD_CODES = new Set([
  'field_required',
  'field_invalid',
  'field_invalid_email',
  'field_invalid_phone',
  'field_invalid_date',
  'field_invalid_url',
  'field_too_long',
  'field_date_not_future',
  'field_unknown',
]);

/** Turns zod's issues into localised field errors (one per field, the first problem). */
export function fieldErrorsFrom(c: Context<AppEnv>, error: z.ZodError): FieldError[] {
  const t = messageFor(c.get('locale') ?? 'de');
  const seen = new Map<string, FieldError>();
  for (const issue of error.issues) {
    const field = issue.path.join('.');
    if (seen.has(field)) continue;
    let code = FIELD_CODES.has(issue.message) ? issue.message : 'field_invalid';
    if (issue.code === 'invalid_type' && issue.received === 'undefined') code = 'field_required';
    if (issue.code === 'unrecognized_keys') code = 'field_unknown';
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    seen.set(field, { field, code, message: t(`errors.${code}`, { max: max ?? '' }) });
  }
  return [...seen.values()];
}

/** 422 `invalid_fields` with `errors: [{field, code, message}]`: a form shows each next to its field. */
export function invalidFields(errors: FieldError[]): ApiError {
  return new ApiError(422, 'invalid_fields', {}, { errors });
}

/** Parses a body against a schema; on failure throws 422 with every field's localised problem. */
export function parseFields<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidFields(fieldErrorsFrom(c, parsed.error));
  return parsed.data;
}

/** A field error built by hand (a rule the schema cannot state), localised for the request. */
export function fieldError(c: Context<AppEnv>, field: string, code: string, params: Record<string, string | number> = {}): FieldError {
  return { field, code, message: messageFor(c.get('locale') ?? 'de')(`errors.${code}`, params) };
}
