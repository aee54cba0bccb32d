import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { hashHumanCode, newHumanCode, normaliseHumanCode } from '../codes/human-code.ts';
import { listContacts, type ContactFilter } from '../contacts/contact-list.ts';
import type { Database, EventTable, LocalisedText } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import type { EventReport, ListedEvent, PublicEvent, PublicEventReport, ReportInput } from '../shared/events.ts';
import { seatAvailability } from './availability.ts';
import { EVENT_FORMATS, EVENT_STATUSES } from './options.ts';
import { hashEventToken } from './mail.ts';
import { activeRegistrationByEmail, lockEvent, nextPlaceInLine, promoteFromWaitingList } from './repository.ts';
import { hasMaterial, reportMaterial } from './report-material.ts';
import { publicAttendance } from './public-attendance.ts';
import { getSuppressionThreshold } from '../settings/index.ts';

export interface EventDeps {
  db: Kysely<Database>;
  now?: () => Date;
}

export type EventInput = Omit<PublicEvent, 'id'>;

export function toPublicEvent(row: Selectable<EventTable>): PublicEvent {
  return {
    id: row.id,
    slug: row.slug,
    format: row.format,
    title: row.title,
    description: row.description,
    placeName: row.place_name,
    placeAddress: row.place_address,
    stepFree: row.step_free,
    hearingLoop: row.hearing_loop,
    accessibleToilet: row.accessible_toilet,
    accessibilityNotes: row.accessibility_notes,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    capacity: row.capacity,
    registrationDeadline: row.registration_deadline ? new Date(row.registration_deadline).toISOString() : null,
    languages: row.languages,
    interpretation: row.interpretation,
    status: row.status,
  };
}

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,78})[a-z0-9]$/;
const TEXT_LIMITS = { title: 200, description: 10_000, notes: 2000, place: 300 } as const;

/** The fields that are wrong, by name; the route turns them into one localised 422. */
function eventFieldErrors(input: EventInput): string[] {
  const bad: string[] = [];
  if (!SLUG_PATTERN.test(input.slug)) bad.push('slug');
  if (!EVENT_FORMATS.includes(input.format)) bad.push('format');
  if (!EVENT_STATUSES.includes(input.status)) bad.push('status');
  if (!input.title.de?.trim()) bad.push('title.de');
  const texts: [string, LocalisedText, number][] = [
    ['title', input.title, TEXT_LIMITS.title],
    ['description', input.description, TEXT_LIMITS.description],
    ['accessibilityNotes', input.accessibilityNotes, TEXT_LIMITS.notes],
  ];
  for (const [name, text, max] of texts) {
    for (const [locale, value] of Object.entries(text)) {
      if (!isLocale(locale) || typeof value !== 'string' || value.length > max) bad.push(`${name}.${locale}`);
    }
  }
  if (!input.placeName.trim() || input.placeName.length > TEXT_LIMITS.place) bad.push('placeName');
  if ((input.placeAddress?.length ?? 0) > TEXT_LIMITS.place) bad.push('placeAddress');
  const starts = Date.parse(input.startsAt);
  const ends = Date.parse(input.endsAt);
  if (Number.isNaN(starts)) bad.push('startsAt');
  if (Number.isNaN(ends) || !(ends > starts)) bad.push('endsAt');
  if (input.registrationDeadline !== null) {
    const deadline = Date.parse(input.registrationDeadline);
    if (Number.isNaN(deadline) || deadline > starts) bad.push('registrationDeadline');
  }
  if (input.capacity !== null && (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 100_000)) bad.push('capacity');
  for (const [name, list] of [['languages', input.languages], ['interpretation', input.interpretation]] as const) {
    if (list.some((code) => !(SUPPORTED_LOCALES as readonly string[]).includes(code))) bad.push(name);
  }
  return bad;
}

