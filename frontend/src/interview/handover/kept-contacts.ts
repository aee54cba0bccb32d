import type { ContactAnswer, ContactBody } from '../../respond/involve-form.ts';
import { requestJson } from '../../shared/http.ts';
import type { InterviewDatabase } from '../store/database.ts';

/**
 * The contact form handed over on the tablet goes where every contact goes: `POST /api/contacts`,
 * the intake that holds it apart and moves it in shuffled batches (docs/activation.md), so it
 * cannot be joined to the interview. Without a connection it is kept on the tablet in a store of
 * its own and sent by this queue, on its own schedule — never inside an interview upload.
 */

const QUEUED: ContactAnswer = { status: 202, ok: true, body: { withdrawCode: '' } };

const post = (body: ContactBody) => requestJson<ContactAnswer['body']>('POST', '/api/contacts', { locale: body.locale, body });

/** Worth trying again later: no connection, the server busy or failing. Anything else is final. */
const tryAgainLater = (status: number) => status === 429 || status >= 500;

async function keep(db: InterviewDatabase, body: ContactBody & { idempotencyKey: string }): Promise<ContactAnswer> {
  await db.put('keptContacts', { key: body.idempotencyKey, body });
  return QUEUED;
}

/**
 * Sends the contact now if the tablet is online; otherwise (or when the server cannot take it now)
 * keeps it. The form gets its key before the first try: if that try's answer is lost, the kept
 * copy is sent with the same key and the server stores it once (200, the same code).
 */
export async function sendOrKeepContact(db: InterviewDatabase, form: ContactBody, online = navigator.onLine): Promise<ContactAnswer> {
  const body = { ...form, idempotencyKey: form.idempotencyKey ?? crypto.randomUUID() };
  if (!online) return keep(db, body);
  try {
    const answer = await post(body);
    return tryAgainLater(answer.status) ? keep(db, body) : answer;
  } catch {
    return keep(db, body);
  }
}

export async function keptContactCount(db: InterviewDatabase): Promise<number> {
  return db.count('keptContacts');
}

/**
 * Sends the kept contacts one by one. Each leaves the tablet once the server stored it (201, or 200
 * when an earlier try had stored it and only the answer was lost) or
 * refused it for good (a 4xx: the person is no longer there to correct it; the form checked the
 * same rules before keeping it); the run stops at the first sign of no connection.
 */
export async function sendKeptContacts(db: InterviewDatabase): Promise<{ sent: number; refused: number }> {
  const outcome = { sent: 0, refused: 0 };
  for (const kept of await db.getAll('keptContacts')) {
    let status: number;
    try {
      // Kept before forms had keys: the store's key serves.
      status = (await post({ ...kept.body, idempotencyKey: kept.body.idempotencyKey ?? kept.key })).status;
    } catch {
      break;
    }
    if (tryAgainLater(status)) break;
    await db.delete('keptContacts', kept.key);
    if (status === 201 || status === 200) outcome.sent++;
    else outcome.refused++;
  }
  return outcome;
}

/** Tries the kept contacts when the connection returns and once a minute; returns a stop function. */
export function scheduleKeptContacts(db: InterviewDatabase, target: Window = window): () => void {
  let running = false;
  const attempt = async () => {
    if (running || !target.navigator.onLine) return;
    running = true;
    try {
      if ((await keptContactCount(db)) > 0) await sendKeptContacts(db);
    } catch (error) {
      console.error('sending kept contacts failed', error);
    } finally {
      running = false;
    }
  };
  const timer = target.setInterval(() => void attempt(), 60_000);
  const onOnline = () => void attempt();
  target.addEventListener('online', onOnline);
  void attempt();
  return () => {
    target.clearInterval(timer);
    target.removeEventListener('online', onOnline);
  };
}
