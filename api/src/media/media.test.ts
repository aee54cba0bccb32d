import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { exifHasGps, pngHeaderOnly } from './test-images.ts';

describe('photo upload: re-encoded, metadata stripped, bombs and non-images refused', () => {
  let platform: TestPlatform;
  let interviewer: StaffSession;
  let analyst: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    interviewer = await loginAsDemo(platform.app, 'interviewer');
    analyst = await loginAsDemo(platform.app, 'analyst');
  });
  afterAll(() => platform?.close());

  const upload = (body: BodyInit, contentType: string, session = interviewer, lang = 'en') =>
    platform.app.request('/api/media', {
      method: 'POST',
      headers: session.writeHeaders({ 'content-type': contentType, 'accept-language': lang }),
      body,
    });

  /** A small camera-like JPEG with GPS coordinates, a camera model and orientation 6 (rotate 90°). */
  async function jpegWithGps(): Promise<Buffer> {
    const jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'TabletMaker', Model: 'FieldTab 7' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '49/1 54/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '8/1 30/1 4321/100' },
      })
      .toBuffer();
    const before = await sharp(jpeg).metadata();
    // The fixture itself must carry what we claim to strip, or the test would prove nothing.
    expect(exifHasGps(before.exif)).toBe(true);
    expect(before.exif?.toString('latin1')).toContain('FieldTab 7');
    expect(before.orientation).toBe(6);
    return jpeg;
  }

  it('stores a JPEG with GPS EXIF as WebP with no metadata left, oriented upright, plus a thumbnail', async () => {
    const res = await upload(new Uint8Array(await jpegWithGps()), 'image/jpeg');
    expect(res.status).toBe(201);
    const body = (await res.json()) as { contentHash: string; width: number; height: number };
    expect(body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Orientation 6 applied: the 120×80 landscape pixels are stored as an 80×120 portrait.
    expect({ width: body.width, height: body.height }).toEqual({ width: 80, height: 120 });

    const row = await platform.database.db.selectFrom('media').selectAll().where('content_hash', '=', body.contentHash).executeTakeFirstOrThrow();
    const stored = Buffer.from(row.image!);
    const metadata = await sharp(stored).metadata();
    expect(metadata.format).toBe('webp');
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(stored.toString('latin1')).not.toContain('FieldTab');

    const thumb = await sharp(Buffer.from(row.thumbnail!)).metadata();
    expect(thumb.exif).toBeUndefined();
    expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(320);

    expect(row).toMatchObject({ mime_type: 'image/webp', width: 80, height: 120, bytes: stored.length });
  });

  it('stores an identical upload once and answers it exactly like the first (201, same body): no sign that it existed', async () => {
    const jpeg = new Uint8Array(await jpegWithGps());
    const first = await upload(jpeg, 'image/jpeg');
    const again = await upload(jpeg, 'image/jpeg');
    const other = await upload(jpeg, 'image/jpeg', await loginAsNew(platform.app, platform.database.db, 'interviewer'));
    expect([first.status, again.status, other.status]).toEqual([201, 201, 201]);
    const bodies = await Promise.all([first, again, other].map((res) => res.text()));
    expect(new Set(bodies).size).toBe(1);
    const { contentHash } = JSON.parse(bodies[0]!) as { contentHash: string };
    const rows = await platform.database.db.selectFrom('media').select('content_hash').where('content_hash', '=', contentHash).execute();
    expect(rows).toHaveLength(1);
  });

  it('lets an interviewer reach only photos they uploaded or that belong to their interviews; staff who analyse reach all', async () => {
    const colleague = await loginAsNew(platform.app, platform.database.db, 'interviewer');
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3355cc' } }).png().toBuffer();
    const { contentHash } = (await (await upload(new Uint8Array(png), 'image/png')).json()) as { contentHash: string };
    const read = (session: StaffSession, suffix = '') => platform.app.request(`/api/media/${contentHash}${suffix}`, { headers: session.headers() });

    expect((await read(interviewer)).status).toBe(200);
    expect((await read(interviewer, '/thumb')).status).toBe(200);
    expect((await read(analyst)).status).toBe(200);
    // The colleague hears what an unknown hash gets.
    const refused = await read(colleague);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('media_not_found');
    expect((await read(colleague, '/thumb')).status).toBe(404);

    // Nor may the colleague link it into an interview of theirs …
    const conversation = (photos: string[]) => ({
      id: randomUUID(),
      slug: 'guide-mini',
      version: 1,
      locale: 'de',
      answers: { district: 'worfelden' },
      photos,
    });
    const sync = async (session: StaffSession, item: unknown) =>
      (
        (await (
          await platform.app.request('/api/interviews/sync', {
            method: 'POST',
            headers: session.writeHeaders({ 'content-type': 'application/json' }),
            body: JSON.stringify({ interviews: [item] }),
          })
        ).json()) as { results: { status: string; code?: string }[] }
      ).results[0]!;
    const stolen = conversation([contentHash]);
    expect(await sync(colleague, stolen)).toMatchObject({ status: 'rejected', code: 'photo_not_uploaded' });
    expect(await platform.database.db.selectFrom('response').select('id').where('id', '=', stolen.id).execute()).toHaveLength(0);
    // … while its uploader may, and the colleague still cannot read it once it is in that interview.
    expect(await sync(interviewer, conversation([contentHash]))).toMatchObject({ status: 'stored' });
    expect((await read(colleague)).status).toBe(404);
  });

  it('refuses a text file renamed .jpg with a clear, localised not_an_image', async () => {
    const res = await upload('These are my meeting notes, not a photo.\n', 'image/jpeg');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_an_image');
    expect(body.error.message).toMatch(/not an image/);
    const german = await upload('Notizen', 'image/jpeg', interviewer, 'de');
    expect(((await german.json()) as { error: { message: string } }).error.message).toMatch(/kein Bild/);
  });

  it('refuses a body that is not declared as an image with 415', async () => {
    const res = await upload('{"photo": true}', 'application/json');
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_an_image');
  });

  it('refuses an SVG: a document, not a photo', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    const res = await upload(svg, 'image/svg+xml');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_an_image');
  });

  it('refuses a 30,000 × 30,000 pixel PNG (decompression bomb) with image_too_large, without decoding it', async () => {
    const bomb = pngHeaderOnly(30_000, 30_000);
    const header = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect({ width: header.width, height: header.height, format: header.format }).toEqual({ width: 30_000, height: 30_000, format: 'png' });
    const res = await upload(new Uint8Array(bomb), 'image/png');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('image_too_large');
    expect(body.error.message).toMatch(/900 megapixels; at most 40/);
    expect(await platform.database.db.selectFrom('media').select('content_hash').where('width', '=', 30_000).execute()).toEqual([]);
  });

  it('refuses an image whose pixel data is broken after a valid header', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    const res = await upload(new Uint8Array(truncated), 'image/png');
    expect(res.status).toBe(422);
  });

  it('serves the image and its thumbnail to staff only, and 404 for unknown or malformed hashes', async () => {
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#22aa55' } }).png().toBuffer();
    const { contentHash } = (await (await upload(new Uint8Array(png), 'image/png')).json()) as { contentHash: string };

    const image = await platform.app.request(`/api/media/${contentHash}`, { headers: analyst.headers() });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(image.headers.get('cache-control')).toMatch(/private/);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(640);

    const thumb = await platform.app.request(`/api/media/${contentHash}/thumb`, { headers: interviewer.headers() });
    expect(thumb.status).toBe(200);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(320);

    expect((await platform.app.request(`/api/media/${contentHash}`)).status).toBe(401);
    expect((await platform.app.request(`/api/media/${'0'.repeat(64)}`, { headers: analyst.headers() })).status).toBe(404);
    expect((await platform.app.request('/api/media/..%2F..%2Fsecrets', { headers: analyst.headers() })).status).toBe(404);
  });

  it('refuses uploads by analysts (403) and without the CSRF token (403 csrf_failed)', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    expect((await upload(new Uint8Array(png), 'image/png', analyst)).status).toBe(403);
    const noCsrf = await platform.app.request('/api/media', {
      method: 'POST',
      headers: interviewer.headers({ 'content-type': 'image/png' }),
      body: new Uint8Array(png),
    });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
  });
});
