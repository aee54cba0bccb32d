import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countWaitingMail, sendDueMail, type MailDeps } from './queue.ts';

/** nodemailer's SMTP transport for an `smtp://` / `smtps://` URL. */
export function smtpTransport(smtpUrl: string): MailDeps['transport'] {
  return nodemailer.createTransport(smtpUrl);
}

export interface MailSchedule {
  /** Sends what is due now (also called by tests). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Sends the queue every `intervalMs` (default 30 s) and once at start. Without an SMTP server the
 * queue only waits: start-up and tests work without one, and nothing is lost when one is set later.
 */
export function scheduleMail(
  db: Kysely<Database>,
  options: { smtpUrl: string | null; from: string | null; publicUrl: string; intervalMs?: number; log?: (line: string) => void },
): MailSchedule {
  const log = options.log ?? (() => {});
  if (!options.smtpUrl) {
    void countWaitingMail(db)
      .then((waiting) => waiting > 0 && log(`SMTP_URL is not set: ${waiting} message(s) wait in the mail queue`))
      .catch(() => {});
    return { runOnce: async () => 0, stop: async () => {} };
  }
  const deps: MailDeps = {
    db,
    transport: smtpTransport(options.smtpUrl),
    from: options.from ?? 'Vielstimmig <noreply@localhost>',
    publicUrl: options.publicUrl,
    log,
  };
  const controller = new AbortController();
  let running: Promise<number> | null = null;
  const runOnce = () => {
    running ??= sendDueMail(deps, { signal: controller.signal })
      .catch((error: Error) => {
        log(`mail queue: ${error.message}`);
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 30_000);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      controller.abort();
      await running;
    },
  };
}
