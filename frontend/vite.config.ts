import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { offlineServiceWorker } from './build/offline-service-worker.ts';

const root = import.meta.dirname;

/**
 * One HTML file per page; each page is its own entry so it ships only its own code. The server maps
 * URLs to these files in `api/src/web/page-routes.ts`. To add a page: create `frontend/<name>.html`
 * (with `<script type="module" src="/src/<name>/main.ts">`), add it here, and add its route there.
 */
const pages = {
  index: 'index.html',
  respond: 'respond.html',
  interview: 'interview.html',
  analysis: 'analysis.html',
  coordinate: 'coordinate.html',
  contact: 'contact.html',
  admin: 'admin.html',
  'set-password': 'set-password.html',
  event: 'event.html',
  events: 'events.html',
  'event-day': 'event-day.html',
  workshop: 'workshop.html',
} satisfies Record<string, string>;

/** The dev server's version of the page routes the API server applies in production. */
function pageRoutesInDev(): Plugin {
  return {
    name: 'vielstimmig-page-routes',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/s\/[^/?]+\/?(\?|$)/.test(req.url)) req.url = `/respond.html${req.url.replace(/^[^?]*/, '')}`;
        if (req.url && /^\/events(\/[^/?]+)?\/?(\?|$)/.test(req.url)) req.url = `/events.html${req.url.replace(/^[^?]*/, '')}`;
        if (req.url && /^\/interview\/?(\?|$)/.test(req.url)) req.url = `/interview.html${req.url.replace(/^[^?]*/, '')}`;
        if (req.url && /^\/coordinate\/day\/?(\?|$)/.test(req.url)) req.url = `/event-day.html${req.url.replace(/^[^?]*/, '')}`;
        if (req.url && /^\/workshop\/?(\?|$)/.test(req.url)) req.url = `/workshop.html${req.url.replace(/^[^?]*/, '')}`;
        if (req.url && /^\/admin\/set-password\/?(\?|$)/.test(req.url)) req.url = `/set-password.html${req.url.replace(/^[^?]*/, '')}`;
        next();
      });
    },
  };
}

export default defineConfig({
  root,
  plugins: [
    pageRoutesInDev(),
    // The interviewer app's offline shell: /interview-sw.js with the page's files to precache.
    offlineServiceWorker({
      entryName: 'interview',
      htmlFile: 'interview.html',
      route: '/interview',
      publicFiles: ['interview.webmanifest', 'icons/interview-192.png', 'icons/interview-512.png'],
      source: path.join(root, 'src/shared/offline/service-worker.ts'),
      output: 'interview-sw.js',
      // The name earlier builds used: an update replaces their cache rather than leaving it behind.
      cachePrefix: 'vielstimmig-interview-shell-',
    }),
    // The coordinator's event day (check-in, report material): /event-day-sw.js, scope /coordinate/day.
    offlineServiceWorker({
      entryName: 'event-day',
      htmlFile: 'event-day.html',
      route: '/coordinate/day',
      publicFiles: ['event-day.webmanifest', 'icons/interview-192.png', 'icons/interview-512.png'],
      source: path.join(root, 'src/shared/offline/service-worker.ts'),
      output: 'event-day-sw.js',
      cachePrefix: 'vielstimmig-event-day-shell-',
    }),
    // The network workshop (poster, clusters, dot votes): /workshop-sw.js, scope /workshop.
    offlineServiceWorker({
      entryName: 'workshop',
      htmlFile: 'workshop.html',
      route: '/workshop',
      publicFiles: ['workshop.webmanifest', 'icons/interview-192.png', 'icons/interview-512.png'],
      source: path.join(root, 'src/shared/offline/service-worker.ts'),
      output: 'workshop-sw.js',
      cachePrefix: 'vielstimmig-workshop-shell-',
    }),
  ],
  // Assets are served from the site root by the API server (api/src/web).
  base: '/',
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // Hashed names under /assets/ are what the server caches for a year (immutable).
    assetsDir: 'assets',
    // No source maps in what towns deploy: smaller, and nothing to leak.
    sourcemap: false,
    // survey-core is one large module; the respondent page loads it only after the welcome page shows.
    chunkSizeWarningLimit: 1600,
    // Precompression happens in frontend/build/precompress.ts; Vite's report would only duplicate it.
    reportCompressedSize: false,
    rolldownOptions: {
      input: Object.fromEntries(Object.entries(pages).map(([name, file]) => [name, path.join(root, file)])),
    },
  },
  server: {
    // `npm run dev:web` for front-end work: the API runs separately (`npm start`) on port 3000.
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
