import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ResponseMode } from '../../api/src/db/schema.ts';

/** A response as analysis tests seed it: straight into the table, as the responses feature stores it. */
export interface SeededResponse {
  id?: string;
  slug: string;
  version?: number;
  mode?: ResponseMode;
  locale?: string;
  district?: string | null;
  channel?: string | null;
  answers: Record<string, unknown>;
  targetGroups?: string[];
  submittedAt?: Date;
  /** The cell-key method's record key; by default one from a fixed seed (see below). */
  recordKey?: number;
}

/**
 * Record keys from a fixed seed (mulberry32 over the position), not the database's random default:
 * the published (noisy) counts of a seeded dataset are then the same on every run and machine, so a
 * test that fails on its noise fails every time and can be studied. The app itself always draws
 * them at random (the column's default).
 */
function seededRecordKey(position: number): number {
  let t = (0x9e3779b9 + Math.imul(position + 1, 0x6d2b79f5)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) % 2 ** 31;
}

/** Inserts responses in batches; returns their ids in order. */
export async function insertResponses(db: Kysely<Database>, responses: SeededResponse[]): Promise<string[]> {
  const rows = responses.map((response, position) => ({
    id: response.id ?? randomUUID(),
    survey_slug: response.slug,
    survey_version: response.version ?? 1,
    mode: response.mode ?? 'online',
    locale: response.locale ?? 'de',
    district: response.district ?? null,
    channel: response.channel ?? null,
    answers: JSON.stringify(response.answers),
    target_groups: JSON.stringify(response.targetGroups ?? []),
    payload_hash: 'seeded-by-test',
    interviewer_ref: null,
    record_key: response.recordKey ?? seededRecordKey(position),
    ...(response.submittedAt ? { submitted_at: response.submittedAt } : {}),
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await db.insertInto('response').values(rows.slice(start, start + 500)).execute();
  }
  return rows.map((row) => row.id);
}
