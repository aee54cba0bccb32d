import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MailKind } from '../db/schema.ts';
import { isLocale, LOCALE_NATIVE_NAMES, RTL_LOCALES, type Locale } from '../shared/locales.ts';
import { CONFIRMATION_TEXTS } from '../mail/texts.ts';
// A cycle with the queue (which calls prepareEventMail); only functions cross it, used at call time.
import { hashWithdrawToken } from '../mail/queue.ts';
import { eventIcs } from './ics.ts';
import { formatWhen, localised } from './options.ts';
import type { PublicEvent } from '../shared/events.ts';
import { toPublicEvent } from './service.ts';
import { EVENT_MAIL_TEXTS } from './texts.ts';
import { townNameIn } from '../town/service.ts';

/** SHA-256 of an invitation's or a registration's link token: what the database keeps. */
export function hashEventToken(purpose: 'invite' | 'cancel', token: string): string {
  return createHash('sha256').update(`event-${purpose}:${token}`).digest('hex');
}

export interface PreparedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** After the SMTP server accepted it / after the last attempt failed. */
  onSent?: () => Promise<void>;
  onGiveUp?: () => Promise<void>;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** The facts block every event message carries: what, when, where, access, languages. */
function factLines(event: PublicEvent, locale: Locale): string[] {
  const t = EVENT_MAIL_TEXTS[locale];
  const access = [event.stepFree && t.stepFree, event.hearingLoop && t.hearingLoop, event.accessibleToilet && t.toilet].filter(Boolean) as string[];
  const notes = localised(event.accessibilityNotes, locale);
  const lines = [
    `${t.formats[event.format]}: ${localised(event.title, locale)}`,
    `${t.when}: ${formatWhen(event.startsAt, locale)} – ${formatWhen(event.endsAt, locale)}`,
    `${t.where}: ${[event.placeName, event.placeAddress].filter(Boolean).join(', ')}`,
  ];
  if (access.length > 0 || notes) lines.push(`${t.access}: ${[...access, notes].filter(Boolean).join('; ')}`);
  if (event.languages.length > 0) lines.push(`${t.languages}: ${event.languages.map((code) => LOCALE_NATIVE_NAMES[code as Locale] ?? code).join(', ')}`);
  if (event.interpretation.length > 0) lines.push(`${t.interpretation}: ${event.interpretation.map((code) => LOCALE_NATIVE_NAMES[code as Locale] ?? code).join(', ')}`);
  return lines;
}

/** Plain text and simple HTML with the same paragraphs; `dir="rtl"` for Arabic and Farsi. */
function compose(locale: Locale, subject: string, paragraphs: (string | string[] | { link: string; label: string })[]): { subject: string; text: string; html: string } {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : Array.isArray(p) ? p.join('\n') : `${p.label}\n${p.link}`)).join('\n\n') + '\n';
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  const body = paragraphs
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p)}</p>`
        : Array.isArray(p)
          ? `<p>${p.map(escapeHtml).join('<br>')}</p>`
          : `<p>${escapeHtml(p.label)} <a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${body}\n</body></html>`;
  return { subject, text, html };
}

/** The invitation in the contact's locale, with the personal link (token in the fragment). */
export function renderInvitationMail(input: { locale: Locale; town: string; publicUrl: string; token: string; withdrawToken: string; event: PublicEvent }) {
  const t = EVENT_MAIL_TEXTS[input.locale];
  const title = localised(input.event.title, input.locale);
  const base = input.publicUrl.replace(/\/+$/, '');
  const description = localised(input.event.description, input.locale);
  const deadline = input.event.registrationDeadline ? t.deadline.replace('{{date}}', formatWhen(input.event.registrationDeadline, input.locale)) : null;
  return compose(input.locale, t.inviteSubject.replace('{{title}}', title), [
    t.greeting,
    t.inviteBody.replace('{{town}}', input.town),
    factLines(input.event, input.locale),
    ...(description ? [description] : []),
    ...(deadline ? [deadline] : []),
    { label: t.inviteAction, link: `${base}/event?lang=${input.locale}#invite=${input.token}` },
    { label: CONFIRMATION_TEXTS[input.locale].withdraw, link: `${base}/contact#withdraw=${input.withdrawToken}` },
  ]);
}

export type RegistrationMailState = 'confirmed' | 'waiting' | 'moved_up' | 'event_cancelled' | 'event_moved' | 'reminder';

/**
 * Registered, waiting, moved up, the event cancelled or moved, the reminder: the state, the facts
 * (as they are now), and — while there is something to cancel — the cancellation link.
 */
export function renderRegistrationMail(input: { locale: Locale; publicUrl: string; token: string; event: PublicEvent; state: RegistrationMailState }) {
  const t = EVENT_MAIL_TEXTS[input.locale];
  const title = localised(input.event.title, input.locale);
  const base = input.publicUrl.replace(/\/+$/, '');
  const texts: Record<RegistrationMailState, [string, string]> = {
    confirmed: [t.registeredSubject, t.registeredBody],
    waiting: [t.waitingSubject, t.waitingBody],
    moved_up: [t.movedUpSubject, t.movedUpBody],
    event_cancelled: [t.cancelledSubject, t.cancelledBody],
    event_moved: [t.movedSubject, t.movedBody],
    reminder: [t.reminderSubject, t.reminderBody],
  };
  const [subject, body] = texts[input.state];
  const cancelled = input.state === 'event_cancelled';
  return compose(input.locale, subject.replace('{{title}}', title), [
    t.greeting,
    body,
    factLines(input.event, input.locale),
    ...(input.state === 'waiting' || cancelled ? [] : [t.calendar]),
    ...(cancelled ? [] : [{ label: t.cancel, link: `${base}/event?lang=${input.locale}#cancel=${input.token}` }]),
  ]);
}

