import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess } from './support/app-process.ts';
import { createScratchDatabaseUrl } from './support/test-database.ts';
import { FIXTURE_SURVEYS_DIR } from './support/test-platform.ts';

// The server as a real process: the configured database, data that survives a restart, a clean stop.
describe('the server process', () => {
  let dataDir: string;
  let surveysDir: string;
  let scratch: Awaited<ReturnType<typeof createScratchDatabaseUrl>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-proc-'));
    surveysDir = path.join(dataDir, 'surveys');
    await fs.mkdir(surveysDir);
    await fs.copyFile(path.join(FIXTURE_SURVEYS_DIR, 'mini.json'), path.join(surveysDir, 'mini.json'));
    scratch = await createScratchDatabaseUrl();
    env = { DATA_DIR: dataDir, SURVEYS_DIR: surveysDir, ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
  });
  afterAll(async () => {
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('serves /health and the instruments, keeps its data across a restart, and stops cleanly on SIGTERM', async () => {
    const expectedDb = scratch ? 'postgres' : 'pglite';
    const first = await startAppProcess(env);
    try {
      expect(await (await fetch(`${first.baseUrl}/health`)).json()).toEqual({ status: 'ok', db: expectedDb });
      const list = (await (await fetch(`${first.baseUrl}/api/surveys`)).json()) as { surveys: { slug: string; version: number }[] };
      expect(list.surveys).toEqual([expect.objectContaining({ slug: 'mini', version: 1 })]);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    expect(first.output.join('')).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
    if (!scratch) expect(await fs.readdir(path.join(dataDir, 'pglite'))).not.toHaveLength(0);

    // A changed instrument: the restart must find version 1 in the stored data and add version 2.
    const file = JSON.parse(await fs.readFile(path.join(surveysDir, 'mini.json'), 'utf8'));
    file.definition.title.default = 'Kurzbefragung, zweite Fassung';
    await fs.writeFile(path.join(surveysDir, 'mini.json'), JSON.stringify(file));

    const second = await startAppProcess(env);
    try {
      const current = (await (await fetch(`${second.baseUrl}/api/surveys/mini`)).json()) as { version: number };
      expect(current.version).toBe(2);
      const first = (await (await fetch(`${second.baseUrl}/api/surveys/mini?version=1`)).json()) as { definition: { title: { default: string } } };
      expect(first.definition.title.default).toBe('Kurzbefragung');
      expect(second.output.join('')).not.toMatch(/demo town seeded/);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });

  it('refuses to start with a bad configuration, naming the value', async () => {
    await expect(startAppProcess({ ...env, DATABASE_URL: 'not-a-url' }, 20_000)).rejects.toThrow(
      /DATABASE_URL must be a PostgreSQL URL/,
    );
  });
});
