import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../api/src/auth/index.ts';
import { loginAsDemo, loginAsNew, type StaffSession } from './support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from './support/test-platform.ts';

/**
 * Routes anyone may call without an account. Everything else under /api/ is a staff route and must
 * be listed in STAFF_ROUTES below with the roles allowed to use it.
 */
const PUBLIC_ROUTES = new Set([
  'GET /api/surveys',
  'GET /api/surveys/:slug',
  'POST /api/surveys/:slug/responses',
  'PUT /api/surveys/:slug/responses',
  'POST /api/surveys/:slug/drafts',
  'PUT /api/surveys/:slug/drafts',
  'GET /api/drafts/current',
  'PUT /api/drafts/current',
  'DELETE /api/drafts/current',
  // Answer 410 only (the code no longer goes into the address).
  'GET /api/drafts/:code',
  'PUT /api/drafts/:code',
  'DELETE /api/drafts/:code',
  'POST /api/contacts',
  'POST /api/contacts/withdraw',
  'POST /api/contacts/confirm',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/auth/me',
  'POST /api/auth/set-password',
  'GET /api/town',
  'GET /api/town/logo',
  // Residents' event pages and the links in event messages.
  'GET /api/events/public',
  'GET /api/events/public/:slug',
  // Published result snapshots (results feature).
  'GET /api/results',
  'GET /api/results/:slug',
  'GET /api/results/:slug/summary',
  // The public directory of offers (actors marked public only; offers feature).
  'GET /api/offers',
  'GET /api/events/public/:slug/event.ics',
  // Photos of a published closing report.
  'GET /api/events/public/:slug/photos/:photoId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}',
  'GET /api/events/public/:slug/photos/:photoId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}/thumb',
  'POST /api/events/public/:slug/registrations',
  'POST /api/events/invitation/answer',
  'POST /api/events/registrations/cancel',
  // The public-write rate limit on those, mounted with app.on (so listed as routes of their own).
  'POST /api/events/public/*',
  'POST /api/events/invitation',
  'POST /api/events/invitation/*',
  'POST /api/events/registrations/*',
]);

const ALL_STAFF: Role[] = ['admin', 'analyst', 'interviewer', 'coordinator'];
/** Interview photos: the roles that work with interviews; coordinators do not. */
const INTERVIEW_STAFF: Role[] = ['admin', 'analyst', 'interviewer'];
/** Contacts and events: the coordinators' work. */
const COORDINATION: Role[] = ['coordinator', 'admin'];

