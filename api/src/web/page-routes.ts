/**
 * Which built page answers which address. Each page is a file of `frontend/dist` built from
 * `frontend/<name>.html` (see frontend/vite.config.ts). To add a page, add its HTML to the Vite
 * config and a line here, e.g. `{ path: '/analysis', page: 'analysis.html' }`; Hono path syntax
 * (`/s/:slug`) is allowed. A page missing from the build answers 404 like any unknown address.
 */
export interface PageRoute {
  path: string;
  page: string;
}

export const PAGE_ROUTES: readonly PageRoute[] = [
  { path: '/', page: 'index.html' },
  { path: '/s/:slug', page: 'respond.html' },
  { path: '/interview', page: 'interview.html' },
  { path: '/analysis', page: 'analysis.html' },
  { path: '/coordinate', page: 'coordinate.html' },
  // The event day on the coordinator's tablet (offline: /event-day-sw.js keeps it).
  { path: '/coordinate/day', page: 'event-day.html' },
  // The network workshop on a tablet or projector (offline: /workshop-sw.js keeps it).
  { path: '/workshop', page: 'workshop.html' },
  { path: '/contact', page: 'contact.html' },
  { path: '/event', page: 'event.html' },
  // The public list and one event's public page (with its published closing report).
  { path: '/events', page: 'events.html' },
  { path: '/events/:slug', page: 'events.html' },
  { path: '/admin', page: 'admin.html' },
  // The one-time link of an invitation or reset (auth/account-management.ts: setPasswordPath).
  { path: '/admin/set-password', page: 'set-password.html' },
];
