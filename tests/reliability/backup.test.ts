import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../api/src/db/connect.ts';
import { openPlatform } from '../../api/src/platform.ts';
import { createScratchDatabaseUrl } from '../support/test-database.ts';
import { FIXTURE_SURVEYS_DIR } from '../support/test-platform.ts';

// The backup and restore procedures of docs/operations.md, carried out as written, compared
// response by response. Each CI round tests the backup of its own database kind.

const RESPONSES = 40;

async function seedResponses(handle: DatabaseHandle): Promise<void> {
  for (let i = 0; i < RESPONSES; i += 1) {
    await handle.db
      .insertInto('response')
      .values({
        id: randomUUID(),
        survey_slug: 'mini',
        survey_version: 1,
        mode: i % 3 === 0 ? 'interview' : 'online',
        locale: ['de', 'ar', 'en'][i % 3]!,
        district: ['buettelborn', 'worfelden', null][i % 3]!,
        channel: i % 2 ? 'poster' : null,
        answers: JSON.stringify({ satisfaction: i % 2 ? 'high' : 'low', age: 20 + i, note: `Ä ö ü — ${i} \u202Bنص\u202C` }),
        target_groups: JSON.stringify(i % 4 ? ['seniors'] : []),
        payload_hash: `hash-${i}`,
        interviewer_ref: null,
      })
      .execute();
  }
}

async function allResponses(handle: DatabaseHandle) {
  const result = await sql<Record<string, unknown>>`
    select id, survey_slug, survey_version, mode, locale, district, channel, answers::text as answers,
           target_groups::text as target_groups, payload_hash, submitted_at::text as submitted_at
    from response order by id`.execute(handle.db);
  return result.rows;
}

async function openMigrated(options: { databaseUrl: string | null; dataDir: string }) {
  const platform = await openPlatform({
    port: 0,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    surveysDir: FIXTURE_SURVEYS_DIR,
    seedDemo: true,
  });
  return platform.database;
}

const onPostgres = Boolean(process.env.DATABASE_URL);

describe(onPostgres ? 'backup and restore with pg_dump / pg_restore' : 'backup and restore of the PGlite data folder', () => {
  let workDir: string;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-backup-'));
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await fs.rm(workDir, { recursive: true, force: true });
  });

  it('restores every response exactly', async () => {
    if (onPostgres) {
      const source = (await createScratchDatabaseUrl())!;
      cleanups.push(source.drop);
      const original = await openMigrated({ databaseUrl: source.url, dataDir: workDir });
      await seedResponses(original);
      const before = await allResponses(original);
      await original.close();

      const dumpFile = path.join(workDir, 'vielstimmig.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${dumpFile}`, source.url]);
      await source.drop(); // the disaster
      const target = (await createScratchDatabaseUrl())!;
      cleanups.push(target.drop);
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, dumpFile]);

      const restored = await connectDatabase({ databaseUrl: target.url, pgliteDir: null });
      try {
        const after = await allResponses(restored);
        expect(after).toHaveLength(RESPONSES);
        expect(after).toEqual(before);
      } finally {
        await restored.close();
      }
    } else {
      const dataDir = path.join(workDir, 'data');
      const original = await openMigrated({ databaseUrl: null, dataDir });
      await seedResponses(original);
      const before = await allResponses(original);
      await original.close(); // the app is stopped before its data folder is copied

      const archive = path.join(workDir, 'data.tar.gz');
      execFileSync('tar', ['-czf', archive, '-C', workDir, 'data']);
      await fs.rm(dataDir, { recursive: true, force: true }); // the disaster
      execFileSync('tar', ['-xzf', archive, '-C', workDir]);

      const restored = await connectDatabase({ databaseUrl: null, pgliteDir: path.join(dataDir, 'pglite') });
      try {
        const after = await allResponses(restored);
        expect(after).toHaveLength(RESPONSES);
        expect(after).toEqual(before);
      } finally {
        await restored.close();
      }
    }
  });
});
