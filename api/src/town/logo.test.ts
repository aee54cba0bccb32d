import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { LOGO_MAX_BYTES, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH } from './logo.ts';

describe('the town logo', () => {
  let platform: TestPlatform;
  let admin: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    admin = await loginAsDemo(platform.app, 'admin');
  });
  afterAll(() => platform?.close());

  const upload = (body: Uint8Array, locale = 'en') =>
    platform.app.request('/api/admin/town/logo', { method: 'PUT', headers: admin.writeHeaders({ 'content-type': 'application/octet-stream', 'accept-language': locale }), body: new Uint8Array(body) });
  const town = async () => (await (await platform.app.request('/api/town')).json()) as { logoUrl?: string };

  it('re-encodes an upload as a PNG that fits the box, without metadata, stored in the database and served publicly', async () => {
    expect((await town()).logoUrl).toBeUndefined();
    const jpeg = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: { r: 0, g: 90, b: 160 } } })
      .jpeg()
      .withExifMerge({ IFD0: { Make: 'OfficeScanner', Copyright: 'Stadt' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await upload(jpeg);
    expect(res.status).toBe(200);
    const logoUrl = ((await res.json()) as { logoUrl: string }).logoUrl;
    expect(logoUrl).toMatch(/^\/api\/town\/logo\?v=[0-9a-f]{16}$/);
    expect((await town()).logoUrl).toBe(logoUrl);

    const served = await platform.app.request(logoUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.byteLength).toBeLessThanOrEqual(LOGO_MAX_BYTES);
    const metadata = await sharp(bytes).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: LOGO_MAX_WIDTH, height: Math.round((LOGO_MAX_WIDTH * 1000) / 3000) });
    expect(metadata.height).toBeLessThanOrEqual(LOGO_MAX_HEIGHT);
    expect(metadata.exif).toBeUndefined();
    const stored = await platform.database.db.selectFrom('town_logo').select(['image']).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.image).equals(bytes)).toBe(true);

    const again = await platform.app.request(logoUrl, { headers: { 'if-none-match': served.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('refuses what is not a raster image, too many pixels and a result over the byte cap; the logo stays', async () => {
    const before = (await town()).logoUrl;
    const text = await upload(new TextEncoder().encode('not an image'), 'de');
    expect(text.status).toBe(422);
    expect(((await text.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'not_an_image', message: expect.stringMatching(/Bild/) });
    const svg = await upload(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'));
    expect(((await svg.json()) as { error: { code: string } }).error.code).toBe('not_an_image');
    const huge = await sharp({ create: { width: 6000, height: 5000, channels: 3, background: '#fff' } }).png({ compressionLevel: 1 }).toBuffer();
    expect(((await (await upload(huge)).json()) as { error: { code: string } }).error.code).toBe('image_too_large');
    // Noise does not compress: 800 × 400 pixels of it stay far above the cap.
    const noise = await sharp(randomBytes(800 * 400 * 3), { raw: { width: 800, height: 400, channels: 3 } }).png().toBuffer();
    const tooLarge = await upload(noise);
    expect(tooLarge.status).toBe(422);
    expect(((await tooLarge.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'logo_too_large', message: expect.stringContaining(`${LOGO_MAX_BYTES / 1024} KB`) });
    expect((await town()).logoUrl).toBe(before);
  });

  it('removes the logo, audited', async () => {
    const res = await platform.app.request('/api/admin/town/logo', { method: 'DELETE', headers: admin.writeHeaders() });
    expect(res.status).toBe(200);
    expect((await town()).logoUrl).toBeUndefined();
    expect((await platform.app.request('/api/town/logo')).status).toBe(404);
    const actions = await platform.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'town.logo%').orderBy('id').execute();
    expect(actions.map((row) => row.action)).toEqual(['town.logo_set', 'town.logo_removed']);
  });
});
