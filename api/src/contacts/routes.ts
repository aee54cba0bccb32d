import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { confirmContact, createContact, withdrawContact, withdrawContactByToken, type ContactDeps } from './service.ts';

/** A contact is a few short fields; anything near this size is not one. */
const CONTACT_BODY_LIMIT_BYTES = 16 * 1024;

// The envelope only: types and list sizes. What the values mean (consent, e-mail, choices) is the
// service's to check, with messages per field.
const contactSchema = z.object({
  locale: z.enum(SUPPORTED_LOCALES),
  consent: z.unknown(),
  consentVersion: z.string().max(200).nullish(),
  name: z.string().max(2000).nullish(),
  email: z.string().max(2000).nullish(),
  phone: z.string().max(2000).nullish(),
  topics: z.array(z.string().max(200)).max(50).default([]),
  formats: z.array(z.string().max(200)).max(50).default([]),
  district: z.string().max(200).nullish(),
});

const withdrawSchema = z.union([z.object({ code: z.string().max(100) }), z.object({ token: z.string().max(200) })]);
const confirmSchema = z.object({ token: z.string().max(200) });

/** `POST /api/contacts` (opt in), `POST /api/contacts/withdraw` (code or token), `POST /api/contacts/confirm`. */
export function createContactRoutes(deps: ContactDeps) {
  return new Hono<AppEnv>()
    .post('/', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, contactSchema);
      const { withdrawCode } = await createContact(deps, body);
      return c.json({ withdrawCode }, 201);
    })
    .post('/withdraw', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, withdrawSchema);
      const withdrawn = 'code' in body ? await withdrawContact(deps, body.code) : await withdrawContactByToken(deps, body.token);
      if (!withdrawn) throw new ApiError(404, 'contact_not_found');
      return c.body(null, 204);
    })
    // A POST with the token in the body (the page reads it from the link's fragment): a token in a
    // URL would reach access logs and proxies.
    .post('/confirm', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const { token } = await readLocalisedJsonBody(c, confirmSchema);
      if (!(await confirmContact(deps, token))) throw new ApiError(404, 'contact_confirmation_invalid');
      return c.body(null, 204);
    });
}
