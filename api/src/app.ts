import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { createAdminRoutes } from './admin/index.ts';
import { createAuditRoutes } from './admin/audit-routes.ts';
import { createSurveyVersionRoutes } from './surveys/version-routes.ts';
import { createTranslationRoutes } from './surveys/translation-routes.ts';
import { createFreeTextRoutes } from './analysis/free-text/index.ts';
import { createAnalysisRoutes } from './analysis/routes.ts';
import { attachSessions, createAuthRoutes, SessionStore } from './auth/index.ts';
import type { HashQueue } from './auth/hash-queue.ts';
import { createContactRoutes } from './contacts/index.ts';
import type { DatabaseKind } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import { createDistrictAdminRoutes } from './districts/index.ts';
import { createDraftRoutes } from './drafts/index.ts';
import { createEventPublicRoutes, createEventStaffRoutes } from './events/index.ts';
import { createHealthRoutes } from './health/routes.ts';
import type { AppEnv } from './http/app-env.ts';
import { bodyLimits } from './http/body-limits.ts';
import { ApiError, renderError } from './http/errors.ts';
import { DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE, mountPublicWriteLimits } from './http/public-write-limits.ts';
import { requestLocale } from './http/request-locale.ts';
import { createInterviewRoutes } from './interviews/index.ts';
import { createMediaRoutes } from './media/index.ts';
import { createActorRoutes, createNetworkAnalysisRoutes, createWorkshopRoutes } from './network/index.ts';
import { createOfferAnalysisRoutes, createOfferPublicRoutes } from './offers/index.ts';
import { createResponseRoutes } from './responses/index.ts';
import { createMeasureAdminRoutes, createResultsPublicRoutes, createSnapshotRoutes } from './results/index.ts';
import { createRetentionRoutes } from './retention/index.ts';
import { securityHeaders, transportSecurity } from './http/security-headers.ts';
import { refuseNulInUrl } from './http/url-guard.ts';
import { createSurveyRoutes } from './surveys/routes.ts';
import { createTargetGroupRoutes } from './target-groups/routes.ts';
import { createTownAdminRoutes, createTownRoutes } from './town/index.ts';
import { compressSurveyJson, createWebRoutes, DEFAULT_WEB_DIST_DIR } from './web/index.ts';

export interface AppDeps {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  /** DATA_DIR: the keys (`secrets/`), and photos of earlier versions until the start-up import moved them. */
  dataDir: string;
  log: (line: string) => void;
  /** Behind a reverse proxy: take the client address for rate limits from X-Forwarded-For. */
  trustProxy: boolean;
  /** Key for pseudonymous interviewer references (kept in DATA_DIR, never in the database). */
  interviewerRefKey: Buffer;
  /**
   * Key of the keyed hashes that rate limits store instead of client networks and emails
   * (DATA_DIR/secrets/client-address.key, shared by every process). Default: a key of this app's
   * own, fine for one process and for tests.
   */
  addressKey?: Buffer;
  /** Requests per minute and client address to each public write route; default 120. */
  publicWriteLimitPerMinute?: number;
  /** The front-end build served at / (default `frontend/dist`); without it pages answer 503. */
  webDistDir?: string;
  /** The instruments' folder (its `code-lists.json` feeds the checks of uploaded versions). */
  surveysDir?: string;
  /** The clock for deletion dates, schedules and session idle timeouts; tests pass their own. */
  now?: () => Date;
  /** A staff session unused this long ends (SESSION_IDLE_MINUTES); default 2 hours. */
  sessionIdleTimeoutMs?: number;
  /** The bounded password-hashing queue; default the process's one (auth/hash-queue.ts). */
  hashQueue?: HashQueue;
  /** The address residents open links at (letters' links, calendar files); as PUBLIC_URL. */
  publicUrl?: string;
  /** SMTP_URL is set: invitations go out by e-mail. Without it the letters take in e-mail contacts too. */
  mailConfigured?: boolean;
}

