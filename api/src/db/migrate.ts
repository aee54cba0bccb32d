import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../migrations/index.ts';

/** Applies every pending migration; throws (after logging each step) if one fails. */
export async function migrateToLatest(db: Kysely<any>, log: (line: string) => void = () => {}): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    log(`migration ${result.migrationName}: ${result.status}`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
