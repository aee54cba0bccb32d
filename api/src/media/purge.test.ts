import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { legacyMediaDirOf, legacyMediaPath } from './media-files.ts';
import { importLegacyMediaFiles, purgeUnlinkedPhotos, UNLINKED_PHOTO_GRACE_DAYS } from './purge.ts';
import { readImage } from './service.ts';

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
  const exists = (file: string) => fs.access(file).then(() => true, () => false);
  /** Both variants readable, as every process reads them: from the database. */
  const servable = async (hash: string) =>
    (await readImage(media(), hash, 'image')) !== undefined && (await readImage(media(), hash, 'thumbnail')) !== undefined;
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

  it('deletes the row (with image and thumbnail) of an old unlinked photo; keeps linked and recent ones', async () => {
    const linked = (await upload('#102030')).hash;
    expect((await syncWithPhotos([linked])).status).toBe('stored');
    const unlinkedOld = (await upload('#203040')).hash;
    const unlinkedRecent = (await upload('#304050')).hash;
    await age(linked, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(unlinkedOld, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(unlinkedRecent, UNLINKED_PHOTO_GRACE_DAYS - 1);

    expect(await purgeUnlinkedPhotos(media())).toBe(1);
    expect(await hasRow(unlinkedOld)).toBe(false);
    expect(await servable(unlinkedOld)).toBe(false);
    for (const hash of [linked, unlinkedRecent]) {
      expect(await hasRow(hash)).toBe(true);
      expect(await servable(hash)).toBe(true);
    }
  });

  it('a conversation that comes after all is refused until the tablet uploads the photo again, then stored', async () => {
    const photo = (await upload('#405060')).hash;
    await age(photo, UNLINKED_PHOTO_GRACE_DAYS + 1);
    expect(await purgeUnlinkedPhotos(media())).toBe(1);
    expect(await syncWithPhotos([photo])).toMatchObject({ status: 'rejected', code: 'photo_not_uploaded' });
    expect(await upload('#405060')).toEqual({ status: 201, hash: photo });
    expect(await servable(photo)).toBe(true);
    expect((await syncWithPhotos([photo])).status).toBe('stored');
  });

  it('runs on every upload, and an upload of the same image again restarts its clock', async () => {
    const forgotten = (await upload('#506070')).hash;
    const sentAgain = (await upload('#607080')).hash;
    await age(forgotten, UNLINKED_PHOTO_GRACE_DAYS + 1);
    await age(sentAgain, UNLINKED_PHOTO_GRACE_DAYS - 1);
    // The same answer as a first upload (no oracle); the clock restarts all the same.
    expect(await upload('#607080')).toEqual({ status: 201, hash: sentAgain });
    expect(await hasRow(forgotten)).toBe(false);
    // Two days on, the first upload would be past the grace period; the second one is not.
    await purgeUnlinkedPhotos(media(), new Date(Date.now() + 2 * DAY_MS));
    expect(await hasRow(sentAgain)).toBe(true);
  });

  it('at start-up, moves photos an earlier version kept in DATA_DIR/media into the database, and sweeps stray files', async () => {
    const dir = legacyMediaDirOf(platform.dataDir);
    await fs.mkdir(dir, { recursive: true });
    // A photo stored by an earlier version: a row without bytes, its two files on disk.
    const png = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#abcdef' } }).webp().toBuffer();
    const thumb = await sharp(png).resize(10).webp().toBuffer();
    const legacy = 'd'.repeat(64);
    await platform.database.db.insertInto('media').values({ content_hash: legacy, mime_type: 'image/webp', width: 20, height: 10, bytes: png.length, image: null, thumbnail: null }).execute();
    await fs.writeFile(legacyMediaPath(dir, legacy, 'image'), png);
    await fs.writeFile(legacyMediaPath(dir, legacy, 'thumbnail'), thumb);
    expect(await servable(legacy)).toBe(false);

    const old = new Date(Date.now() - (UNLINKED_PHOTO_GRACE_DAYS + 1) * DAY_MS);
    const strayOld = [`${'a'.repeat(64)}.webp`, `${'a'.repeat(64)}.thumb.webp`, `${'b'.repeat(64)}.webp.1a2b3c.tmp`];
    const strayRecent = `${'c'.repeat(64)}.webp`;
    const notOurs = 'README.txt';
    // Written as earlier versions did, with the usual umask: readable by every account on the host.
    for (const name of [...strayOld, strayRecent, notOurs]) await fs.writeFile(path.join(dir, name), 'x', { mode: 0o644 });
    await fs.chmod(path.join(dir, strayRecent), 0o644);
    for (const name of [...strayOld, notOurs]) await fs.utimes(path.join(dir, name), old, old);

    expect(await importLegacyMediaFiles(media())).toEqual({ imported: 1, removed: strayOld.length + 2 });
    expect(Buffer.compare((await readImage(media(), legacy, 'image'))!.data, png)).toBe(0);
    expect(Buffer.compare((await readImage(media(), legacy, 'thumbnail'))!.data, thumb)).toBe(0);
    for (const name of strayOld) expect(await exists(path.join(dir, name)), name).toBe(false);
    for (const file of (['image', 'thumbnail'] as const).map((variant) => legacyMediaPath(dir, legacy, variant))) expect(await exists(file), file).toBe(false);
    // A recent file without a row may belong to an upload of an older process still running.
    for (const name of [strayRecent, notOurs]) expect(await exists(path.join(dir, name)), name).toBe(true);
    // The photo that stays is this account's alone (0600), and so is the folder.
    expect((await fs.stat(path.join(dir, strayRecent))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    // Nothing new is ever written to the folder.
    await upload('#0f0f0f');
    expect((await fs.readdir(dir)).sort()).toEqual([notOurs, strayRecent].sort());
  });
});
