import { sql, type Kysely } from 'kysely';
import { canonicalJson } from '../../../api/src/surveys/canonical-json.ts';
import type { PlannedResponse } from './submission-load.ts';

export interface StoredFigures {
  /** Rows in the response table. */
  rows: number;
  /** Acknowledged responses found in the table. */
  acknowledgedStored: number;
  /** Acknowledged responses missing from the table (must be 0). */
  acknowledgedMissing: number;
  /** Extra rows for an id that has a row already (must be 0). */
  duplicated: number;
  /** Rows whose id no client ever sent (must be 0). */
  unknown: number;
  /** Stored rows whose answers differ from what was sent (must be 0). */
  answersDiffer: number;
}

/** Compares the response table with what the clients sent and what they were told. */
export async function compareStoredResponses(
  db: Kysely<any>,
  planned: readonly PlannedResponse[],
  acknowledgedIds: ReadonlySet<string>,
): Promise<StoredFigures> {
  const rows = (
    await sql<{ id: string; answers: Record<string, unknown> | string }>`select id, answers from response`.execute(db)
  ).rows;
  const byId = new Map<string, number>();
  for (const row of rows) byId.set(row.id, (byId.get(row.id) ?? 0) + 1);
  const plannedById = new Map(planned.map((response) => [response.id, response]));

  let answersDiffer = 0;
  for (const row of rows) {
    const sent = plannedById.get(row.id);
    if (!sent) continue;
    const stored = typeof row.answers === 'string' ? (JSON.parse(row.answers) as Record<string, unknown>) : row.answers;
    // The server may add computed values; every answer sent must be stored exactly as sent (jsonb
    // reorders object keys, hence the canonical form).
    const same = Object.entries(sent.answers).every(([key, value]) => canonicalJson(stored[key] ?? null) === canonicalJson(value));
    if (!same) answersDiffer += 1;
  }
  const acknowledged = [...acknowledgedIds];
  return {
    rows: rows.length,
    acknowledgedStored: acknowledged.filter((id) => byId.has(id)).length,
    acknowledgedMissing: acknowledged.filter((id) => !byId.has(id)).length,
    duplicated: [...byId.values()].reduce((sum, count) => sum + count - 1, 0),
    unknown: [...byId.keys()].filter((id) => !plannedById.has(id)).length,
    answersDiffer,
  };
}
