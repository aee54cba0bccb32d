import { z } from 'zod';
import { ACTOR_KINDS, FIELDS_OF_ACTION, TIE_FREQUENCIES, TIE_KINDS } from './codes.ts';

/** A whole workshop fits easily (a poster has dozens of actors, not thousands); the server-wide default limit. */
export const WORKSHOP_SYNC_BODY_LIMIT_BYTES = 256 * 1024;
export const WORKSHOP_MAX_ACTORS = 500;
export const WORKSHOP_MAX_TIES = 2000;
export const WORKSHOP_MAX_CLUSTERS = 100;

const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'field_required')
    .max(max, 'field_too_long')
    .regex(/^[^\p{Cc}\p{Cs}\uFFFE\uFFFF]*$/u, 'field_invalid');
const uuid = z.string().uuid('field_invalid').transform((id) => id.toLowerCase());
const code = <T extends readonly [string, ...string[]]>(codes: T) => z.enum(codes, { errorMap: () => ({ message: 'field_invalid' }) });
const dots = z.number({ invalid_type_error: 'field_invalid' }).int('field_invalid').min(0, 'field_invalid').max(100_000, 'field_invalid');
const unit = z.number({ invalid_type_error: 'field_invalid' }).min(0, 'field_invalid').max(1, 'field_invalid');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'field_invalid_date')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'field_invalid_date');

/**
 * One workshop as the tablet sends it, whole, under the id the tablet gave it. Actors on the
 * poster carry their registry id (`new` absent) or a fresh id the tablet made with `new` (name,
 * kind, fields): that id becomes the new actor's id in the registry. Ties and clusters refer to
 * actors by those ids.
 */
export const workshopSyncSchema = z
  .object({
    id: uuid,
    name: printable(120),
    heldOn: isoDate,
    topic: printable(500).nullish().transform((value) => value ?? null),
    fieldOfAction: code(FIELDS_OF_ACTION).nullish().transform((value) => value ?? null),
    keyActorId: uuid,
    clusters: z
      .array(z.object({ id: uuid, name: printable(120), dots }).strict())
      .max(WORKSHOP_MAX_CLUSTERS)
      .default([]),
    actors: z
      .array(
        z
          .object({
            id: uuid,
            new: z
              .object({
                name: printable(200),
                kind: code(ACTOR_KINDS),
                fieldsOfAction: z.array(code(FIELDS_OF_ACTION)).max(FIELDS_OF_ACTION.length).default([]),
              })
              .strict()
              .nullish()
              .transform((value) => value ?? null),
            x: unit,
            y: unit,
            clusterId: uuid.nullish().transform((value) => value ?? null),
            dots,
          })
          .strict(),
      )
      .min(1, 'field_required')
      .max(WORKSHOP_MAX_ACTORS),
    ties: z
      .array(
        z
          .object({
            from: uuid,
            to: uuid,
            kind: code(TIE_KINDS),
            frequency: code(TIE_FREQUENCIES).nullish().transform((value) => value ?? null),
          })
          .strict(),
      )
      .max(WORKSHOP_MAX_TIES)
      .default([]),
  })
  .strict();

export type WorkshopSync = z.output<typeof workshopSyncSchema>;
