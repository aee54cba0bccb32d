import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../i18n/locales.ts';
import { createContact, withdrawContact, type ContactDeps } from './service.ts';

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

const withdrawSchema = z.object({ code: z.string().max(100) });

/** `POST /api/contacts` (opt in to get involved) and `POST /api/contacts/withdraw`. */
export function createContactRoutes(deps: ContactDeps) {
  return new Hono<AppEnv>()
    .post('/', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, contactSchema);
      const { withdrawCode } = await createContact(deps, body);
      return c.json({ withdrawCode }, 201);
    })
    .post('/withdraw', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const { code } = await readLocalisedJsonBody(c, withdrawSchema);
      if (!(await withdrawContact(deps, code))) throw new ApiError(404, 'contact_not_found');
      return c.body(null, 204);
    });
}
