import type { Locale } from '../../../api/src/shared/locales.ts';
import type { ApiClient } from './api-client.ts';
import type { InterviewDatabase } from './store/database.ts';
import type { SessionKeeper } from './store/session.ts';
import type { SyncEngine } from './sync/sync-engine.ts';

export type Route =
  | { view: 'list' }
  | { view: 'login' }
  | { view: 'new' }
  | { view: 'conversation'; id: string };

/** What every view works with: the tablet's database, the server, the session and the sync. */
export interface AppContext {
  db: InterviewDatabase;
  api: ApiClient;
  session: SessionKeeper;
  sync: SyncEngine;
  uiLocale(): Locale;
  navigate(route: Route): void;
  /** Says something to screen-reader users and shows it in the status line. */
  announce(message: string): void;
}

export function routeFromHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/new') return { view: 'new' };
  if (path === '/login') return { view: 'login' };
  const conversation = /^\/c\/([0-9a-f-]{36})$/i.exec(path);
  if (conversation) return { view: 'conversation', id: conversation[1]! };
  return { view: 'list' };
}

export function hashOf(route: Route): string {
  switch (route.view) {
    case 'list':
      return '#/';
    case 'login':
      return '#/login';
    case 'new':
      return '#/new';
    case 'conversation':
      return `#/c/${route.id}`;
  }
}

/** A view draws itself into `root` and returns what to clean up when the next view replaces it. */
export type View = (context: AppContext, root: HTMLElement, route: Route) => Promise<(() => void) | void>;