function eventRow(input: EventInput) {
  return {
    slug: input.slug,
    format: input.format,
    title: JSON.stringify(trimTexts(input.title)),
    description: JSON.stringify(trimTexts(input.description)),
    place_name: input.placeName.trim(),
    place_address: input.placeAddress?.trim() || null,
    step_free: input.stepFree,
    hearing_loop: input.hearingLoop,
    accessible_toilet: input.accessibleToilet,
    accessibility_notes: JSON.stringify(trimTexts(input.accessibilityNotes)),
    starts_at: new Date(input.startsAt).toISOString(),
    ends_at: new Date(input.endsAt).toISOString(),
    capacity: input.capacity,
    registration_deadline: input.registrationDeadline ? new Date(input.registrationDeadline).toISOString() : null,
    languages: JSON.stringify([...new Set(input.languages)]),
    interpretation: JSON.stringify([...new Set(input.interpretation)]),
    status: input.status,
  };
}

const trimTexts = (text: LocalisedText) => Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));

async function assertSlugFree(db: Kysely<Database>, slug: string, exceptId: string | null) {
  const taken = await db.selectFrom('event').select('id').where('slug', '=', slug).executeTakeFirst();
  if (taken && taken.id !== exceptId) throw new ApiError(409, 'event_slug_taken', { slug });
}

export async function createEvent(deps: EventDeps, input: EventInput): Promise<PublicEvent> {
  const bad = eventFieldErrors(input);
  if (bad.length > 0) throw new ApiError(422, 'event_invalid', { fields: bad.join(', ') });
  await assertSlugFree(deps.db, input.slug, null);
  const row = await deps.db.insertInto('event').values({ id: randomUUID(), ...eventRow(input) }).returningAll().executeTakeFirstOrThrow();
  return toPublicEvent(row);
}

const sameMoment = (a: Date | string | null, b: Date | string | null) => (a === null || b === null ? a === b : new Date(a).getTime() === new Date(b).getTime());

const timeOrPlaceChanged = (before: Selectable<EventTable>, after: Selectable<EventTable>) =>
  !sameMoment(before.starts_at, after.starts_at) || !sameMoment(before.ends_at, after.ends_at) || before.place_name !== after.place_name || before.place_address !== after.place_address;

/**
 * Everyone registered (confirmed or waiting, with an address) hears when a published event is
 * cancelled, or when its time or place changes: one message each, in their locale, with the facts
 * as they are when it is sent. A second move before the first message went out replaces it, and a
 * move clears the reminder flag so the reminder follows the new date.
 */
async function tellRegistrantsOfChange(trx: Transaction<Database>, before: Selectable<EventTable>, after: Selectable<EventTable>): Promise<void> {
  if (before.status !== 'published') return;
  const cancelled = after.status === 'cancelled';
  const moved = after.status === 'published' && timeOrPlaceChanged(before, after);
  if (!cancelled && !moved) return;
  const people = await trx.selectFrom('event_registration').select('id').where('event_id', '=', after.id).where('status', '<>', 'cancelled').where('email', 'is not', null).execute();
  const ids = people.map((person) => person.id);
  if (moved) await trx.updateTable('event_registration').set({ reminder_queued: false }).where('event_id', '=', after.id).execute();
  if (ids.length === 0) return;
  const kind = cancelled ? ('event_cancelled' as const) : ('event_moved' as const);
  await trx.deleteFrom('mail_outbox').where('registration_id', 'in', ids).where('kind', '=', kind).where('sent_at', 'is', null).execute();
  await trx.insertInto('mail_outbox').values(ids.map((registrationId) => ({ id: randomUUID(), registration_id: registrationId, kind }))).execute();
}

/** The event's calendar SEQUENCE (0 until its time, place or status first changed). */
export async function icsSequenceOf(db: Kysely<Database>, eventId: string): Promise<number> {
  const row = await db.selectFrom('event').select('ics_sequence').where('id', '=', eventId).executeTakeFirstOrThrow();
  return row.ics_sequence;
}

