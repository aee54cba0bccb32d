import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { CONTENT_HASH_PATTERN } from '../media/index.ts';

/** Interviews per sync request: a tablet's day fits in one or two batches, and one request stays short. */
export const SYNC_MAX_ITEMS = 50;
/** Open answers and notes for 50 conversations fit comfortably; photos travel separately. */
export const SYNC_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS_PER_INTERVIEW = 50;

/** The envelope only: each item is checked on its own, so one malformed item does not sink its batch. */
export const syncBatchSchema = z.object({
  interviews: z.array(z.unknown()).min(1, 'at least one interview is needed'),
});

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'is not a calendar day');

export const syncItemSchema = z.object({
  /** Generated on the tablet when the conversation started; the same id always means the same interview. */
  id: z.string().uuid(),
  slug: z.string().min(1).max(200),
  version: z.number().int().min(1).max(2_147_483_647),
  locale: z.enum(SUPPORTED_LOCALES),
  district: z.string().max(200).nullish(),
  answers: z.record(z.unknown()),
  /** Content hashes from `POST /api/media`, uploaded before the sync. */
  photos: z
    .array(z.string().regex(CONTENT_HASH_PATTERN, 'must be a content hash from POST /api/media'))
    .max(MAX_PHOTOS_PER_INTERVIEW)
    .optional(),
  /** The day the conversation was held (the tablet's date); the day of the sync when omitted. */
  conductedOn: isoDay.optional(),
});
export type SyncItem = z.infer<typeof syncItemSchema>;
