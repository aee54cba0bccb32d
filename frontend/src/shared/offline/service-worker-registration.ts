/** Where the build put a page's service worker (frontend/build/offline-service-worker.ts) and what it controls. */
export interface ServiceWorkerPlace {
  /** `/interview-sw.js` */
  url: string;
  /** `/interview` */
  scope: string;
}

/**
 * Registers the service worker that keeps the app shell for offline use. When a new version has
 * installed and waits, `onUpdateReady` gets a function that activates it and reloads the page;
 * the page's data is in IndexedDB and survives that. Without service-worker support (or on an
 * insecure origin) the app still works while online.
 */
export async function registerServiceWorker(place: ServiceWorkerPlace, onUpdateReady: (activate: () => void) => void): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  let registration: ServiceWorkerRegistration | undefined;
  try {
    registration = await navigator.serviceWorker.register(place.url, { scope: place.scope });
  } catch (error) {
    console.warn('service worker not registered', error);
  }
  // Blocked by policy (some managed browsers, automation) the call may resolve without a registration.
  if (!registration) return;
  const active = registration;
  const offer = (worker: ServiceWorker) => {
    onUpdateReady(() => {
      worker.postMessage('skip-waiting');
    });
  };
  // Only an update waits: the first install activates at once and takes over this page.
  if (active.waiting && navigator.serviceWorker.controller) offer(active.waiting);
  active.addEventListener('updatefound', () => {
    const installing = active.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offer(installing);
    });
  });
  // Whether a service worker controlled this page before: the first install merely starts
  // controlling the page it was registered from (no reload); any later change of controller is a
  // new version taking over (asked for here or in another tab), and this page must load its files,
  // because the new worker has deleted the old build's cache. Answers are saved on every change,
  // so the reload loses nothing.
  let controlled = navigator.serviceWorker.controller !== null;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlled && !reloading) {
      reloading = true;
      location.reload();
    }
    controlled = true;
  });
}
