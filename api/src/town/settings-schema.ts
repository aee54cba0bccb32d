import { z } from 'zod';
import type { Expect, SameType } from '../same-type.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import type { TownSettings } from '../shared/town.ts';

export type { PublicTown, TownSettings } from '../shared/town.ts';

/**
 * The town's settings as the pages show them (DESIGN.md: `GET /api/town`, `PUT /api/admin/town`).
 * The API validates with it; the front end reads the type, written out in shared/town.ts (the admin
 * form names its fields after these paths). Zod messages are message keys (`errors.<key>`), so
 * every field error is localised.
 */
const LOCALE_KEYS = ['default', ...SUPPORTED_LOCALES.filter((locale) => locale !== 'de')] as const;

/** A day as `YYYY-MM-DD` that exists in the calendar (also a survey's own deletion date). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'field_invalid_date')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'field_invalid_date');

const text = (max: number) => z.string().trim().max(max, 'field_too_long');
const requiredText = (max: number) => text(max).min(1, 'field_required');

export const localisedNameSchema = z
  .object({ default: requiredText(120) })
  .extend(Object.fromEntries(LOCALE_KEYS.filter((key) => key !== 'default').map((key) => [key, text(120).optional()])))
  .strict();

export const townSettingsSchema = z
  .object({
    name: localisedNameSchema,
    dataProtection: z
      .object({
        name: requiredText(200),
        email: requiredText(320).email('field_invalid_email'),
        phone: text(40).regex(/^[+()\d\s/-]*$/, 'field_invalid_phone').optional(),
        address: text(400).optional(),
      })
      .strict(),
    imprintUrl: z
      .string()
      .trim()
      .max(500, 'field_too_long')
      .regex(/^https?:\/\/[^\s]+$/i, 'field_invalid_url')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    answersDeletedBy: isoDate,
    contactsDeletedBy: isoDate,
  })
  .strict();

// The front end's TownSettings is written out in shared/town.ts: tsc fails here once the schema parses anything else.
type _SchemaMatchesSharedType = Expect<SameType<z.output<typeof townSettingsSchema>, TownSettings>>;
