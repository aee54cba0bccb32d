import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isLocale } from '../shared/locales.ts';
import { runExclusively } from '../jobs/run-exclusively.ts';
import { prepareEventMail, type PreparedMail } from '../events/mail.ts';
import type { MailKind } from '../db/schema.ts';
import { renderConfirmationMail } from './render.ts';
import { townNameIn } from '../town/service.ts';

/** What actually sends: nodemailer's transport in production and in the tests (to a real SMTP server). */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId: string;
    headers?: Record<string, string>;
    attachments?: { filename: string; content: string; contentType: string }[];
  }): Promise<unknown>;
}

export interface MailDeps {
  db: Kysely<Database>;
  transport: MailTransport;
  from: string;
  /** The address residents open the links at, e.g. `https://beteiligung.example-stadt.de`. */
  publicUrl: string;
  /** How long a claimed message is reserved for its sender; a sender that died loses it after this. */
  leaseSeconds?: number;
  log?: (line: string) => void;
}

export const MAX_ATTEMPTS = 8;
const DEFAULT_LEASE_SECONDS = 120;

/** SHA-256 of a confirmation token: what the database keeps. */
export function hashConfirmToken(token: string): string {
  return createHash('sha256').update(`contact-confirm:${token}`).digest('hex');
}

/**
 * SHA-256 of a withdrawal link's token, under its own purpose label and in its own column: a
 * confirmation link never withdraws, a withdrawal link never confirms.
 */
export function hashWithdrawToken(token: string): string {
  return createHash('sha256').update(`contact-withdraw:${token}`).digest('hex');
}

/**
 * Claims due messages for this sender: marks them leased so no other process takes them (on
 * PostgreSQL `for update skip locked` lets several senders claim side by side; on PGlite there is
 * one connection and the statement runs alone). The claim itself is scheduled work under
 * runExclusively; sending happens after its short transaction, so no transaction stays open during SMTP.
 */
async function claimDue(db: Kysely<Database>, limit: number, leaseSeconds: number) {
  const outcome = await runExclusively(db, 'mail-outbox-claim', async (trx) => {
    const { rows } = await sql<{ id: string; contact_id: string | null; invitation_id: string | null; registration_id: string | null; kind: MailKind; attempts: number }>`
      update mail_outbox set lease_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
      where id in (
        select id from mail_outbox
        where sent_at is null and failed_at is null and next_attempt_at <= now()
          and (lease_until is null or lease_until < now())
        order by next_attempt_at, id
        limit ${limit}
        for update skip locked)
      returning id, contact_id, invitation_id, registration_id, kind, attempts`.execute(trx);
    return rows;
  });
  return outcome.ran ? outcome.result : [];
}

/**
 * Sends due messages, at most `limit` of them, and returns how many were sent. A message is marked
 * sent right after the SMTP server accepted it; it is sent again only if the process dies in the
 * moment between the two, and then with the same Message-ID. A failure puts the message back with
 * back-off (1, 2, 4 … minutes, at most 6 hours) until MAX_ATTEMPTS.
 */
export async function sendDueMail(deps: MailDeps, options: { limit?: number; signal?: AbortSignal } = {}): Promise<number> {
  const claimed = await claimDue(deps.db, options.limit ?? 20, deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS);
  let sent = 0;
  for (const message of claimed) {
    // Stopping between messages leaves the rest leased; they are sent after the lease ends.
    if (options.signal?.aborted) break;
    const prepared = message.kind === 'contact_confirmation' ? await prepareConfirmation(deps, message.contact_id!) : await prepareEventMail(deps.db, message, deps);
    if (!prepared) {
      // Nothing to send any more (withdrawn, cancelled): the message goes, it is not a failure.
      await deps.db.deleteFrom('mail_outbox').where('id', '=', message.id).execute();
      continue;
    }
    const { onSent, onGiveUp, to, ...mail } = prepared;
    try {
      await deps.transport.sendMail({ from: deps.from, to, ...mail, messageId: `<${message.id}@vielstimmig.invalid>` });
    } catch (error) {
      const giveUp = message.attempts >= MAX_ATTEMPTS;
      const backOffMinutes = Math.min(2 ** (message.attempts - 1), 360);
      await deps.db
        .updateTable('mail_outbox')
        .set({
          lease_until: null,
          last_error: String((error as Error).message ?? error).slice(0, 500),
          next_attempt_at: sql<string>`now() + make_interval(mins => ${backOffMinutes})`,
          failed_at: giveUp ? sql<string>`now()` : null,
        })
        .where('id', '=', message.id)
        .execute();
      if (giveUp) await onGiveUp?.();
      deps.log?.(`mail ${message.id} attempt ${message.attempts} failed${giveUp ? ', given up' : ''}`);
      continue;
    }
    await deps.db.updateTable('mail_outbox').set({ sent_at: sql<string>`now()`, lease_until: null, last_error: null }).where('id', '=', message.id).execute();
    await onSent?.();
    sent += 1;
  }
  return sent;
}

/** The double opt-in message, with a fresh token; null when the contact is gone or has no address. */
async function prepareConfirmation(deps: MailDeps, contactId: string): Promise<PreparedMail | null> {
  const contact = await deps.db.selectFrom('contact').select(['email', 'locale']).where('id', '=', contactId).executeTakeFirst();
  if (!contact?.email) return null;
  // A fresh token per attempt: the database only ever holds its hash, so the token cannot wait
  // in the queue. The link of an earlier, lost attempt stops working; the new one works.
  const token = randomBytes(24).toString('base64url');
  const withdrawToken = randomBytes(24).toString('base64url');
  await deps.db
    .updateTable('contact')
    .set({ confirm_token_hash: hashConfirmToken(token), withdraw_token_hash: hashWithdrawToken(withdrawToken) })
    .where('id', '=', contactId)
    .execute();
  const locale = isLocale(contact.locale) ? contact.locale : 'de';
  const mail = renderConfirmationMail({ locale, town: await townNameIn(deps.db, locale), publicUrl: deps.publicUrl, token, withdrawToken });
  return { to: contact.email, ...mail };
}

/** How many messages wait (not sent, not given up). */
export async function countWaitingMail(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('sent_at', 'is', null)
    .where('failed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
