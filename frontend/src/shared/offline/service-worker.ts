/*
 * The service worker of an offline page (the interviewer app `/interview`, the event day
 * `/coordinate/day`): it keeps the page's shell (the page, its scripts, styles, translations, icons
 * and manifest) so it opens with no network. It never stores data: conversations, check-ins and
 * photos live in IndexedDB, which no service-worker update or cache clean-up touches. API requests
 * pass straight through, never cached.
 *
 * Built by frontend/build/offline-service-worker.ts into one classic script per page
 * (`/interview-sw.js`, `/event-day-sw.js`): the build strips the `export {}` below and puts the
 * precache manifest in front. This file must stay free of imports.
 */
export {};

interface PrecacheManifest {
  /** Hash over every precached file: a new build with any change is a new service worker. */
  version: string;
  /** The page's address (`/interview`): navigations to it are answered from the cache. */
  shell: string;
  /** Every URL to keep, the shell included. */
  urls: string[];
  /** Only caches with this prefix are this page's to delete (each offline page has its own). */
  cachePrefix: string;
}

declare const __INTERVIEW_PRECACHE__: PrecacheManifest;

// The few service-worker types we use (the DOM library has none, and the WebWorker library clashes with it).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}
interface ServiceWorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

const worker = self as unknown as ServiceWorkerScope;
const manifest = __INTERVIEW_PRECACHE__;
/** Only caches with this prefix are ours to delete; the version makes each build's cache distinct. */
const CACHE_PREFIX = manifest.cachePrefix;
const CACHE_NAME = `${CACHE_PREFIX}${manifest.version}`;
const precached = new Set(manifest.urls.map((url) => new URL(url, worker.location.origin).pathname));
const shellPath = new URL(manifest.shell, worker.location.origin).pathname;

worker.addEventListener('install', (event) => {
  // `reload`: fetch past the HTTP cache, so the cache holds exactly this build's files.
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) => cache.addAll(manifest.urls.map((url) => new Request(url, { cache: 'reload' })))),
  );
  // No skipWaiting here: an update waits until the page asks for it (the interviewer taps "update")
  // or every tab is closed, so a page never runs with files of two builds.
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      }
      // The first install takes over the open page at once, so it works offline without a reload.
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') event.waitUntil(worker.skipWaiting());
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin || url.pathname.startsWith('/api/')) return;

  const isShellNavigation = request.mode === 'navigate' && (url.pathname === shellPath || url.pathname === `${shellPath}/`);
  if (!isShellNavigation && !precached.has(url.pathname)) return;
  const key = isShellNavigation ? shellPath : url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // Cache first: the shell and its hashed assets belong together; a new build arrives as a new
      // service worker, never as a mix of old HTML and new scripts.
      const cached = await cache.match(key);
      return cached ?? fetch(request);
    })(),
  );
});
