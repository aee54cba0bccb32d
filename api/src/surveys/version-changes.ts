import { canonicalJson } from './canonical-json.ts';
import { allQuestions } from './content-rules/texts.ts';

/**
 * For each question, the versions in which its JSON (wording in any locale, choices, logic) differs
 * from the previous version that had it. A question that first appears in a version is not listed
 * as changed there: the codebook's `versions` column already says where it exists.
 */
export function questionChanges(versions: readonly { version: number; definition: unknown }[]): Map<string, number[]> {
  const changes = new Map<string, number[]>();
  const last = new Map<string, string>();
  for (const { version, definition } of [...versions].sort((a, b) => a.version - b.version)) {
    for (const question of allQuestions(definition as Record<string, unknown>)) {
      const name = String(question.name);
      const json = canonicalJson(question);
      const before = last.get(name);
      if (before !== undefined && before !== json) changes.set(name, [...(changes.get(name) ?? []), version]);
      last.set(name, json);
    }
  }
  return changes;
}
