import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type DatabaseHandle } from '../../../api/src/db/connect.ts';
import { startAppProcess, type AppProcess } from '../../support/app-process.ts';
import { createScratchDatabaseUrl } from '../../support/test-database.ts';
import { BASELINE_SLUG, instrumentFile } from './baseline-answers.ts';

/**
 * The real server process on a database of its own: a scratch database on the PostgreSQL server
 * when DATABASE_URL is set, else the embedded PGlite in a temporary data folder. Only the
 * instruments asked for are registered (the baseline questionnaire by default: a faster start). Rate limits are lifted: these tests measure
 * durability with thirty clients behind one loopback address, not the limiter.
 */
export interface AppUnderTest {
  kind: 'postgres' | 'pglite';
  /** The running process (replaced by `restart`). */
  current: AppProcess;
  env: Record<string, string>;
  databaseUrl: string | null;
  dataDir: string;
  restart(): Promise<AppProcess>;
  /** Opens the database the app uses; for PGlite only while the app is stopped (one process at a time). */
  openDatabase(): Promise<DatabaseHandle>;
  /** Stops the app (if running) and removes its database and data folder. */
  dispose(): Promise<void>;
}

export async function startAppUnderTest(
  options: { extraEnv?: Record<string, string>; instruments?: string[] } = {},
): Promise<AppUnderTest> {
  const extraEnv = options.extraEnv ?? {};
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-reliability-'));
  const surveysDir = path.join(dataDir, 'surveys');
  await fs.mkdir(surveysDir);
  for (const slug of options.instruments ?? [BASELINE_SLUG]) {
    await fs.copyFile(instrumentFile(slug), path.join(surveysDir, `${slug}.json`));
  }
  const scratch = await createScratchDatabaseUrl();
  const env = {
    DATA_DIR: dataDir,
    SURVEYS_DIR: surveysDir,
    SEED_DEMO: 'true',
    PUBLIC_WRITE_LIMIT_PER_MINUTE: '1000000',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...extraEnv,
  };
  const app: AppUnderTest = {
    kind: scratch ? 'postgres' : 'pglite',
    current: await startAppProcess(env),
    env,
    databaseUrl: scratch?.url ?? null,
    dataDir,
    async restart() {
      app.current = await startAppProcess(env);
      return app.current;
    },
    openDatabase: () =>
      connectDatabase({ databaseUrl: scratch?.url ?? null, pgliteDir: scratch ? null : path.join(dataDir, 'pglite') }),
    async dispose() {
      if (app.current.child.exitCode === null && app.current.child.signalCode === null) await app.current.stop('SIGKILL');
      await scratch?.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}

export interface BaselineInfo {
  version: number;
  districtCodes: string[];
}

export async function fetchBaselineInfo(baseUrl: string): Promise<BaselineInfo> {
  const survey = (await (await fetch(`${baseUrl}/api/surveys/${BASELINE_SLUG}`)).json()) as {
    version: number;
    districts: { code: string }[];
  };
  return { version: survey.version, districtCodes: survey.districts.map((district) => district.code) };
}
