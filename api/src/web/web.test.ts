import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { createApp, type App } from '../app.ts';
import { preferredEncoding } from './accept-encoding.ts';

/**
 * The front end as the server delivers it, through the real app (security headers, locale, API
 * routes and 404s included) on a real database, with small stand-in builds in temporary folders.
 */
let platform: TestPlatform;
let scratch: string;

const ASSET = '/assets/respond-Ab12Cd34.js';
const assetSource = `console.log(${JSON.stringify('survey '.repeat(400))});\n`;

async function writeBuild(dir: string): Promise<void> {
  await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>start</title><p>landing</p>');
  await fs.writeFile(path.join(dir, 'respond.html'), '<!doctype html><title>respond</title><p>welcome</p>');
  await fs.writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await fs.writeFile(path.join(dir, ASSET), assetSource);
  await fs.writeFile(path.join(dir, `${ASSET}.br`), zlib.brotliCompressSync(assetSource));
  await fs.writeFile(path.join(dir, `${ASSET}.gz`), zlib.gzipSync(assetSource));
}

function appServing(webDistDir: string): App {
  return createApp({
    db: platform.database.db,
    dbKind: platform.database.kind,
    dataDir: platform.dataDir,
    log: () => {},
    trustProxy: false,
    interviewerRefKey: Buffer.alloc(32, 7),
    webDistDir,
  });
}

beforeAll(async () => {
  platform = await openTestPlatform();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-web-'));
});
afterAll(async () => {
  await platform?.close();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

describe('serving a front-end build', () => {
  let app: App;
  beforeAll(async () => {
    const dist = path.join(scratch, 'dist');
    await writeBuild(dist);
    app = appServing(dist);
  });

  it('serves the start page at / and the respondent page at /s/:slug, revalidated on every use', async () => {
    const start = await app.request('/');
    expect(start.status).toBe(200);
    expect(start.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(start.headers.get('cache-control')).toBe('no-cache');
    expect(await start.text()).toContain('landing');

    const respond = await app.request('/s/resident-baseline');
    expect(respond.status).toBe(200);
    expect(await respond.text()).toContain('welcome');
    // The app's security headers reach the pages too.
    expect(respond.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves hashed assets precompressed, as the client accepts, cached for a year', async () => {
    const br = await app.request(ASSET, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(zlib.brotliDecompressSync(brBytes).toString()).toBe(assetSource);
    expect(brBytes.length).toBeLessThan(assetSource.length / 5);

    const gz = await app.request(ASSET, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(assetSource);

    const plain = await app.request(ASSET);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(assetSource);
  });

  it('answers a repeated request with 304 when the ETag still matches, per encoding', async () => {
    const first = await app.request('/', { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await app.request('/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const brotliTag = (await app.request(ASSET, { headers: { 'accept-encoding': 'br' } })).headers.get('etag')!;
    expect(brotliTag).not.toBe((await app.request(ASSET)).headers.get('etag'));
    const stale = await app.request(ASSET, { headers: { 'accept-encoding': 'gzip', 'if-none-match': brotliTag } });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD like GET without a body', async () => {
    const head = await app.request('/favicon.svg', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/svg+xml');
    expect(await head.text()).toBe('');
  });

  it('leaves /api and /health to the API: unknown API addresses stay JSON 404s', async () => {
    const unknown = await app.request('/api/no-such-thing', { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');

    const health = await app.request('/health');
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const surveys = await app.request('/api/surveys');
    expect(surveys.status).toBe(200);
  });

  it('answers unknown pages with an HTML 404 in the person’s language, and JSON to everyone else', async () => {
    const page = await app.request('/no-such-page', { headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('lang="en"');
    expect(html).toContain('There is nothing at this address.');

    const arabic = await app.request('/no-such-page', { headers: { accept: 'text/html', 'accept-language': 'ar' } });
    expect(await arabic.text()).toContain('dir="rtl"');

    const json = await app.request('/no-such-page');
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('never serves files outside the build, whatever the path says', async () => {
    for (const attempt of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/assets/%2e%2e%2findex.html.br']) {
      const response = await app.request(attempt);
      expect([400, 404]).toContain(response.status);
      expect(await response.text()).not.toContain('"dependencies"');
    }
  });

  it('does not serve the .br/.gz files under their own names', async () => {
    expect((await app.request(`${ASSET}.br`)).status).toBe(404);
  });
});

describe('without a front-end build', () => {
  it('keeps the API working and answers pages with 503 and a clear message in the person’s language', async () => {
    const app = appServing(path.join(scratch, 'never-built'));
    const surveys = await app.request('/api/surveys');
    expect(surveys.status).toBe(200);

    const page = await app.request('/s/resident-baseline', { headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(await page.text()).toContain('have not been built yet');

    const german = await app.request('/', { headers: { accept: 'text/html' } });
    expect(german.status).toBe(503);
    expect(await german.text()).toContain('noch nicht gebaut');

    const json = await app.request('/', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(503);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('web_not_built');
  });
});

describe('a build that is still being written', () => {
  it('is not served until the files its pages need are all there', async () => {
    const dist = path.join(scratch, 'half-written');
    await writeBuild(dist);
    await fs.writeFile(path.join(dist, 'respond.html'), `<!doctype html><script type="module" src="/assets/respond-Zz99.js"></script>`);
    const page = await appServing(dist).request('/s/resident-baseline', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);

    await fs.writeFile(path.join(dist, 'assets/respond-Zz99.js'), 'import("./later-chunk.js");');
    const stillMissing = await appServing(dist).request('/s/resident-baseline', { headers: { accept: 'text/html' } });
    expect(stillMissing.status).toBe(503);

    await fs.writeFile(path.join(dist, 'assets/later-chunk.js'), 'export {};');
    const complete = await appServing(dist).request('/s/resident-baseline', { headers: { accept: 'text/html' } });
    expect(complete.status).toBe(200);
  });
});

describe('the survey JSON', () => {
  it('is sent compressed to clients that accept it (it is part of every first load): brotli first, else gzip', async () => {
    const app = appServing(path.join(scratch, 'dist'));
    const [first] = platform.catalogue.registered;
    const brotli = await app.request(`/api/surveys/${first!.slug}`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    const zipped = await app.request(`/api/surveys/${first!.slug}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    const body = JSON.parse(zlib.gunzipSync(bytes).toString()) as { slug: string };
    expect(body.slug).toBe(first!.slug);

    const plain = await app.request(`/api/surveys/${first!.slug}`);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(((await plain.json()) as { slug: string }).slug).toBe(first!.slug);
  });
});

describe('preferredEncoding', () => {
  it('prefers brotli, honours q-values and wildcards, and falls back to none', () => {
    expect(preferredEncoding('gzip, deflate, br, zstd', ['br', 'gzip'])).toBe('br');
    expect(preferredEncoding('gzip;q=1, br;q=0.5', ['br', 'gzip'])).toBe('gzip');
    expect(preferredEncoding('br;q=0, *', ['br', 'gzip'])).toBe('gzip');
    expect(preferredEncoding('*;q=0', ['br', 'gzip'])).toBeNull();
    expect(preferredEncoding('identity', ['br', 'gzip'])).toBeNull();
    expect(preferredEncoding('br', ['gzip'])).toBeNull();
    expect(preferredEncoding(undefined, ['br'])).toBeNull();
  });
});
