import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { deleteUnconfirmedContacts } from '../contacts/index.ts';
import type { Database } from '../db/schema.ts';
import { createDraft, purgeExpiredDrafts } from '../drafts/index.ts';
import { purgeExpiredLimits } from '../http/rate-limit.ts';
import { purgeUnlinkedPhotos, storeImage } from '../media/index.ts';
import { runExclusively } from './run-exclusively.ts';

// Every purge and scheduled job of the app goes through runExclusively, so that several app
// processes do each piece of work once. What another process does is simulated here with a second
// connection (PostgreSQL's pool) holding the job's lock.
const onPostgres = Boolean(process.env.DATABASE_URL);

describe('scheduled and purge jobs run once across processes', () => {
  let platform: TestPlatform;
  let db: Kysely<Database>;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    db = platform.database.db;
  });
  afterAll(() => platform?.close());

  const count = async (table: 'response_draft' | 'media' | 'contact' | 'rate_limit_window') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function expiredDrafts(n: number) {
    for (let i = 0; i < n; i += 1) await createDraft({ db }, 'mini', { version: 1, locale: 'de', answers: { q: i } });
    await sql`update response_draft set expires_at = now() - interval '1 day'`.execute(db);
  }
  async function unlinkedOldPhotos(n: number) {
    for (let i = 0; i < n; i += 1) {
      const png = await sharp({ create: { width: 8 + i, height: 8, channels: 3, background: '#468' } }).png().toBuffer();
      await storeImage({ db, dataDir: platform.dataDir }, png);
    }
    await sql`update media set created_at = now() - interval '30 days'`.execute(db);
  }
  async function unconfirmedContacts(n: number) {
    await db
      .insertInto('contact')
      .values(
        Array.from({ length: n }, (_, i) => ({
          id: randomUUID(),
          withdraw_code_hash: `job-test-${randomUUID()}`,
          name: null,
          email: `person${i}@example.org`,
          phone: null,
          topics: '[]',
          formats: '[]',
          district: null,
          locale: 'de',
          consent_text_version: 'v1',
          created_month: '2026-11',
          confirmed: false,
          confirm_by: '2000-01-03',
        })),
      )
      .execute();
  }
  async function endedWindows(n: number) {
    await db
      .insertInto('rate_limit_window')
      .values(Array.from({ length: n }, (_, i) => ({ bucket: 'job-test', client_key: `k${i}`, window_ends_at: new Date(Date.now() - 1000), hits: 1 })))
      .execute();
  }

  const jobs = [
    { name: 'draft-purge', table: 'response_draft', prepare: expiredDrafts, run: () => purgeExpiredDrafts(db) },
    { name: 'photo-purge', table: 'media', prepare: unlinkedOldPhotos, run: () => purgeUnlinkedPhotos({ db, dataDir: platform.dataDir }) },
    { name: 'contact-unconfirmed-purge', table: 'contact', prepare: unconfirmedContacts, run: () => deleteUnconfirmedContacts(db) },
    { name: 'rate-limit-purge', table: 'rate_limit_window', prepare: endedWindows, run: () => purgeExpiredLimits(db) },
  ] as const;

  for (const job of jobs) {
    it.runIf(onPostgres)(`${job.name}: skipped while another process holds the job, done once when two run at the same moment`, async () => {
      await job.prepare(3);
      expect(await count(job.table)).toBe(3);
      // Another process is in the middle of this job: this one does nothing and leaves the rows.
      let release!: () => void;
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const other = runExclusively(db, job.name, () => {
        holding();
        return new Promise<void>((resolve) => (release = resolve));
      });
      await held;
      expect(await job.run()).toBe(0);
      expect(await count(job.table)).toBe(3);
      release();
      expect(await other).toEqual({ ran: true, result: undefined });

      // Two processes at the same moment: the rows are deleted once, and the counts add up to 3.
      const results = await Promise.all([job.run(), job.run(), job.run()]);
      expect(results.reduce((sum, n) => sum + n, 0)).toBe(3);
      expect(await count(job.table)).toBe(0);
    });
  }

  it.skipIf(onPostgres)('(PGlite is one process with one connection: the jobs still run and do their work)', async () => {
    for (const job of jobs) {
      await job.prepare(2);
      expect(await job.run(), job.name).toBe(2);
      expect(await count(job.table), job.name).toBe(0);
    }
  });
});
