import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';

/**
 * The Content-Security-Policy of every answer, HTML pages included. Scripts only from this origin
 * and never inline, so an answer that smuggled markup into a page cannot run code.
 *
 * `style-src` allows 'unsafe-inline' because survey-js-ui renders `style="…"` attributes into its
 * markup (question widths, progress bar, rating items, theme variables); without it the
 * questionnaire loses its layout. Inline styles cannot run script, so the cost is small compared
 * with inline script, which stays forbidden.
 *
 * `img-src` allows `data:` (icons SurveyJS embeds as data URIs) and `blob:` (photo previews the
 * interviewer app makes from IndexedDB before upload).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every answer, error answers and static files included (mounted first in
 * `createApp`). No CORS headers are sent anywhere: the front end is served from the same origin.
 */
export const securityHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    // The interviewer app photographs pin boards through the file picker, which needs no camera
    // permission; nothing here may locate, record or pay.
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
    },
  });
