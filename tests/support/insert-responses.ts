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
}

/** Inserts responses in batches; returns their ids in order. */
export async function insertResponses(db: Kysely<Database>, responses: SeededResponse[]): Promise<string[]> {
  const rows = responses.map((response) => ({
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
    ...(response.submittedAt ? { submitted_at: response.submittedAt } : {}),
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await db.insertInto('response').values(rows.slice(start, start + 500)).execute();
  }
  return rows.map((row) => row.id);
}
