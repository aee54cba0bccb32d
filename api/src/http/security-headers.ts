import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';
import { cameOverTls } from './client-address.ts';

/**
 * The Content-Security-Policy of every answer, HTML pages included. Scripts only from this origin
 * and never inline, so an answer that smuggled markup into a page cannot run code.
 *
 * Styles: survey-js-ui sets almost all of its inline styles through the DOM (`element.style`),
 * which CSP does not restrict; measured in Chromium through the whole baseline questionnaire, the
 * only style it writes as markup is the `style="…"` attribute in its timer's SVG. So inline
 * `<style>` elements (what a CSS injection needs) are refused where browsers know `style-src-elem`,
 * and style attributes are allowed (`style-src-attr`); they cannot run script. Browsers without
 * the CSP3 split fall back to `style-src`, which must then allow both. Checked in the browser by
 * tests/e2e/content-security-policy.test.ts.
 *
 * `img-src` allows `data:` (icons SurveyJS embeds as data URIs) and `blob:` (photo previews the
 * interviewer app makes from IndexedDB before upload).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Browsers that know the CSP3 split: no inline <style> elements (the markup a CSS injection
  // needs), but style attributes, which SurveyJS writes into some of its markup (the timer's SVG).
  // Older browsers use style-src, which has to allow both.
  styleSrc: ["'self'", "'unsafe-inline'"],
  styleSrcElem: ["'self'"],
  styleSrcAttr: ["'unsafe-inline'"],
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
    // Sent by transportSecurity() only over TLS: over plain HTTP browsers ignore it anyway, and
    // answering it there would tell a local trial on http://localhost to expect TLS.
    strictTransportSecurity: false,
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

export const HSTS = 'max-age=15552000; includeSubDomains';

/**
 * Notes whether the request came over TLS (`c.get('tls')`, read by the session cookie) and sends
 * Strict-Transport-Security only then. X-Forwarded-Proto counts only with TRUST_PROXY=true.
 */
export const transportSecurity = (trustProxy: boolean): MiddlewareHandler<AppEnv> =>
  async function transportSecurity(c, next) {
    const tls = cameOverTls(c, trustProxy);
    c.set('tls', tls);
    await next();
    if (tls) c.res.headers.set('Strict-Transport-Security', HSTS);
  };
