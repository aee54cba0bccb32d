/** Where the build puts the service worker (frontend/build/interview-service-worker.ts) and what it controls. */
export const SERVICE_WORKER_URL = '/interview-sw.js';
export const SERVICE_WORKER_SCOPE = '/interview';

/**
 * Registers the service worker that keeps the app shell for offline use. When a new version has
 * installed and waits, `onUpdateReady` gets a function that activates it and reloads the page;
 * the conversations are in IndexedDB and survive that. Without service-worker support (or on an
 * insecure origin) the app still works while online.
 */
export async function registerServiceWorker(onUpdateReady: (activate: () => void) => void): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  let registration: ServiceWorkerRegistration | undefined;
  try {
    registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
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
  let reloading = false;
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // A new version took over (the interviewer asked for it): load its files. Not on the first
    // install, where the worker merely starts controlling the page it was registered from.
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });
}