/** Every staff route and the roles that may use it: the specification this test holds the app to. */
const STAFF_ROUTES: Record<string, Role[]> = {
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
  'POST /api/admin/users/:id/disabled': ['admin'],
  'POST /api/admin/users/:id/role': ['admin'],
  'POST /api/admin/users/:id/password-reset': ['admin'],
  'POST /api/admin/users/:id/sign-out': ['admin'],
  'GET /api/admin/town': ['admin'],
  'PUT /api/admin/town': ['admin'],
  'PUT /api/admin/town/logo': ['admin'],
  'DELETE /api/admin/town/logo': ['admin'],
  'GET /api/admin/districts': ['admin'],
  'GET /api/admin/retention': ['admin'],
  'PUT /api/admin/districts/:code': ['admin'],
  'DELETE /api/admin/districts/:code': ['admin'],
  'POST /api/admin/districts/:code/retirement': ['admin'],
  'POST /api/admin/districts/order': ['admin'],
  'POST /api/admin/districts/import/preview': ['admin'],
  'POST /api/admin/districts/import': ['admin'],
  'GET /api/contacts': ['coordinator', 'admin'],
  'GET /api/contacts/export.csv': ['coordinator', 'admin'],
  'GET /api/contacts/export.xlsx': ['coordinator', 'admin'],
  'GET /api/admin/surveys': ['admin'],
  'GET /api/admin/audit': ['admin'],
  'POST /api/admin/surveys/:slug/status': ['admin'],
  'POST /api/admin/surveys/:slug/schedule': ['admin'],
  'PUT /api/admin/surveys/:slug/deletion-date': ['admin'],
  'POST /api/admin/surveys/:slug/versions/preview': ['admin'],
  'POST /api/admin/surveys/:slug/versions': ['admin'],
  'POST /api/admin/surveys/preview': ['admin'],
  'POST /api/admin/surveys': ['admin'],
  'GET /api/admin/surveys/:slug/translations.csv': ['admin'],
  'GET /api/admin/surveys/:slug/translations': ['admin'],
  'GET /api/admin/surveys/:slug/translations.xlsx': ['admin'],
  'POST /api/admin/surveys/:slug/translations/preview': ['admin'],
  'POST /api/admin/surveys/:slug/translations': ['admin'],
  'POST /api/media': ['interviewer', 'admin'],
  'GET /api/media/:hash': INTERVIEW_STAFF,
  'GET /api/media/:hash/thumb': INTERVIEW_STAFF,
  'POST /api/interviews/sync': ['interviewer', 'admin'],
  'GET /api/interviews/overview': ['admin', 'analyst'],
  'GET /api/analysis/surveys': ['analyst', 'admin'],
  'GET /api/analysis/settings': ['analyst', 'admin'],
  'PUT /api/analysis/settings': ['admin'],
  'GET /api/analysis/:slug/questions': ['analyst', 'admin'],
  'GET /api/analysis/:slug/aggregate': ['analyst', 'admin'],
  'GET /api/analysis/:slug/aggregate.csv': ['analyst', 'admin'],
  'GET /api/analysis/:slug/weights': ['analyst', 'admin'],
  'GET /api/analysis/:slug/weights.csv': ['admin'],
  'GET /api/analysis/:slug/representativeness': ['analyst', 'admin'],
  'GET /api/analysis/:slug/crosstab.csv': ['analyst', 'admin'],
  'GET /api/analysis/:slug/responses.csv': ['analyst', 'admin'],
  'GET /api/analysis/:slug/responses.xlsx': ['analyst', 'admin'],
  'GET /api/analysis/:slug/codebook.csv': ['analyst', 'admin'],
  'GET /api/analysis/:slug/returns': ['analyst', 'admin'],
  'GET /api/analysis/:slug/charts/:file': ['analyst', 'admin'],
  'GET /api/analysis/:slug/free-text': ['analyst', 'admin'],
  'GET /api/analysis/:slug/free-text/photos/:hash': ['analyst', 'admin'],
  'GET /api/analysis/:slug/free-text/photos/:hash/thumb': ['analyst', 'admin'],
  'POST /api/analysis/:slug/snapshots': ['analyst', 'admin'],
  'GET /api/analysis/:slug/snapshots': ['analyst', 'admin'],
  'GET /api/analysis/:slug/snapshots/candidates': ['analyst', 'admin'],
  'GET /api/analysis/:slug/snapshots/:id': ['analyst', 'admin'],
  'GET /api/analysis/:slug/snapshots/:id/preview': ['analyst', 'admin'],
  'POST /api/analysis/:slug/snapshots/:id/publish': ['analyst', 'admin'],
  'DELETE /api/analysis/:slug/snapshots/:id': ['analyst', 'admin'],
  'GET /api/admin/measures': ['admin'],
  'POST /api/admin/measures': ['admin'],
  'PUT /api/admin/measures/:id': ['admin'],
  'POST /api/admin/measures/:id/updates': ['admin'],
  'GET /api/target-groups': ['analyst', 'admin'],
  'POST /api/target-groups': ['admin'],
  'PATCH /api/target-groups/:code': ['admin'],
  'DELETE /api/target-groups/:code': ['admin'],
  'POST /api/target-groups/recompute': ['admin'],
  'POST /api/target-groups/check': ['admin'],
  'GET /api/actors': ['analyst', 'admin'],
  'POST /api/actors': ['analyst', 'admin'],
  'GET /api/actors/duplicates': ['analyst', 'admin'],
  'POST /api/actors/ties': ['analyst', 'admin'],
  'GET /api/actors/:id': ['analyst', 'admin'],
  'PATCH /api/actors/:id': ['analyst', 'admin'],
  'POST /api/actors/:id/retirement': ['analyst', 'admin'],
  'POST /api/actors/:id/merge': ['analyst', 'admin'],
  'GET /api/analysis/network': ['analyst', 'admin'],
  'GET /api/analysis/network.gexf': ['analyst', 'admin'],
  'GET /api/analysis/network.graphml': ['analyst', 'admin'],
  'GET /api/analysis/network.svg': ['analyst', 'admin'],
  'GET /api/analysis/network.png': ['analyst', 'admin'],
  'GET /api/analysis/offers': ['analyst', 'admin'],
  'GET /api/analysis/offers.csv': ['analyst', 'admin'],
  'GET /api/analysis/offers.xlsx': ['analyst', 'admin'],
  // The network workshop's tablet (facilitated by coordinators, analysts or admins) and its waves read back.
  'GET /api/workshops/registry': ['coordinator', 'analyst', 'admin'],
  'POST /api/workshops/sync': ['coordinator', 'analyst', 'admin'],
  'GET /api/workshops': ['coordinator', 'analyst', 'admin'],
  'GET /api/workshops/:id': ['coordinator', 'analyst', 'admin'],
  'GET /api/events': COORDINATION,
  'POST /api/events': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}': COORDINATION,
  'PUT /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/invitations/preview': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/invitations': COORDINATION,
  'POST /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/invitations': COORDINATION,
  'POST /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/invitations/letters.csv': COORDINATION,
  'POST /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/invitations/letters.pdf': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/registrations': COORDINATION,
  'PUT /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/report': COORDINATION,
  // The day of an event (the coordinator's tablet) and the report's material.
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/day': COORDINATION,
  'POST /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/day/sync': COORDINATION,
  'PUT /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/day/photos/:photoId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/report/photos/:photoId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}': COORDINATION,
  'GET /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/report/photos/:photoId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}/thumb': COORDINATION,
  'PUT /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/report/cards/:itemId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}': COORDINATION,
  'DELETE /api/events/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}/report/:kind{cards|notes|photos}/:itemId{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}': COORDINATION,
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A concrete URL for a route pattern: parameters get harmless values that exist or are well-formed. */
function concretePath(pattern: string): string {
  return pattern
    .replace(/:hash\b/g, '0'.repeat(64))
    // A parameter with its own pattern (`:id{uuid regex}`) gets a well-formed UUID.
    .replace(/:[A-Za-z_]+\{(?:[^{}]|\{[^{}]*\})*\}/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:([A-Za-z_]+)/g, (_, name: string) => (name === 'slug' ? 'mini' : 'x'));
}