const REGISTRATION_KINDS: ReadonlySet<MailKind> = new Set(['event_registration', 'event_moved_up', 'event_cancelled', 'event_moved', 'event_reminder']);

/** Whether a registration message is still true when it comes due; a false one is dropped, not sent. */
function stillTrue(kind: MailKind, event: { status: string; starts_at: Date | string }, registrationStatus: string, now: Date): boolean {
  if (registrationStatus === 'cancelled') return false;
  if (kind === 'event_cancelled') return event.status === 'cancelled';
  if (event.status === 'cancelled') return false;
  // A "you moved up" for someone who is (again) not confirmed would be false; a "registered" mail
  // sent after the person moved up says the same as the moved-up one, so the state is read now.
  if (kind === 'event_moved_up') return registrationStatus === 'confirmed';
  if (kind === 'event_reminder') return registrationStatus === 'confirmed' && event.status === 'published' && new Date(event.starts_at).getTime() > now.getTime();
  return true;
}

interface OutboxMessage {
  id: string;
  kind: MailKind;
  invitation_id: string | null;
  registration_id: string | null;
}

/**
 * Builds an event message from the queue row, or null when it has nothing to send any more (the
 * contact withdrew, the registration was cancelled, the event is no longer open). Each attempt
 * draws a fresh link token and keeps only its hash, as the confirmation mail does.
 */
export async function prepareEventMail(db: Kysely<Database>, message: OutboxMessage, context: { publicUrl: string; now?: () => Date }): Promise<PreparedMail | null> {
  if (message.kind === 'event_invitation' && message.invitation_id) {
    const row = await db
      .selectFrom('event_invitation as i')
      .innerJoin('contact as c', 'c.id', 'i.contact_id')
      .innerJoin('event as e', 'e.id', 'i.event_id')
      .selectAll('e')
      .select(['c.email', 'c.locale', 'c.id as contact_id', 'i.id as invitation_id', 'i.status as invitation_status'])
      .where('i.id', '=', message.invitation_id)
      .executeTakeFirst();
    if (!row?.email || row.status !== 'published' || row.invitation_status !== 'queued') return null;
    const token = randomBytes(24).toString('base64url');
    await db.updateTable('event_invitation').set({ token_hash: hashEventToken('invite', token) }).where('id', '=', row.invitation_id).execute();
    // Every message to a contact carries the withdrawal link; as with the confirmation mail, the
    // token of the last message sent to the contact is the one that withdraws (its own column: the
    // pending confirmation link keeps working and never withdraws).
    const withdrawToken = randomBytes(24).toString('base64url');
    await db.updateTable('contact').set({ withdraw_token_hash: hashWithdrawToken(withdrawToken) }).where('id', '=', row.contact_id).execute();
    const locale: Locale = isLocale(row.locale) ? row.locale : 'de';
    const mail = renderInvitationMail({ locale, town: await townNameIn(db, locale), publicUrl: context.publicUrl, token, withdrawToken, event: toPublicEvent(row) });
    const setStatus = (status: 'sent' | 'failed') => async () => {
      await db.updateTable('event_invitation').set({ status }).where('id', '=', row.invitation_id).where('status', '=', 'queued').execute();
    };
    return { to: row.email, ...mail, onSent: setStatus('sent'), onGiveUp: setStatus('failed') };
  }
  if (REGISTRATION_KINDS.has(message.kind) && message.registration_id) {
    const row = await db
      .selectFrom('event_registration as r')
      .innerJoin('event as e', 'e.id', 'r.event_id')
      .selectAll('e')
      .select(['r.email', 'r.locale', 'r.id as registration_id', 'r.status as registration_status'])
      .where('r.id', '=', message.registration_id)
      .executeTakeFirst();
    if (!row?.email || !stillTrue(message.kind, row, row.registration_status, context.now?.() ?? new Date())) return null;
    const token = randomBytes(24).toString('base64url');
    if (message.kind !== 'event_cancelled') await db.updateTable('event_registration').set({ cancel_token_hash: hashEventToken('cancel', token) }).where('id', '=', row.registration_id).execute();
    const locale: Locale = isLocale(row.locale) ? row.locale : 'de';
    const event = toPublicEvent(row);
    const state: RegistrationMailState = {
      event_registration: row.registration_status === 'confirmed' ? ('confirmed' as const) : ('waiting' as const),
      event_moved_up: 'moved_up' as const,
      event_cancelled: 'event_cancelled' as const,
      event_moved: 'event_moved' as const,
      event_reminder: 'reminder' as const,
    }[message.kind as 'event_registration' | 'event_moved_up' | 'event_cancelled' | 'event_moved' | 'event_reminder'];
    const mail = renderRegistrationMail({ locale, publicUrl: context.publicUrl, token, event, state });
    // The calendar file goes with every message about a seat, and with the cancellation too: its
    // STATUS:CANCELLED under the same UID takes the date out of the person's calendar.
    const attachments =
      state === 'waiting' ? undefined : [{ filename: `${event.slug}.ics`, content: eventIcs(event, row.ics_sequence, locale, `${context.publicUrl.replace(/\/+$/, '')}/events/${event.slug}`), contentType: 'text/calendar; charset=utf-8' }];
    return { to: row.email, ...mail, attachments };
  }
  return null;
}