/** Builds the whole HTTP app from its feature routers; no socket, so tests call `app.request()`. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const addressKey = deps.addressKey ?? randomBytes(32);
  // First, so that every answer carries the headers: errors, 404s and static pages included.
  app.use('*', securityHeaders());
  app.use('*', transportSecurity(deps.trustProxy));
  app.use('*', requestLocale());
  app.use('*', refuseNulInUrl());
  // A ceiling for every route; routers set tighter limits of their own.
  app.use('*', bodyLimits());
  mountPublicWriteLimits(app, {
    db: deps.db,
    addressKey,
    perMinute: deps.publicWriteLimitPerMinute ?? DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE,
    trustProxy: deps.trustProxy,
  });
  // Before every router, so that requireRole() in any feature finds the session store.
  app.use('*', attachSessions(new SessionStore(deps.db, { idleTimeoutMs: deps.sessionIdleTimeoutMs, now: deps.now })));

  // Its own clock, not deps.now: a test's fixed clock would freeze the cached status.
  app.route('/health', createHealthRoutes({ db: deps.db, dbKind: deps.dbKind }));
  app.use('/api/surveys/*', compressSurveyJson());
  app.route('/api/surveys', createSurveyRoutes(deps));
  // Residents' writes nested under a survey: submissions here, drafts (under /api) below.
  app.route('/api/surveys', createResponseRoutes(deps));
  app.route('/api', createDraftRoutes(deps));
  app.route('/api/contacts', createContactRoutes({ ...deps, addressKey }));
  // The residents' event routes first: `/api/events/public/…` must not reach the staff router's guard.
  // (Without publicUrl, as before: the calendar file's URL is left out rather than risk one the ics library refuses.)
  app.route('/api/events', createEventPublicRoutes({ ...deps, publicUrl: undefined }));
  app.route('/api/events', createEventStaffRoutes(deps));
  app.route('/api/auth', createAuthRoutes({ ...deps, addressKey }));
  app.route('/api/media', createMediaRoutes(deps));
  app.route('/api/interviews', createInterviewRoutes(deps));
  app.route('/api/town', createTownRoutes(deps));
  app.route('/api/admin/town', createTownAdminRoutes(deps));
  app.route('/api/admin/districts', createDistrictAdminRoutes(deps));
  app.route('/api/admin/retention', createRetentionRoutes(deps));
  app.route('/api/admin/audit', createAuditRoutes(deps));
  app.route('/api/admin/surveys', createSurveyVersionRoutes(deps));
  app.route('/api/admin/surveys', createTranslationRoutes(deps));
  app.route('/api/admin/measures', createMeasureAdminRoutes(deps));
  app.route('/api/admin', createAdminRoutes(deps));

  app.route('/api/actors', createActorRoutes(deps));
  app.route('/api/workshops', createWorkshopRoutes(deps));
  // Before the survey analysis router, whose `/:slug` routes would otherwise take `network`.
  app.route('/api/analysis', createNetworkAnalysisRoutes(deps));
  app.route('/api/analysis', createOfferAnalysisRoutes(deps));
  app.route('/api/analysis', createSnapshotRoutes(deps));
  app.route('/api/analysis', createFreeTextRoutes(deps));
  app.route('/api/analysis', createAnalysisRoutes(deps));
  app.route('/api/target-groups', createTargetGroupRoutes(deps));

  // Published results: JSON for anyone, and the server-rendered public pages (no script needed).
  const results = createResultsPublicRoutes(deps);
  app.route('/api/results', results.api);
  app.route('/results', results.pages);
  // The public directory of offers (organisations marked public), JSON and the server-rendered page.
  const offers = createOfferPublicRoutes(deps);
  app.route('/api/offers', offers.api);
  app.route('/offers', offers.pages);

  // LAST: the front end's pages and assets. Never answers /api/* or /health (they keep JSON 404s).
  app.route('/', createWebRoutes({ webDistDir: deps.webDistDir ?? DEFAULT_WEB_DIST_DIR, log: deps.log }));

  app.notFound((c) => renderError(new ApiError(404, 'not_found'), c, deps.log));
  app.onError((error, c) => renderError(error, c, deps.log));
  return app;
}

export type App = ReturnType<typeof createApp>;
