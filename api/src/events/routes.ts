import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import { townNameIn } from '../town/service.ts';
import { parseContactFilter } from '../contacts/contact-list.ts';
import type { AppEnv } from '../http/app-env.ts';
import { limitBody } from '../http/body-limits.ts';
import { ApiError } from '../http/errors.ts';
import { matchesEtag } from '../http/etag.ts';
import { readLocalisedJsonBody } from '../http/localised-body.ts';
import { readJsonBody } from '../http/read-json.ts';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { csvHeaders, parseDialect } from '../analysis/csv/csv-writer.ts';
import { eventIcs } from './ics.ts';
import { MEDIA_UPLOAD_LIMIT_BYTES, readImage, type MediaDeps } from '../media/index.ts';
import { cardEditSchema, DAY_SYNC_BODY_LIMIT_BYTES, DAY_SYNC_MAX_ITEMS, daySyncBatchSchema } from './day-schema.ts';
import { dayList, storeReportPhoto, syncDay } from './event-day.ts';
import { deleteReportItem, reportPhotoHash, updateCard } from './report-material.ts';
import { inviteByLetter, lettersCsv } from './letters.ts';
import { lettersPdf } from './letters-pdf.ts';
import { readTownSettings } from '../town/index.ts';
import { renderInvitationMail } from './mail.ts';
import { EVENT_FORMATS, EVENT_STATUSES } from './options.ts';
import {
  answerInvitation,
  cancelRegistration,
  createEvent,
  getEvent,
  getPublicEvent,
  getReport,
  getPublicReport,
  icsSequenceOf,
  inviteContacts,
  listEventsForStaff,
  listInvitations,
  listPublicEvents,
  listRegistrations,
  readInvitation,
  registerForEvent,
  saveReport,
  updateEvent,
  type EventDeps,
} from './service.ts';

const EVENT_BODY_LIMIT_BYTES = 256 * 1024;
const PERSON_BODY_LIMIT_BYTES = 16 * 1024;

const localisedText = z.record(z.string(), z.string().max(20_000)).default({});
const locales = z.array(z.enum(SUPPORTED_LOCALES)).max(SUPPORTED_LOCALES.length).default([]);

// The envelope only; the service checks meaning (dates in order, German title, slug shape).
const eventSchema = z.object({
  slug: z.string().max(200),
  format: z.enum(EVENT_FORMATS),
  title: localisedText,
  description: localisedText,
  placeName: z.string().max(2000),
  placeAddress: z.string().max(2000).nullish().transform((v) => v ?? null),
  stepFree: z.boolean().default(false),
  hearingLoop: z.boolean().default(false),
  accessibleToilet: z.boolean().default(false),
  accessibilityNotes: localisedText,
  startsAt: z.string().max(100),
  endsAt: z.string().max(100),
  capacity: z.number().int().nullable().default(null),
  registrationDeadline: z.string().max(100).nullable().default(null),
  languages: locales,
  interpretation: locales,
  status: z.enum(EVENT_STATUSES).default('draft'),
});

const needsSchema = z
  .object({ childcare: z.boolean().optional(), interpreting: z.string().max(20).nullish(), accessibility: z.string().max(2000).nullish() })
  .optional();

const registrationSchema = z.object({
  locale: z.enum(SUPPORTED_LOCALES),
  consent: z.unknown(),
  name: z.string().max(2000).nullish(),
  email: z.string().max(2000).nullish(),
  phone: z.string().max(2000).nullish(),
  needs: needsSchema,
});