export async function updateEvent(deps: EventDeps, id: string, input: EventInput): Promise<PublicEvent> {
  const bad = eventFieldErrors(input);
  if (bad.length > 0) throw new ApiError(422, 'event_invalid', { fields: bad.join(', ') });
  await assertSlugFree(deps.db, input.slug, id);
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockEvent(trx, id);
    if (!current) throw new ApiError(404, 'event_not_found');
    let row = await trx.updateTable('event').set({ ...eventRow(input), updated_at: sql<string>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    // A calendar treats a file with the same UID and a higher SEQUENCE as the update of the date it
    // has; with the same SEQUENCE it keeps the old time or place (ics.ts).
    if (timeOrPlaceChanged(current, row) || current.status !== row.status) {
      row = await trx.updateTable('event').set({ ics_sequence: current.ics_sequence + 1 }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    }
    // More seats than before: the waiting list moves up into them at once.
    if (input.capacity === null || (current.capacity !== null && input.capacity > current.capacity)) await promoteFromWaitingList(trx, id, input.capacity);
    await tellRegistrantsOfChange(trx, current, row);
    return toPublicEvent(row);
  });
}

export interface StaffEventSummary extends PublicEvent {
  confirmed: number;
  waiting: number;
  invited: number;
}

/** Every event with its counts, soonest first. */
export async function listEventsForStaff(db: Kysely<Database>): Promise<StaffEventSummary[]> {
  const rows = await db
    .selectFrom('event as e')
    .selectAll('e')
    .select([
      sql<number>`(select count(*) from event_registration r where r.event_id = e.id and r.status = 'confirmed')::int`.as('confirmed'),
      sql<number>`(select count(*) from event_registration r where r.event_id = e.id and r.status = 'waiting')::int`.as('waiting'),
      sql<number>`(select count(*) from event_invitation i where i.event_id = e.id)::int`.as('invited'),
    ])
    .orderBy('e.starts_at')
    .orderBy('e.slug')
    .execute();
  return rows.map((row) => ({ ...toPublicEvent(row), confirmed: Number(row.confirmed), waiting: Number(row.waiting), invited: Number(row.invited) }));
}

export async function getEvent(db: Kysely<Database>, id: string): Promise<PublicEvent> {
  const row = await db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError(404, 'event_not_found');
  return toPublicEvent(row);
}

/** Published, closed and cancelled events (never drafts), for the public list, soonest first. */
export async function listPublicEvents(db: Kysely<Database>, now: Date = new Date()): Promise<ListedEvent[]> {
  const rows = await db
    .selectFrom('event as e')
    .selectAll('e')
    .select(sql<number>`(select count(*) from event_registration r where r.event_id = e.id and r.status = 'confirmed')::int`.as('confirmed'))
    .select(sql<boolean>`exists (select 1 from event_report p where p.event_id = e.id and p.published)`.as('report_published'))
    .where('e.status', '<>', 'draft')
    .orderBy('e.starts_at')
    .orderBy('e.slug')
    .execute();
  return rows.map((row) => {
    const { capacity: _capacity, ...event } = toPublicEvent(row);
    const open = row.status === 'published' && new Date(row.registration_deadline ?? row.starts_at).getTime() > now.getTime();
    return { ...event, availability: seatAvailability(row.capacity, Number(row.confirmed), open), reportPublished: Boolean(row.report_published) };
  });
}

export async function getPublicEvent(db: Kysely<Database>, slug: string, now?: Date) {
  const found = (await listPublicEvents(db, now)).find((event) => event.slug === slug);
  if (!found) throw new ApiError(404, 'event_not_found');
  return found;
}

// ---------------------------------------------------------------- registrations

export interface RegistrationInput {
  locale: Locale;
  consent?: unknown;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  needs?: { childcare?: boolean; interpreting?: string | null; accessibility?: string | null };
}

export interface RegistrationOutcome {
  /** The code the person keeps to cancel (shown once; only its hash is stored). */
  code: string;
  status: 'confirmed' | 'waiting';
  /** 1 for the first on the waiting list; null when confirmed. */
  waitingPosition: number | null;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/u;
const PHONE_PATTERN = /^\+?[0-9 ()/.-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const blankToNull = (value: string | null | undefined) => value?.trim() || null;

function checkPerson(input: RegistrationInput) {
  if (input.consent !== true) throw new ApiError(422, 'consent_required');
  const person = { name: blankToNull(input.name), email: blankToNull(input.email), phone: blankToNull(input.phone) };
  if (!person.email && !person.phone) throw new ApiError(422, 'contact_channel_required');
  if (person.name && (person.name.length > 100 || CONTROL_CHARACTERS.test(person.name))) throw new ApiError(422, 'contact_field_invalid');
  if (person.email && (person.email.length > 254 || !EMAIL_PATTERN.test(person.email))) throw new ApiError(422, 'contact_invalid_email');
  if (person.phone && (person.phone.length > 32 || !PHONE_PATTERN.test(person.phone) || person.phone.replace(/\D/g, '').length < 5)) {
    throw new ApiError(422, 'contact_invalid_phone');
  }
  const needs = input.needs ?? {};
  if (needs.interpreting && !isLocale(needs.interpreting)) throw new ApiError(422, 'contact_invalid_option');
  const accessibility = blankToNull(needs.accessibility);
  if (accessibility && (accessibility.length > 500 || CONTROL_CHARACTERS.test(accessibility))) throw new ApiError(422, 'contact_field_invalid');
  return { ...person, needs: { childcare: needs.childcare === true, interpreting: needs.interpreting || null, accessibility } };
}

/**
 * Registers a person for an event, in one transaction that holds the event's row lock: two people
 * who ask for the last seat at the same moment are served one after the other, so exactly one gets
 * it and the other is put on the waiting list (tested on PostgreSQL with two connections).
 */
async function registerInTransaction(
  trx: Transaction<Database>,
  eventId: string,
  person: ReturnType<typeof checkPerson>,
  locale: Locale,
  now: Date,
  invitationId: string | null,
): Promise<RegistrationOutcome> {
  const event = await lockEvent(trx, eventId);
  if (!event) throw new ApiError(404, 'event_not_found');
  const closesAt = event.registration_deadline ?? event.starts_at;
  if (event.status !== 'published') throw new ApiError(409, 'event_registration_closed');
  if (new Date(closesAt).getTime() <= now.getTime()) throw new ApiError(409, 'event_registration_closed');
  if (person.email && (await activeRegistrationByEmail(trx, eventId, person.email))) throw new ApiError(409, 'event_already_registered');

  const confirmed = await trx.selectFrom('event_registration').select((eb) => eb.fn.countAll<string>().as('n')).where('event_id', '=', eventId).where('status', '=', 'confirmed').executeTakeFirstOrThrow();
  const status = event.capacity === null || Number(confirmed.n) < event.capacity ? 'confirmed' : 'waiting';
  const code = newHumanCode();
  const id = randomUUID();
  const placeInLine = await nextPlaceInLine(trx, eventId);
  await trx
    .insertInto('event_registration')
    .values({
      id,
      event_id: eventId,
      invitation_id: invitationId,
      name: person.name,
      email: person.email,
      phone: person.phone,
      locale,
      needs: JSON.stringify(person.needs),
      status,
      place_in_line: placeInLine,
      code_hash: hashHumanCode('event-registration', normaliseHumanCode(code)!),
    })
    .execute();
  if (person.email) await trx.insertInto('mail_outbox').values({ id: randomUUID(), registration_id: id, kind: 'event_registration' }).execute();
  const waitingPosition =
    status === 'waiting'
      ? Number(
          (
            await trx
              .selectFrom('event_registration')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('event_id', '=', eventId)
              .where('status', '=', 'waiting')
              .where('place_in_line', '<=', placeInLine)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : null;
  return { code, status, waitingPosition };
}

/** The public registration for a published event (no account, no invitation). */
export async function registerForEvent(deps: EventDeps, slug: string, input: RegistrationInput): Promise<RegistrationOutcome> {
  const person = checkPerson(input);
  const event = await deps.db.selectFrom('event').select('id').where('slug', '=', slug).where('status', '<>', 'draft').executeTakeFirst();
  if (!event) throw new ApiError(404, 'event_not_found');
  const now = deps.now?.() ?? new Date();
  try {
    return await deps.db.transaction().execute((trx) => registerInTransaction(trx, event.id, person, input.locale, now, null));
  } catch (error) {
    throw uniqueViolationAsDuplicate(error);
  }
}

// The partial unique index catches two registrations with one address that raced past the check.
function uniqueViolationAsDuplicate(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  return code === '23505' ? new ApiError(409, 'event_already_registered') : error;
}

/** Cancels a registration by its code or by the token of the link in its message. */
export async function cancelRegistration(deps: EventDeps, by: { code: string } | { token: string }): Promise<boolean> {
  let hash: string;
  if ('code' in by) {
    const normalised = normaliseHumanCode(by.code);
    if (!normalised) return false;
    hash = hashHumanCode('event-registration', normalised);
  } else {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(by.token)) return false;
    hash = hashEventToken('cancel', by.token);
  }
  const column = 'code' in by ? 'code_hash' : 'cancel_token_hash';
  const found = await deps.db.selectFrom('event_registration').select('id').where(column, '=', hash).where('status', '<>', 'cancelled').executeTakeFirst();
  return found ? cancelById(deps, found.id) : false;
}

export interface StaffRegistration {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  needs: { childcare?: boolean; interpreting?: string | null; accessibility?: string | null };
  status: 'confirmed' | 'waiting';
  /** Position on the waiting list (1 = next to move up); null when confirmed. */
  waitingPosition: number | null;
  invited: boolean;
}

/** The registrations of an event for the coordinator: confirmed first, then the waiting list in order. */
export async function listRegistrations(db: Kysely<Database>, eventId: string): Promise<StaffRegistration[]> {
  await getEvent(db, eventId);
  const rows = await db
    .selectFrom('event_registration')
    .select(['id', 'name', 'email', 'phone', 'locale', 'needs', 'status', 'place_in_line', 'invitation_id'])
    .where('event_id', '=', eventId)
    .where('status', '<>', 'cancelled')
    .orderBy(sql`case when status = 'confirmed' then 0 else 1 end`)
    .orderBy('place_in_line')
    .execute();
  let waiting = 0;
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    locale: row.locale,
    needs: row.needs,
    status: row.status as 'confirmed' | 'waiting',
    waitingPosition: row.status === 'waiting' ? ++waiting : null,
    invited: row.invitation_id !== null,
  }));
}

// ---------------------------------------------------------------- invitations

export interface InvitationOutcome {
  invited: number;
  alreadyInvited: number;
  /** Matching contacts that cannot be mailed: phone only or not yet confirmed. */
  notMailable: number;
}

/**
 * Invites the contacts the filter finds (the contact list's own filter) to a published event: one
 * invitation and one queued message each. A contact already invited is skipped (unique key), so a
 * second run with an overlapping filter invites no one twice. Only confirmed email contacts get
 * one; withdrawn contacts no longer exist.
 */
export async function inviteContacts(deps: EventDeps, eventId: string, filter: ContactFilter): Promise<InvitationOutcome> {
  const event = await getEvent(deps.db, eventId);
  if (event.status !== 'published') throw new ApiError(409, 'event_not_published');
  const contacts = await listContacts(deps.db, { ...filter, confirmed: null });
  const mailable = contacts.filter((contact) => contact.email && contact.confirmed);
  let invited = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const contact of mailable) {
      const id = randomUUID();
      const inserted = await trx
        .insertInto('event_invitation')
        .values({ id, event_id: eventId, contact_id: contact.id })
        .onConflict((oc) => oc.columns(['event_id', 'contact_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      await trx.insertInto('mail_outbox').values({ id: randomUUID(), invitation_id: id, kind: 'event_invitation' }).execute();
      invited += 1;
    }
  });
  return { invited, alreadyInvited: mailable.length - invited, notMailable: contacts.length - mailable.length };
}

export interface StaffInvitation {
  name: string | null;
  email: string | null;
  locale: string;
  status: 'queued' | 'sent' | 'failed' | 'accepted' | 'declined';
}

export async function listInvitations(db: Kysely<Database>, eventId: string): Promise<StaffInvitation[]> {
  await getEvent(db, eventId);
  return db
    .selectFrom('event_invitation as i')
    .innerJoin('contact as c', 'c.id', 'i.contact_id')
    .select(['c.name', 'c.email', 'c.locale', 'i.status'])
    .where('i.event_id', '=', eventId)
    .orderBy(sql`lower(coalesce(c.name, ''))`)
    .orderBy('c.email')
    .execute();
}

/** What the invitation link shows before the person answers: the event, nothing of the contact. */
export async function readInvitation(deps: EventDeps, token: string): Promise<{ event: PublicEvent; status: StaffInvitation['status'] }> {
  const invitation = await invitationByToken(deps.db, token);
  return { event: await getEvent(deps.db, invitation.event_id), status: invitation.status };
}

async function invitationByToken(db: Kysely<Database>, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new ApiError(404, 'event_invitation_invalid');
  const invitation = await db
    .selectFrom('event_invitation as i')
    .innerJoin('contact as c', 'c.id', 'i.contact_id')
    .select(['i.id', 'i.event_id', 'i.status', 'c.name', 'c.email', 'c.phone', 'c.locale'])
    .where('i.token_hash', '=', hashEventToken('invite', token))
    .executeTakeFirst();
  if (!invitation) throw new ApiError(404, 'event_invitation_invalid');
  return invitation;
}

/**
 * Accept or decline from the personal link, without an account. Accepting registers the contact
 * with the details they gave as a contact (and the needs they add now); declining withdraws an
 * earlier acceptance.
 */
export async function answerInvitation(
  deps: EventDeps,
  token: string,
  answer: { accept: boolean; consent?: unknown; needs?: RegistrationInput['needs'] },
): Promise<RegistrationOutcome | null> {
  const invitation = await invitationByToken(deps.db, token);
  const locale: Locale = isLocale(invitation.locale) ? invitation.locale : 'de';
  if (!answer.accept) {
    const active = await deps.db.selectFrom('event_registration').select('id').where('invitation_id', '=', invitation.id).where('status', '<>', 'cancelled').executeTakeFirst();
    if (active) await cancelById(deps, active.id);
    await deps.db.updateTable('event_invitation').set({ status: 'declined' }).where('id', '=', invitation.id).execute();
    return null;
  }
  if (invitation.status === 'accepted') throw new ApiError(409, 'event_already_registered');
  const person = checkPerson({ locale, consent: answer.consent, name: invitation.name, email: invitation.email, phone: invitation.phone, needs: answer.needs });
  const now = deps.now?.() ?? new Date();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const outcome = await registerInTransaction(trx, invitation.event_id, person, locale, now, invitation.id);
      await trx.updateTable('event_invitation').set({ status: 'accepted' }).where('id', '=', invitation.id).execute();
      return outcome;
    });
  } catch (error) {
    throw uniqueViolationAsDuplicate(error);
  }
}

