import { z } from 'zod';
import { ATTENDEE_GROUPS } from '../shared/attendee-groups.ts';
import { FIELDS_OF_ACTION } from '../shared/contact-options.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';

/** Items per sync request: a long day's arrivals, cards and notes fit in a few batches. */
export const DAY_SYNC_MAX_ITEMS = 200;
export const DAY_SYNC_BODY_LIMIT_BYTES = 1024 * 1024;

/** The envelope only: each item is checked on its own, so one malformed item does not sink its batch. */
export const daySyncBatchSchema = z.object({ items: z.array(z.unknown()).min(1) });

const group = z.enum(ATTENDEE_GROUPS).nullish().transform((value) => value ?? null);
const text = (max: number) => z.string().trim().max(max);
export const cardStatementSchema = z.record(z.enum(SUPPORTED_LOCALES), text(1000)).refine((statement) => Boolean(statement.de?.trim()), 'needs the German statement');

/**
 * One thing the tablet recorded, under the id the tablet gave it: the same id is the same thing,
 * whatever it says the second time (the first arrival wins; later edits go through the report).
 */
export const daySyncItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('arrival'), id: z.string().uuid(), registrationId: z.string().uuid(), group }),
  z.object({ kind: z.literal('walk_in'), id: z.string().uuid(), group }),
  z.object({
    kind: z.literal('card'),
    id: z.string().uuid(),
    statement: cardStatementSchema,
    fieldOfAction: z.enum(FIELDS_OF_ACTION).nullish().transform((value) => value ?? null),
    origin: text(200).nullish().transform((value) => value || null),
    dots: z.number().int().min(0).max(100_000),
  }),
  z.object({ kind: z.literal('note'), id: z.string().uuid(), room: text(200).min(1), note: text(20_000).min(1) }),
]);
export type DaySyncItem = z.infer<typeof daySyncItemSchema>;

/** A card edited after the day (translations, a corrected count); same rules as from the tablet. */
export const cardEditSchema = z.object({
  statement: cardStatementSchema,
  fieldOfAction: z.enum(FIELDS_OF_ACTION).nullish().transform((value) => value ?? null),
  origin: text(200).nullish().transform((value) => value || null),
  dots: z.number().int().min(0).max(100_000),
});
