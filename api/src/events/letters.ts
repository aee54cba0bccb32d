import { randomBytes, randomUUID } from 'node:crypto';
import { csvText, type CsvDialect } from '../analysis/csv/csv-writer.ts';
import { listContacts, type ContactFilter } from '../contacts/contact-list.ts';
import { hashWithdrawToken } from '../mail/queue.ts';
import { isLocale, type Locale } from '../shared/locales.ts';
import { townNameIn } from '../town/service.ts';
import { ApiError } from '../http/errors.ts';
import { hashEventToken, renderInvitationMail } from './mail.ts';
import { getEvent, type EventDeps } from './service.ts';

export const LETTER_COLUMNS = ['name', 'phone', 'email', 'locale', 'subject', 'letter', 'invitation_link', 'withdraw_link'] as const;

export interface InvitationLetter {
  name: string | null;
  phone: string | null;
  /** Only while SMTP is not set up: then confirmed e-mail contacts get letters too. */
  email: string | null;
  locale: Locale;
  subject: string;
  letter: string;
  invitationLink: string;
  withdrawLink: string;
}

/**
 * Invitations for the contacts mail cannot reach — those who gave a phone number only, and while
 * SMTP is not set up (`mailConfigured` false) the confirmed e-mail contacts too — as letters for a
 * mail merge or a printed PDF: the same text the e-mail invitation has, in the contact's language,
 * with the personal link (its token fresh, only its hash kept, so the file is the one place it
 * exists) and the withdrawal link. Each contact is invited at most once per event, by mail or by
 * letter (the same unique key), so a second export with an overlapping filter skips them; the
 * invitation counts as sent once the file is made.
 */
export async function inviteByLetter(deps: EventDeps & { publicUrl: string; mailConfigured: boolean }, eventId: string, filter: ContactFilter): Promise<{ letters: InvitationLetter[]; alreadyInvited: number }> {
  const event = await getEvent(deps.db, eventId);
  if (event.status !== 'published') throw new ApiError(409, 'event_not_published');
  // An e-mail contact gets a letter only when no mail can go out, and only once confirmed: the
  // same rule as the e-mail invitation (an unconfirmed address may be a stranger's).
  const reachable = (contact: { email: string | null; phone: string | null; confirmed: boolean }) =>
    contact.email ? !deps.mailConfigured && contact.confirmed : Boolean(contact.phone);
  const contacts = (await listContacts(deps.db, { ...filter, confirmed: null })).filter(reachable);
  const base = deps.publicUrl.replace(/\/+$/, '');
  const letters: InvitationLetter[] = [];
  // Read before the transaction: on PGlite's one connection a query outside it would wait for it.
  const localeOf = (code: string): Locale => (isLocale(code) ? code : 'de');
  const towns = new Map<Locale, string>();
  for (const locale of new Set(contacts.map((contact) => localeOf(contact.locale)))) towns.set(locale, await townNameIn(deps.db, locale));
  await deps.db.transaction().execute(async (trx) => {
    for (const contact of contacts) {
      const token = randomBytes(24).toString('base64url');
      const inserted = await trx
        .insertInto('event_invitation')
        .values({ id: randomUUID(), event_id: eventId, contact_id: contact.id, token_hash: hashEventToken('invite', token), status: 'sent' })
        .onConflict((oc) => oc.columns(['event_id', 'contact_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      const withdrawToken = randomBytes(24).toString('base64url');
      await trx.updateTable('contact').set({ withdraw_token_hash: hashWithdrawToken(withdrawToken) }).where('id', '=', contact.id).execute();
      const locale = localeOf(contact.locale);
      const mail = renderInvitationMail({ locale, town: towns.get(locale)!, publicUrl: base, token, withdrawToken, event });
      letters.push({
        name: contact.name,
        phone: contact.phone,
        email: contact.email,
        locale,
        subject: mail.subject,
        letter: mail.text.trim(),
        invitationLink: `${base}/event?lang=${locale}#invite=${token}`,
        withdrawLink: `${base}/contact#withdraw=${withdrawToken}`,
      });
    }
  });
  return { letters, alreadyInvited: contacts.length - letters.length };
}

/** The letters as CSV for a word processor's mail merge; every text cell formula-safe. */
export function lettersCsv(letters: InvitationLetter[], dialect: CsvDialect): string {
  const rows = letters.map((l) => [l.name ?? '', l.phone ?? '', l.email ?? '', l.locale, l.subject, l.letter, l.invitationLink, l.withdrawLink]);
  const text = csvText([[...LETTER_COLUMNS], ...rows], dialect);
  return dialect === 'excel-de' ? `\uFEFF${text}` : text;
}