/**
 * Cancels under the event's row lock; a confirmed seat that becomes free goes to the first on the
 * waiting list in the same transaction. Cancelled rows keep no contact details: nothing needs them.
 */
async function cancelById(deps: EventDeps, registrationId: string): Promise<boolean> {
  const row = await deps.db.selectFrom('event_registration').select(['event_id']).where('id', '=', registrationId).executeTakeFirst();
  if (!row) return false;
  return deps.db.transaction().execute(async (trx) => {
    const event = await lockEvent(trx, row.event_id);
    // Read again under the lock: a cancellation racing this one has finished by now.
    const current = await trx.selectFrom('event_registration').select('status').where('id', '=', registrationId).executeTakeFirst();
    if (!event || !current || current.status === 'cancelled') return false;
    await trx
      .updateTable('event_registration')
      .set({ status: 'cancelled', name: null, email: null, phone: null, needs: '{}', cancel_token_hash: null })
      .where('id', '=', registrationId)
      .execute();
    await trx.deleteFrom('mail_outbox').where('registration_id', '=', registrationId).where('sent_at', 'is', null).execute();
    if (current.status === 'confirmed') await promoteFromWaitingList(trx, row.event_id, event.capacity);
    return true;
  });
}

// ---------------------------------------------------------------- closing report