describe('every staff route checks the role on the server', () => {
  let platform: TestPlatform;
  const sessions = {} as Record<Role, StaffSession>;
  let registered: { method: string; path: string; key: string }[];

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    for (const role of ALL_STAFF) {
      // The demo seed has no coordinator account: one is created for the test.
      sessions[role] = role === 'coordinator' ? await loginAsNew(platform.app, platform.database.db, role) : await loginAsDemo(platform.app, role);
    }
    // From the app itself, so that a route added later is walked (or fails the test) automatically.
    const unique = new Map<string, { method: string; path: string; key: string }>();
    for (const route of platform.app.routes) {
      if (route.method === 'ALL' || !route.path.startsWith('/api/')) continue;
      const key = `${route.method} ${route.path}`;
      unique.set(key, { method: route.method, path: route.path, key });
    }
    registered = [...unique.values()];
  });
  afterAll(() => platform?.close());

  const staffRoutes = () => registered.filter((route) => !PUBLIC_ROUTES.has(route.key));

  it('knows every registered /api route: public, or staff with its allowed roles', () => {
    const unclassified = registered.filter((route) => !PUBLIC_ROUTES.has(route.key) && !(route.key in STAFF_ROUTES));
    expect(unclassified.map((route) => route.key), 'add these routes to PUBLIC_ROUTES or STAFF_ROUTES in tests/staff-routes.test.ts').toEqual([]);
    const gone = Object.keys(STAFF_ROUTES).filter((key) => !registered.some((route) => route.key === key));
    expect(gone, 'STAFF_ROUTES lists routes the app no longer has').toEqual([]);
    expect(staffRoutes().length).toBeGreaterThanOrEqual(Object.keys(STAFF_ROUTES).length);
  });

  it('answers 401 unauthenticated on every staff route without a session (or with a forged one)', async () => {
    for (const route of staffRoutes()) {
      for (const headers of [{}, { cookie: 'vs_session=forged' }] as Record<string, string>[]) {
        const res = await platform.app.request(concretePath(route.path), { method: route.method, headers });
        expect(res.status, `${route.key} with ${JSON.stringify(headers)}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
      }
    }
  });

  it('answers 403 forbidden to every role a staff route does not allow, and lets allowed roles through', async () => {
    for (const route of staffRoutes()) {
      const allowed = STAFF_ROUTES[route.key] ?? [];
      for (const role of ALL_STAFF) {
        const res = await platform.app.request(concretePath(route.path), {
          method: route.method,
          headers: sessions[role].writeHeaders(),
        });
        const label = `${route.key} as ${role}`;
        if (allowed.includes(role)) {
          // Through the role check: whatever the handler says about the empty request, not 401/403/500.
          expect([401, 403], label).not.toContain(res.status);
          expect(res.status, label).toBeLessThan(500);
        } else {
          expect(res.status, label).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe('forbidden');
        }
      }
    }
  });

  it('refuses every staff write on a cookie session without the CSRF token (403 csrf_failed)', async () => {
    const writes = staffRoutes().filter((route) => WRITE_METHODS.has(route.method));
    expect(writes.length).toBeGreaterThan(0);
    for (const route of writes) {
      const role = STAFF_ROUTES[route.key]![0]!;
      for (const headers of [sessions[role].headers(), sessions[role].headers({ 'x-csrf-token': 'wrong-token' })]) {
        const res = await platform.app.request(concretePath(route.path), { method: route.method, headers });
        expect(res.status, `${route.key} as ${role}`).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
      }
    }
  });

  it('does not let one session\'s CSRF token stand in for another\'s', async () => {
    const res = await platform.app.request('/api/admin/surveys/mini/status', {
      method: 'POST',
      headers: { cookie: sessions.admin.cookie, 'x-csrf-token': sessions.interviewer.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(res.status).toBe(403);
    const survey = await platform.database.db.selectFrom('survey').select('status').where('slug', '=', 'mini').executeTakeFirstOrThrow();
    expect(survey.status).toBe('open');
  });
});
