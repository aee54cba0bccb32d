import { z } from 'zod';
import { DIMENSIONS } from '../analysis/breakdown.ts';
import { FIELDS_OF_ACTION } from '../shared/contact-options.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';

/** A staff text: German required (the reviewed original), the other locales optional drafts. */
export const staffText = (max: number) =>
  z
    .object(Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, z.string().trim().max(max).optional()])) as Record<string, z.ZodOptional<z.ZodString>>)
    .strict()
    .refine((text) => (text.de ?? '').length > 0, { message: 'German text required', path: ['de'] })
    .transform((text) => Object.fromEntries(Object.entries(text).filter(([, value]) => value !== undefined && value !== '')) as { de: string } & Record<string, string>);

export const snapshotRequestSchema = z
  .object({
    questions: z.array(z.string().min(1).max(200)).min(1).max(100),
    // Residents see the town as a whole or by district; finer breakdowns stay with the analysts.
    by: z.array(z.enum(DIMENSIONS).refine((dim) => dim === 'district', { message: 'results are published for the town or by district' })).max(1).default([]),
    weighted: z.boolean().default(false),
    texts: z.record(z.string(), staffText(2000)).default({}),
  })
  .strict();

export const MEASURE_STATUSES = ['proposed', 'decided', 'in_progress', 'done', 'dropped'] as const;

export const measureSchema = z
  .object({
    fieldOfAction: z.enum(FIELDS_OF_ACTION),
    title: staffText(200),
    description: staffText(4000).optional(),
    status: z.enum(MEASURE_STATUSES),
    surveySlug: z.string().min(1).max(100).nullable().default(null),
    resultKeys: z.array(z.string().min(1).max(200)).max(50).default([]),
    eventSlugs: z.array(z.string().min(1).max(100)).max(50).default([]),
  })
  .strict();

export const measureUpdateSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), { message: 'not a date' }),
    status: z.enum(MEASURE_STATUSES),
    text: staffText(2000),
  })
  .strict();