export async function saveReport(deps: EventDeps, eventId: string, input: ReportInput): Promise<EventReport> {
  const event = await getEvent(deps.db, eventId);
  if (event.status === 'draft') throw new ApiError(409, 'event_not_published');
  const bad: string[] = [];
  if (input.attendeesCount !== null && (!Number.isInteger(input.attendeesCount) || input.attendeesCount < 0 || input.attendeesCount > 1_000_000)) bad.push('attendeesCount');
  const organisations = [...new Set(input.organisations.map((name) => name.trim()).filter(Boolean))];
  if (organisations.some((name) => name.length > 200 || CONTROL_CHARACTERS.test(name))) bad.push('organisations');
  for (const [locale, text] of Object.entries(input.results)) if (!isLocale(locale) || typeof text !== 'string' || text.length > 20_000) bad.push(`results.${locale}`);
  if (input.published && !input.results.de?.trim()) bad.push('results.de');
  if (bad.length > 0) throw new ApiError(422, 'event_invalid', { fields: bad.join(', ') });
  const values = { attendees_count: input.attendeesCount, organisations: JSON.stringify(organisations), results: JSON.stringify(trimTexts(input.results)), published: input.published };
  await deps.db
    .insertInto('event_report')
    .values({ event_id: eventId, ...values })
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ ...values, updated_at: sql<string>`now()` }))
    .execute();
  return (await getReport(deps.db, eventId, false))!;
}

