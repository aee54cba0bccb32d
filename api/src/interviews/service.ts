import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import type { Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { hashesReachableBy } from '../media/index.ts';
import { storeResponse } from '../responses/index.ts';
import { findVersionFirstDay } from '../surveys/repository.ts';
import { findInterview, insertInterview } from './repository.ts';
import { syncItemSchema, type SyncItem } from './sync-schema.ts';
import { dayInTown } from '../shared/town-day.ts';

export interface SyncDeps {
  db: Kysely<Database>;
}

export interface SyncItemError {
  code: string;
  message: string;
  /** The question the message is about, for per-question validation errors. */
  question?: string;
}

export type SyncItemResult =
  | { id: string | null; status: 'stored' | 'duplicate' }
  | { id: string | null; status: 'rejected'; code: string; errors: SyncItemError[] };

export interface SyncContext {
  /** Pseudonymous reference of the interviewer who syncs. */
  interviewerRef: string;
  /** Language of the interviewer's app, for the reasons given. */
  locale: Locale;
  /** Today in the town, for interviews that do not say when they were held. */
  today: string;
}

/**
 * Stores a batch of interviews, one transaction per item and in order: if the connection drops
 * after item k, items 1..k are stored completely and the rest not at all, and the tablet's retry of
 * the whole batch answers `duplicate` for 1..k. Item problems become `rejected` results with their
 * reasons; only an outage (database gone) fails the request, so the tablet retries later.
 */
export async function syncInterviews(deps: SyncDeps, items: readonly unknown[], context: SyncContext): Promise<SyncItemResult[]> {
  const results: SyncItemResult[] = [];
  for (const raw of items) results.push(await syncOne(deps, raw, context));
  return results;
}

async function syncOne(deps: SyncDeps, raw: unknown, context: SyncContext): Promise<SyncItemResult> {
  const parsed = syncItemSchema.safeParse(raw);
  const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const details = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
    return rejected(rawId, new ApiError(400, 'invalid_interview', { details }), context.locale);
  }
  const item = parsed.data;
  const id = item.id.toLowerCase();
  try {
    return await deps.db.transaction().execute(async (trx) => storeInterview(trx, { ...item, id }, context));
  } catch (error) {
    if (error instanceof ApiError) return rejected(id, error, context.locale);
    // An outage or a bug: the whole request fails and the tablet keeps the items for the next try,
    // rather than marking an interview as rejected for a reason the interviewer cannot fix.
    throw error;
  }
}

async function storeInterview(trx: Kysely<Database>, item: SyncItem, context: SyncContext): Promise<SyncItemResult> {
  const photos = [...new Set(item.photos ?? [])];
  // Only the interviewer's own uploads (or photos already in their interviews): another's photo
  // answers as if it had never been uploaded.
  const present = await hashesReachableBy(trx, context.interviewerRef, photos);
  const missing = photos.find((hash) => !present.has(hash));
  if (missing) throw new ApiError(422, 'photo_not_uploaded', { hash: missing.slice(0, 12) });

  if (item.conductedOn) await requirePlausibleDay(trx, item.slug, item.version, item.conductedOn, context.today);

  const outcome = await storeResponse(
    { db: trx },
    {
      id: item.id,
      slug: item.slug,
      version: item.version,
      mode: 'interview',
      locale: item.locale,
      district: item.district ?? null,
      channel: null,
      answers: item.answers,
      interviewerRef: context.interviewerRef,
    },
  );
  if (outcome.status === 'stored') {
    await insertInterview(trx, { responseId: item.id, conductedOn: item.conductedOn ?? context.today, photos });
    return { id: item.id, status: 'stored' };
  }
  // Same answers as stored before; the photos belong to the interview too, so they must match.
  const stored = await findInterview(trx, item.id);
  const storedPhotos = stored?.photos ?? [];
  if (storedPhotos.length !== photos.length || storedPhotos.some((hash, index) => hash !== photos[index])) {
    throw new ApiError(409, 'response_conflict');
  }
  return { id: item.id, status: 'duplicate' };
}

/**
 * A tablet's clock or a typo can say 1900 or 9999; such a day would put the interview outside every
 * field phase. It cannot precede the version it answered, nor lie ahead by more than a day (a
 * tablet a time zone or a midnight away). An unknown version is left to storeResponse to refuse.
 */
async function requirePlausibleDay(trx: Kysely<Database>, slug: string, version: number, conductedOn: string, today: string): Promise<void> {
  const from = await findVersionFirstDay(trx, slug, version);
  if (!from) return;
  // Noon UTC of today plus a day is tomorrow in Berlin whatever the season.
  const to = todayInTown(new Date(Date.parse(`${today}T12:00:00Z`) + 24 * 60 * 60 * 1000));
  if (conductedOn < from || conductedOn > to) {
    throw new ApiError(422, 'conducted_on_out_of_range', { date: conductedOn, from, to });
  }
}

function rejected(id: string | null, error: ApiError, locale: Locale): SyncItemResult {
  const t = messageFor(locale);
  const perQuestion = error.extra.errors;
  const errors: SyncItemError[] = Array.isArray(perQuestion)
    ? perQuestion.map((entry: { question?: unknown; message?: unknown }) => ({
        code: error.code,
        question: typeof entry.question === 'string' ? entry.question : undefined,
        message: typeof entry.message === 'string' ? entry.message : t(`errors.${error.code}`, error.params),
      }))
    : [{ code: error.code, message: t(`errors.${error.code}`, error.params) }];
  return { id, status: 'rejected', code: error.code, errors };
}

/** Today's date in the town (German time), as YYYY-MM-DD: the day the tablets date conversations by. */
export function todayInTown(now: Date = new Date()): string {
  return dayInTown(now);
}
