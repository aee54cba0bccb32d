import { Hono, type Context } from 'hono';
import { matchesEtag } from '../http/etag.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { RTL_LOCALES } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { preferredEncoding, type Encoding } from './accept-encoding.ts';
import { htmlMessagePage } from './html-message.ts';
import { PAGE_ROUTES } from './page-routes.ts';
import { loadStaticSite, type StaticFile, type StaticSite } from './static-site.ts';

export interface WebRoutesDeps {
  /** The front-end build (`frontend/dist`). */
  webDistDir: string;
  log: (line: string) => void;
}

/** While there is no build, look again at most this often (someone may be running `npm run build`). */
const RETRY_MISSING_BUILD_MS = 5_000;

const IMMUTABLE = 'public, max-age=31536000, immutable';
// HTML and unhashed files (favicon, manifest, service worker) are revalidated on every use (ETag →
// 304), so a new build reaches everyone at once.
const REVALIDATE = 'no-cache';

/**
 * Serves the front end: the pages at their addresses (PAGE_ROUTES), the built assets, precompressed
 * (brotli or gzip, as the client accepts). Mounted LAST in createApp: addresses under /api and /health
 * are never answered here, so an unknown API address still gets the JSON 404.
 */
export function createWebRoutes({ webDistDir, log }: WebRoutesDeps) {
  let site: StaticSite | null = null;
  let lastLoad: Promise<StaticSite | null> | null = null;
  let lastAttemptAt = 0;

  async function currentSite(): Promise<StaticSite | null> {
    if (site) return site;
    if (lastLoad && Date.now() - lastAttemptAt < RETRY_MISSING_BUILD_MS) return lastLoad;
    lastAttemptAt = Date.now();
    lastLoad = loadStaticSite(webDistDir).then((loaded) => {
      if (loaded) {
        site = loaded;
        log(`web: serving ${loaded.size} files from ${webDistDir}`);
      } else {
        log(`web: no front-end build in ${webDistDir} (run npm run build); pages answer 503`);
      }
      return loaded;
    });
    return lastLoad;
  }

  const app = new Hono<AppEnv>();

  for (const route of PAGE_ROUTES) {
    app.get(route.path, async (c, next) => {
      const built = await currentSite();
      if (!built) return notBuilt(c);
      const file = built.get(`/${route.page}`);
      return file ? serveFile(c, file) : next();
    });
  }

  app.get('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    const file = (await currentSite())?.get(c.req.path);
    if (file) return serveFile(c, file);
    if (acceptsHtml(c)) return htmlNotFound(c);
    return next();
  });

  return app;
}

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/health' || path.startsWith('/health/');
}

function serveFile(c: Context<AppEnv>, file: StaticFile): Response {
  const available = Object.keys(file.variants) as Encoding[];
  const encoding = preferredEncoding(c.req.header('accept-encoding'), available);
  const etag = `"${file.hash}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'cache-control': file.immutable ? IMMUTABLE : REVALIDATE,
    etag,
  };
  if (available.length > 0) headers.vary = 'Accept-Encoding';
  if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  const body = encoding ? file.variants[encoding]! : file.body;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  // fs.readFile's Buffers sit on a plain ArrayBuffer; the cast only narrows the TypeScript type (no copy).
  return c.body(body as Uint8Array as Uint8Array<ArrayBuffer>, 200, headers);
}

function acceptsHtml(c: Context<AppEnv>): boolean {
  return (c.req.header('accept') ?? '').includes('text/html');
}

function htmlNotFound(c: Context<AppEnv>): Response {
  const locale = c.get('locale');
  const t = messageFor(locale);
  const page = htmlMessagePage({
    lang: locale,
    dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr',
    title: t('errors.not_found'),
    message: t('errors.not_found'),
    homeLabel: t('web.home'),
  });
  return c.html(page, 404, { 'cache-control': 'no-store' });
}

/** No build: pages say so (503, in the person's language) while the API goes on working. */
function notBuilt(c: Context<AppEnv>): Response {
  const locale = c.get('locale');
  c.header('retry-after', '60');
  c.header('cache-control', 'no-store');
  if (!acceptsHtml(c)) throw new ApiError(503, 'web_not_built');
  const t = messageFor(locale);
  return c.html(
    htmlMessagePage({ lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', title: 'Vielstimmig', message: t('errors.web_not_built') }),
    503,
  );
}
