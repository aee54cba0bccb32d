import type { MiddlewareHandler } from 'hono';
import { isLocale, localeFromAcceptLanguage } from '../shared/locales.ts';
import type { AppEnv } from './app-env.ts';

/** Sets the message locale from `?lang=` or Accept-Language; routes may refine it from the body. */
export const requestLocale = (): MiddlewareHandler<AppEnv> =>
  async function requestLocale(c, next) {
    const fromQuery = c.req.query('lang');
    c.set('locale', isLocale(fromQuery) ? fromQuery : localeFromAcceptLanguage(c.req.header('accept-language')));
    await next();
  };