const reportSchema = z.object({
  // null: the check-in's count.
  attendeesCount: z.number().int().nullable(),
  organisations: z.array(z.string().max(2000)).max(500).default([]),
  results: localisedText,
  published: z.boolean().default(false),
});

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ITEM_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Serves a report photo (or its thumbnail) found by `find`; the same 404 for unknown and unpublished. */
async function servePhoto(deps: MediaDeps, contentHash: string | undefined, variant: 'image' | 'thumbnail', cacheControl: string): Promise<Response> {
  const image = contentHash ? await readImage(deps, contentHash, variant) : undefined;
  if (!image) throw new ApiError(404, 'media_not_found');
  return new Response(new Uint8Array(image.data), { status: 200, headers: { 'content-type': image.mimeType, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' } });
}

/**
 * A public report photo: `no-cache` with an ETag, so every view asks the server first and a photo
 * taken off the report (unpublished, deleted, consent withdrawn) is gone at the next view, from
 * browsers and shared caches alike. The question stays cheap: a still-published photo whose ETag
 * the browser has is answered 304 after one indexed look-up, without reading its bytes. The ETag
 * names the content (stored photos never change) and the variant.
 */
async function servePublicPhoto(deps: MediaDeps, contentHash: string | undefined, variant: 'image' | 'thumbnail', ifNoneMatch: string | undefined): Promise<Response> {
  if (!contentHash) throw new ApiError(404, 'media_not_found');
  const etag = `"${variant === 'thumbnail' ? 't' : 'i'}-${contentHash}"`;
  const headers = { 'cache-control': PUBLIC_PHOTO_CACHE_CONTROL, etag, 'x-content-type-options': 'nosniff' };
  if (matchesEtag(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  const image = await readImage(deps, contentHash, variant);
  if (!image) throw new ApiError(404, 'media_not_found');
  return new Response(new Uint8Array(image.data), { status: 200, headers: { 'content-type': image.mimeType, ...headers } });
}

/** Caches keep the photo but revalidate each use; nothing is shown from cache unasked. */
export const PUBLIC_PHOTO_CACHE_CONTROL = 'public, no-cache';

const REPORT_TABLES = { cards: 'event_report_card', notes: 'event_report_note', photos: 'event_report_photo' } as const;

/** Coordinators' and admins' event routes under `/api/events`; every change and every look at people is audited. */
export function createEventStaffRoutes(deps: EventDeps & MediaDeps & { publicUrl?: string; mailConfigured?: boolean }) {
  const coordinators = requireRole('coordinator', 'admin');
  const audit = (actorId: string, action: string, target: string, details: Record<string, unknown> = {}) => recordAudit(deps.db, { actorId, action, target, details });
  const lettersFor = async (actorId: string, eventId: string, query: Record<string, string>, format: 'csv' | 'pdf') => {
    const filter = parseContactFilter(query);
    const { letters, alreadyInvited } = await inviteByLetter({ ...deps, publicUrl: deps.publicUrl ?? '', mailConfigured: deps.mailConfigured ?? false }, eventId, filter);
    // Counts only: who got a letter is in the file, not in the log.
    await audit(actorId, 'event.invite_letters', eventId, { filter, format, letters: letters.length, byEmailContact: letters.filter((l) => l.email).length, alreadyInvited });
    return letters;
  };
  return new Hono<AppEnv>()
    .use('*', coordinators)
    // `mailConfigured`: whether invitations go out by e-mail; without SMTP the letters take in the
    // e-mail contacts too, and the page says so.
    .get('/', async (c) => c.json({ events: await listEventsForStaff(deps.db), mailConfigured: deps.mailConfigured ?? false }))
    .post('/', limitBody(EVENT_BODY_LIMIT_BYTES), async (c) => {
      const body = (await readJsonBody(c, eventSchema)) as z.infer<typeof eventSchema>;
      const event = await createEvent(deps, body as Parameters<typeof createEvent>[1]);
      await audit(c.get('user')!.id, 'event.create', event.id, { slug: event.slug, status: event.status });
      return c.json({ event }, 201);
    })
    .get(`/:id{${UUID}}`, async (c) => c.json({ event: await getEvent(deps.db, c.req.param('id')), report: await getReport(deps.db, c.req.param('id'), false) }))
    .put(`/:id{${UUID}}`, limitBody(EVENT_BODY_LIMIT_BYTES), async (c) => {
      const body = (await readJsonBody(c, eventSchema)) as z.infer<typeof eventSchema>;
      const event = await updateEvent(deps, c.req.param('id'), body as Parameters<typeof updateEvent>[2]);
      await audit(c.get('user')!.id, 'event.update', event.id, { slug: event.slug, status: event.status });
      return c.json({ event });
    })
    // The message each language's contacts would get, with a placeholder for the personal link.
    .get(`/:id{${UUID}}/invitations/preview`, async (c) => {
      const locale = c.req.query('locale');
      if (!locale || !isLocale(locale)) throw new ApiError(400, 'invalid_request', { details: 'locale' });
      const event = await getEvent(deps.db, c.req.param('id'));
      const preview = renderInvitationMail({ locale, town: await townNameIn(deps.db, locale), publicUrl: '', token: '…', withdrawToken: '…', event });
      return c.json({ preview: { subject: preview.subject, text: preview.text } });
    })
    .get(`/:id{${UUID}}/invitations`, async (c) => {
      const invitations = await listInvitations(deps.db, c.req.param('id'));
      await audit(c.get('user')!.id, 'event.invitations_view', c.req.param('id'), { count: invitations.length });
      return c.json({ invitations });
    })
    // The filter is the contact list's own (query string), so what the coordinator saw is who is invited.
    .post(`/:id{${UUID}}/invitations`, async (c) => {
      const filter = parseContactFilter(c.req.query());
      const outcome = await inviteContacts(deps, c.req.param('id'), filter);
      await audit(c.get('user')!.id, 'event.invite', c.req.param('id'), { filter, ...outcome });
      return c.json(outcome, 201);
    })
    // Phone-only contacts (and without SMTP the confirmed e-mail contacts) get the invitation as a
    // letter: a mail-merge CSV or a printable PDF with their personal links. POST, because making
    // the file creates the invitations and their tokens: the file is the one place the links exist.
    .post(`/:id{${UUID}}/invitations/letters.csv`, async (c) => {
      const dialect = parseDialect(c.req.query('dialect'));
      const letters = await lettersFor(c.get('user')!.id, c.req.param('id'), c.req.query(), 'csv');
      return c.body(lettersCsv(letters, dialect), 200, { ...csvHeaders('invitation-letters.csv'), 'x-letter-count': String(letters.length) });
    })
    .post(`/:id{${UUID}}/invitations/letters.pdf`, async (c) => {
      const letters = await lettersFor(c.get('user')!.id, c.req.param('id'), c.req.query(), 'pdf');
      const settings = await readTownSettings(deps.db);
      const names = new Map<Locale, string>();
      for (const locale of new Set(letters.map((letter) => letter.locale))) names.set(locale, await townNameIn(deps.db, locale));
      const pdf = await lettersPdf(letters, { nameIn: (locale) => names.get(locale) ?? '', dataProtection: settings?.dataProtection ?? null }, c.get('locale'));
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="invitation-letters.pdf"',
        'cache-control': 'no-store',
        'x-letter-count': String(letters.length),
      });
    })
    .get(`/:id{${UUID}}/registrations`, async (c) => {
      const registrations = await listRegistrations(deps.db, c.req.param('id'));
      await audit(c.get('user')!.id, 'event.registrations_view', c.req.param('id'), { count: registrations.length });
      return c.json({ registrations });
    })
    .put(`/:id{${UUID}}/report`, limitBody(EVENT_BODY_LIMIT_BYTES), async (c) => {
      const body = await readJsonBody(c, reportSchema);
      const report = await saveReport(deps, c.req.param('id'), body);
      await audit(c.get('user')!.id, report.published ? 'event.report_publish' : 'event.report_save', c.req.param('id'), { attendeesCount: report.attendeesCount });
      return c.json({ report });
    })
    // The day: the tablet's check-in list (minimal person data), its sync, and its photos.
    .get(`/:id{${UUID}}/day`, async (c) => {
      const list = await dayList(deps.db, c.req.param('id'));
      await audit(c.get('user')!.id, 'event.day_list', c.req.param('id'), { count: list.registrations.length });
      return c.json(list);
    })
    .post(`/:id{${UUID}}/day/sync`, limitBody(DAY_SYNC_BODY_LIMIT_BYTES), async (c) => {
      const { items } = await readJsonBody(c, daySyncBatchSchema);
      if (items.length > DAY_SYNC_MAX_ITEMS) throw new ApiError(413, 'sync_batch_too_large', { max: DAY_SYNC_MAX_ITEMS });
      const results = await syncDay(deps.db, c.req.param('id'), items, c.get('locale'));
      const count = (status: string) => results.filter((result) => result.status === status).length;
      await audit(c.get('user')!.id, 'event.day_sync', c.req.param('id'), { stored: count('stored'), duplicate: count('duplicate'), rejected: count('rejected') });
      return c.json({ results });
    })
    // PUT under the tablet's id: sent again after a lost answer, it stores nothing new.
    .put(`/:id{${UUID}}/day/photos/:photoId{${ITEM_ID}}`, limitBody(MEDIA_UPLOAD_LIMIT_BYTES), async (c) => {
      if (!/^image\//i.test(c.req.header('content-type') ?? '')) throw new ApiError(415, 'not_an_image');
      const upload = Buffer.from(await c.req.arrayBuffer());
      if (upload.length === 0) throw new ApiError(422, 'not_an_image');
      const outcome = await storeReportPhoto(deps, c.req.param('id'), c.req.param('photoId'), upload);
      if (outcome.status === 'stored') await audit(c.get('user')!.id, 'event.report_photo', c.req.param('id'), {});
      return c.json({ id: c.req.param('photoId').toLowerCase(), status: outcome.status }, outcome.status === 'stored' ? 201 : 200);
    })
    .get(`/:id{${UUID}}/report/photos/:photoId{${ITEM_ID}}`, async (c) =>
      servePhoto(deps, await reportPhotoHash(deps.db, c.req.param('id'), c.req.param('photoId'), false), 'image', 'private, max-age=3600'),
    )
    .get(`/:id{${UUID}}/report/photos/:photoId{${ITEM_ID}}/thumb`, async (c) =>
      servePhoto(deps, await reportPhotoHash(deps.db, c.req.param('id'), c.req.param('photoId'), false), 'thumbnail', 'private, max-age=3600'),
    )
    // After the day: translations and corrections of a card (online, on the report).
    .put(`/:id{${UUID}}/report/cards/:itemId{${ITEM_ID}}`, limitBody(PERSON_BODY_LIMIT_BYTES), async (c) => {
      const body = await readJsonBody(c, cardEditSchema);
      const card = await updateCard(deps.db, c.req.param('id'), c.req.param('itemId'), body);
      await audit(c.get('user')!.id, 'event.report_card', c.req.param('id'), {});
      return c.json({ card });
    })
    .delete(`/:id{${UUID}}/report/:kind{cards|notes|photos}/:itemId{${ITEM_ID}}`, async (c) => {
      const kind = c.req.param('kind') as keyof typeof REPORT_TABLES;
      await deleteReportItem(deps.db, c.req.param('id'), REPORT_TABLES[kind], c.req.param('itemId'));
      await audit(c.get('user')!.id, 'event.report_item_delete', c.req.param('id'), { kind });
      return c.body(null, 204);
    });
}

/**
 * Residents' routes under `/api/events/public` and the link routes; no account. Tokens and codes
 * travel in POST bodies, never in a URL that reaches access logs.
 */
export function createEventPublicRoutes(deps: EventDeps & MediaDeps & { publicUrl?: string }) {
  const ics = async (slug: string, locale: Locale) => {
    const event = await getPublicEvent(deps.db, slug, deps.now?.());
    return eventIcs(event, await icsSequenceOf(deps.db, event.id), locale, deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}/events/${event.slug}` : undefined);
  };
  return new Hono<AppEnv>()
    .get('/public', async (c) => c.json({ events: await listPublicEvents(deps.db, deps.now?.()) }))
    .get('/public/:slug', async (c) => {
      const event = await getPublicEvent(deps.db, c.req.param('slug'), deps.now?.());
      return c.json({ event, report: await getPublicReport(deps.db, event.id) });
    })
    // Photos of a published report only; an unpublished one answers as an unknown photo.
    .get(`/public/:slug/photos/:photoId{${ITEM_ID}}`, async (c) => {
      const event = await getPublicEvent(deps.db, c.req.param('slug'), deps.now?.());
      return servePublicPhoto(deps, await reportPhotoHash(deps.db, event.id, c.req.param('photoId'), true), 'image', c.req.header('if-none-match'));
    })
    .get(`/public/:slug/photos/:photoId{${ITEM_ID}}/thumb`, async (c) => {
      const event = await getPublicEvent(deps.db, c.req.param('slug'), deps.now?.());
      return servePublicPhoto(deps, await reportPhotoHash(deps.db, event.id, c.req.param('photoId'), true), 'thumbnail', c.req.header('if-none-match'));
    })
    .get('/public/:slug/event.ics', async (c) =>
      c.body(await ics(c.req.param('slug'), c.get('locale')), 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `attachment; filename="${c.req.param('slug').replace(/[^a-z0-9-]/g, '')}.ics"`,
      }),
    )
    .post('/public/:slug/registrations', limitBody(PERSON_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, registrationSchema);
      return c.json(await registerForEvent(deps, c.req.param('slug'), body), 201);
    })
    .post('/invitation', limitBody(PERSON_BODY_LIMIT_BYTES), async (c) => {
      const { token } = await readLocalisedJsonBody(c, z.object({ token: z.string().max(200), locale: z.enum(SUPPORTED_LOCALES).optional() }));
      return c.json(await readInvitation(deps, token));
    })
    .post('/invitation/answer', limitBody(PERSON_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(
        c,
        z.object({ token: z.string().max(200), accept: z.boolean(), consent: z.unknown(), needs: needsSchema, locale: z.enum(SUPPORTED_LOCALES).optional() }),
      );
      const outcome = await answerInvitation(deps, body.token, body);
      return outcome ? c.json(outcome, 201) : c.body(null, 204);
    })
    .post('/registrations/cancel', limitBody(PERSON_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(
        c,
        z.union([z.object({ code: z.string().max(100), locale: z.enum(SUPPORTED_LOCALES).optional() }), z.object({ token: z.string().max(200), locale: z.enum(SUPPORTED_LOCALES).optional() })]),
      );
      if (!(await cancelRegistration(deps, 'code' in body ? { code: body.code } : { token: body.token }))) throw new ApiError(404, 'event_registration_not_found');
      return c.body(null, 204);
    });
}
