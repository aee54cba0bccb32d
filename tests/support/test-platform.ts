import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../api/src/config.ts';
import { openPlatform, type Platform } from '../../api/src/platform.ts';
import { openTestDatabase } from './test-database.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const REAL_SURVEYS_DIR = path.join(REPO_ROOT, 'surveys');
export const FIXTURE_SURVEYS_DIR = path.join(REPO_ROOT, 'tests/fixtures/surveys');

export interface TestPlatform extends Platform {
  logLines: string[];
  dataDir: string;
}

/**
 * The real start-up (migrations, demo town, instruments) on a fresh test database. `close()` drops
 * the database and the temporary data folder.
 */
export async function openTestPlatform(
  options: { surveysDir?: string; config?: Partial<Config> } = {},
): Promise<TestPlatform> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-test-'));
  const logLines: string[] = [];
  const database = await openTestDatabase();
  const platform = await openPlatform(
    {
      port: 0,
      databaseUrl: null,
      dataDir,
      surveysDir: options.surveysDir ?? REAL_SURVEYS_DIR,
      seedDemo: true,
      // The demo network would change every figure the network tests compute; tests that want it ask.
      seedDemoNetwork: false,
      ...options.config,
    },
    { database, log: (line) => logLines.push(line) },
  );
  return {
    ...platform,
    logLines,
    dataDir,
    close: async () => {
      await platform.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
