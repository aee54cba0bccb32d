import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import { parseDialect } from '../analysis/csv/csv-writer.ts';
import { contactsCsv, contactsXlsx, listContacts, parseContactFilter, type ContactFilter } from './contact-list.ts';
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
  idempotencyKey: z.string().uuid().nullish(),
});

const withdrawSchema = z.union([z.object({ code: z.string().max(100) }), z.object({ token: z.string().max(200) })]);
const confirmSchema = z.object({ token: z.string().max(200) });

/** `POST /api/contacts` (opt in), `POST /api/contacts/withdraw` (code or token), `POST /api/contacts/confirm`. */
export function createContactRoutes(deps: ContactDeps) {
  const coordinators = requireRole('coordinator', 'admin');
  // Every look at the list is in the audit log: who, which filter, how many — never the contacts.
  const audit = (actorId: string, action: string, filter: ContactFilter, count: number) =>
    recordAudit(deps.db, { actorId, action, details: { filter, count } });
  return new Hono<AppEnv>()
    .get('/', coordinators, async (c) => {
      const filter = parseContactFilter(c.req.query());
      const contacts = await listContacts(deps.db, filter);
      await audit(c.get('user')!.id, 'contacts.view', filter, contacts.length);
      return c.json({ contacts });
    })
    .get('/export.csv', coordinators, async (c) => {
      const filter = parseContactFilter(c.req.query());
      const dialect = parseDialect(c.req.query('dialect'));
      const contacts = await listContacts(deps.db, filter);
      await audit(c.get('user')!.id, 'export.contacts_csv', filter, contacts.length);
      return c.body(contactsCsv(contacts, dialect), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="contacts.csv"',
      });
    })
    .get('/export.xlsx', coordinators, async (c) => {
      const filter = parseContactFilter(c.req.query());
      const contacts = await listContacts(deps.db, filter);
      await audit(c.get('user')!.id, 'export.contacts_xlsx', filter, contacts.length);
      return c.body(new Uint8Array(await contactsXlsx(contacts)), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': 'attachment; filename="contacts.xlsx"',
      });
    })
    .post('/', limitBody(CONTACT_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, contactSchema);
      const { withdrawCode, repeated } = await createContact(deps, body);
      // 200: this form (its idempotency key) was stored before; the same code again, nothing new.
      return c.json({ withdrawCode }, repeated ? 200 : 201);
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
