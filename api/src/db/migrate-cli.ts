import path from 'node:path';
import { ConfigError, readConfig } from '../config.ts';
import { connectDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

// `npm run migrate`: applies pending migrations to the configured database and exits non-zero on failure.
try {
  const config = readConfig();
  const handle = await connectDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  try {
    await migrateToLatest(handle.db, (line) => console.log(line));
    console.log(`database (${handle.kind}) is up to date`);
  } finally {
    await handle.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