export async function getPublicReport(db: Kysely<Database>, eventId: string): Promise<PublicEventReport | null> {
  const report = await getReport(db, eventId, true);
  if (!report) return null;
  const k = await getSuppressionThreshold(db);
  const { attendeesCount: _entered, attendeesFromCheckIn: _fromCheckIn, attendance, notes: _notes, ...rest } = report;
  const shown = publicAttendance(report.attendeesCount, attendance, k);
  return { ...rest, attendeesCount: shown.attendeesCount, attendance: { byGroup: shown.byGroup }, k };
}

/**
 * The closing report with what the day brought (check-in figures, photos, cards; for staff the
 * hosts' notes too). For staff it exists as soon as anything was recorded, before it was written.
 */
export async function getReport(db: Kysely<Database>, eventId: string, onlyPublished: boolean): Promise<EventReport | null> {
  let query = db.selectFrom('event_report').selectAll().where('event_id', '=', eventId);
  if (onlyPublished) query = query.where('published', '=', true);
  const row = await query.executeTakeFirst();
  if (!row && onlyPublished) return null;
  const material = await reportMaterial(db, eventId, onlyPublished ? 'public' : 'staff');
  if (!row && !hasMaterial(material)) return null;
  const entered = row?.attendees_count ?? null;
  return {
    eventId,
    attendeesCount: entered ?? material.attendance.total,
    attendeesFromCheckIn: entered === null,
    organisations: row?.organisations ?? [],
    results: row?.results ?? {},
    published: row?.published ?? false,
    ...material,
  };
}
