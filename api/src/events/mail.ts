import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, MailKind } from '../db/schema.ts';
import { isLocale, LOCALE_NATIVE_NAMES, RTL_LOCALES, type Locale } from '../shared/locales.ts';
import { CONFIRMATION_TEXTS } from '../mail/texts.ts';
// A cycle with the queue (which calls prepareEventMail); only functions cross it, used at call time.
import { hashConfirmToken } from '../mail/queue.ts';
import { eventIcs } from './ics.ts';
import { formatWhen, localised } from './options.ts';
import { toPublicEvent, type PublicEvent } from './service.ts';
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

/** Registered, waiting, or moved up: the state, the facts, the cancellation link. */
export function renderRegistrationMail(input: { locale: Locale; publicUrl: string; token: string; event: PublicEvent; state: 'confirmed' | 'waiting' | 'moved_up' }) {
  const t = EVENT_MAIL_TEXTS[input.locale];
  const title = localised(input.event.title, input.locale);
  const base = input.publicUrl.replace(/\/+$/, '');
  const [subject, body] =
    input.state === 'confirmed' ? [t.registeredSubject, t.registeredBody] : input.state === 'waiting' ? [t.waitingSubject, t.waitingBody] : [t.movedUpSubject, t.movedUpBody];
  return compose(input.locale, subject.replace('{{title}}', title), [
    t.greeting,
    body,
    factLines(input.event, input.locale),
    ...(input.state === 'waiting' ? [] : [t.calendar]),
    { label: t.cancel, link: `${base}/event?lang=${input.locale}#cancel=${input.token}` },
  ]);
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
export async function prepareEventMail(db: Kysely<Database>, message: OutboxMessage, context: { publicUrl: string }): Promise<PreparedMail | null> {
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
    // token of the last message sent to the contact is the one that withdraws.
    const withdrawToken = randomBytes(24).toString('base64url');
    await db.updateTable('contact').set({ confirm_token_hash: hashConfirmToken(withdrawToken) }).where('id', '=', row.contact_id).execute();
    const locale: Locale = isLocale(row.locale) ? row.locale : 'de';
    const mail = renderInvitationMail({ locale, town: await townNameIn(db, locale), publicUrl: context.publicUrl, token, withdrawToken, event: toPublicEvent(row) });
    const setStatus = (status: 'sent' | 'failed') => async () => {
      await db.updateTable('event_invitation').set({ status }).where('id', '=', row.invitation_id).where('status', '=', 'queued').execute();
    };
    return { to: row.email, ...mail, onSent: setStatus('sent'), onGiveUp: setStatus('failed') };
  }
  if ((message.kind === 'event_registration' || message.kind === 'event_moved_up') && message.registration_id) {
    const row = await db
      .selectFrom('event_registration as r')
      .innerJoin('event as e', 'e.id', 'r.event_id')
      .selectAll('e')
      .select(['r.email', 'r.locale', 'r.id as registration_id', 'r.status as registration_status'])
      .where('r.id', '=', message.registration_id)
      .executeTakeFirst();
    if (!row?.email || row.registration_status === 'cancelled' || row.status === 'cancelled') return null;
    // A "you moved up" for someone who is (again) not confirmed would be false; a "registered" mail
    // sent after the person moved up says the same as the moved-up one, so the state is read now.
    if (message.kind === 'event_moved_up' && row.registration_status !== 'confirmed') return null;
    const token = randomBytes(24).toString('base64url');
    await db.updateTable('event_registration').set({ cancel_token_hash: hashEventToken('cancel', token) }).where('id', '=', row.registration_id).execute();
    const locale: Locale = isLocale(row.locale) ? row.locale : 'de';
    const event = toPublicEvent(row);
    const state = message.kind === 'event_moved_up' ? 'moved_up' : row.registration_status === 'confirmed' ? 'confirmed' : 'waiting';
    const mail = renderRegistrationMail({ locale, publicUrl: context.publicUrl, token, event, state });
    const attachments =
      state === 'waiting' ? undefined : [{ filename: `${event.slug}.ics`, content: eventIcs(event, locale, `${context.publicUrl.replace(/\/+$/, '')}/events/${event.slug}`), contentType: 'text/calendar; charset=utf-8' }];
    return { to: row.email, ...mail, attachments };
  }
  return null;
}
