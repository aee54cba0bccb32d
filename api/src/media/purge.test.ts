import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { mediaDirOf, mediaPath } from './media-files.ts';
import { purgeUnlinkedPhotos, sweepStrayMediaFiles, UNLINKED_PHOTO_GRACE_DAYS } from './purge.ts';

const GUIDE_DIR = path.join(REPO_ROOT, 'tests/fixtures/interview-surveys');
const DAY_MS = 24 * 60 * 60 * 1000;

describe('photos no interview links to are deleted after the grace period', () => {
  let platform: TestPlatform;
  let interviewer: StaffSession;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: GUIDE_DIR });
    interviewer = await loginAsDemo(platform.app, 'interviewer');
  });
  afterAll(() => platform?.close());

  const media = () => ({ db: platform.database.db, dataDir: platform.dataDir });
  const files = (hash: string) => (['image', 'thumbnail'] as const).map((variant) => mediaPath(mediaDirOf(platform.dataDir), hash, variant));
  const exists = (file: string) => fs.access(file).then(() => true, () => false);
  const hasRow = async (hash: string) =>
    (await platform.database.db.selectFrom('media').select('content_hash').where('content_hash', '=', hash).executeTakeFirst()) !== undefined;
  const age = (hash: string, days: number) =>
    sql`update media set created_at = now() - make_interval(days => ${days}) where content_hash = ${hash}`.execute(platform.database.db);

  async function upload(colour: string): Promise<{ status: number; hash: string }> {
    const png = await sharp({ create: { width: 16, height: 12, channels: 3, background: colour } }).png().toBuffer();
    const res = await platform.app.request('/api/media', {
      method: 'POST',
      headers: interviewer.writeHeaders({ 'content-type': 'image/png' }),
      body: new Uint8Array(png),
    });
    return { status: res.status, hash: ((await res.json()) as { contentHash: string }).contentHash };
  }

  async function syncWithPhotos(photos: string[]): Promise<{ status: string; code?: string }> {
    const res = await platform.app.request('/api/interviews/sync', {
      method: 'POST',
      headers: interviewer.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        interviews: [
          { id: randomUUID(), slug: 'field-guide', version: 1, locale: 'de', district: 'worfelden', answers: { district: 'worfelden', function: 'club' }, photos },
        ],
      }),
    });
    return ((await res.json()) as { results: { status: string; code?: string }[] }).results[0]!;
  }

  it('deletes the row and both files of an old unlinked photo; keeps linked and recent ones', async () => {
    const linked = (await upload('#102030')).hash;
    expect((await syncWithPhotos([linked])).status).toBe('stored');
    const unlinkedOld = (await upload('#203040')).hash;
    const unlinkedRecent = (await upload('#304050')).hash;
    await age(linked, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(unlinkedOld, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(unlinkedRecent, UNLINKED_PHOTO_GRACE_DAYS - 1);

    expect(await purgeUnlinkedPhotos(media())).toBe(1);
    expect(await hasRow(unlinkedOld)).toBe(false);
    for (const file of files(unlinkedOld)) expect(await exists(file), file).toBe(false);
    for (const hash of [linked, unlinkedRecent]) {
      expect(await hasRow(hash)).toBe(true);
      for (const file of files(hash)) expect(await exists(file), file).toBe(true);
    }
  });

  it('a conversation that comes after all is refused until the tablet uploads the photo again, then stored', async () => {
    const photo = (await upload('#405060')).hash;
    await age(photo, UNLINKED_PHOTO_GRACE_DAYS + 1);
    expect(await purgeUnlinkedPhotos(media())).toBe(1);
    expect(await syncWithPhotos([photo])).toMatchObject({ status: 'rejected', code: 'photo_not_uploaded' });
    expect(await upload('#405060')).toEqual({ status: 201, hash: photo });
    for (const file of files(photo)) expect(await exists(file), file).toBe(true);
    expect((await syncWithPhotos([photo])).status).toBe('stored');
  });

  it('runs on every upload, and an upload of the same image again restarts its clock', async () => {
    const forgotten = (await upload('#506070')).hash;
    const sentAgain = (await upload('#607080')).hash;
    await age(forgotten, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(sentAgain, UNLINKED_PHOTO_GRACE_DAYS - 1);
    expect(await upload('#607080')).toEqual({ status: 200, hash: sentAgain });
    expect(await hasRow(forgotten)).toBe(false);
    // Two days on, the first upload would be past the grace period; the second one is not.
    await purgeUnlinkedPhotos(media(), new Date(Date.now() + 2 * DAY_MS));
    expect(await hasRow(sentAgain)).toBe(true);
  });

  it('at start-up, sweeps old files that have no row and old temporary files, and nothing else', async () => {
    const dir = mediaDirOf(platform.dataDir);
    const kept = (await upload('#708090')).hash;
    const old = new Date(Date.now() - (UNLINKED_PHOTO_GRACE_DAYS + 1) * DAY_MS);
    for (const file of files(kept)) await fs.utimes(file, old, old);
    const strayOld = [`${'a'.repeat(64)}.webp`, `${'a'.repeat(64)}.thumb.webp`, `${'b'.repeat(64)}.webp.1a2b3c.tmp`];
    const strayRecent = `${'c'.repeat(64)}.webp`;
    const notOurs = 'README.txt';
    for (const name of [...strayOld, strayRecent, notOurs]) await fs.writeFile(path.join(dir, name), 'x');
    for (const name of [...strayOld, notOurs]) await fs.utimes(path.join(dir, name), old, old);

    expect(await sweepStrayMediaFiles(media())).toBe(strayOld.length);
    for (const name of strayOld) expect(await exists(path.join(dir, name)), name).toBe(false);
    for (const name of [strayRecent, notOurs]) expect(await exists(path.join(dir, name)), name).toBe(true);
    for (const file of files(kept)) expect(await exists(file), file).toBe(true);
  });
});
