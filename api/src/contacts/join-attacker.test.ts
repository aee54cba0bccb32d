import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { moveHeldContacts } from './intake-mover.ts';

/*
 * The attacker has the whole database (a dump, a stolen backup, a curious administrator) and tries
 * to put each contact next to its resident's response with the joins the issue measured on the old
 * code: transaction id order (xmin), disk order (ctid), and locale + district + time.
 *
 * What the design leaves known, by necessity, is the contact's locale, district and month, and —
 * from the mover's transaction id — the window between two batches. "Chance" is therefore: picking
 * uniformly among the responses of the same locale, district and month inside the contact's batch
 * window. The test shows that xmin and ctid order add nothing to that, and, as a control, that the
 * same attacker wins almost always against contacts written the old way (straight after the response).
 */

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261202;
const RESIDENTS = 300;
const OPT_IN_SHARE = 0.35;
/** Locales weighted as a town's residents might answer; districts of the demo town. */
const LOCALES: [string, number][] = [
  ['de', 0.6],
  ['en', 0.15],
  ['ar', 0.25],
];
const DISTRICTS = ['buettelborn', 'klein-gerau', 'worfelden'];

interface ResponseSeen {
  id: string;
  locale: string;
  district: string | null;
  month: string;
  xmin: bigint;
  diskRank: number;
}
interface ContactSeen {
  email: string;
  locale: string;
  district: string | null;
  month: string;
  xmin: bigint;
  diskRank: number;
}

/** What anyone with the database reads: every row with its transaction id and its place on disk. */
async function readDatabase(db: Kysely<Database>): Promise<{ responses: ResponseSeen[]; contacts: ContactSeen[] }> {
  const responses = await sql<{ id: string; locale: string; district: string | null; month: string; xmin: string }>`
    select id, locale, district, to_char(submitted_at, 'YYYY-MM') as month, xmin::text as xmin
    from response order by ctid`.execute(db);
  const contacts = await sql<{ email: string; locale: string; district: string | null; month: string; xmin: string }>`
    select email, locale, district, created_month as month, xmin::text as xmin from contact order by ctid`.execute(db);
  return {
    responses: responses.rows.map((row, diskRank) => ({ ...row, xmin: BigInt(row.xmin), diskRank })),
    contacts: contacts.rows.map((row, diskRank) => ({ ...row, xmin: BigInt(row.xmin), diskRank })),
  };
}

interface AttackResult {
  /** Contacts the strategy paired with the right response. */
  hits: Record<'closestXmin' | 'diskOrder', number>;
  /** Expected hits of a uniform guess among the candidates, and that count's standard deviation. */
  chance: { expected: number; sd: number };
  /** The same for a guess that knows only locale, district and month (no batch window). */
  chanceWithoutWindow: number;
  contacts: number;
}

function attack(seen: { responses: ResponseSeen[]; contacts: ContactSeen[] }, truth: Map<string, string>): AttackResult {
  const batchXmins = [...new Set(seen.contacts.map((contact) => contact.xmin))].sort((a, b) => (a < b ? -1 : 1));
  const hits = { closestXmin: 0, diskOrder: 0 };
  let expected = 0;
  let variance = 0;
  let chanceWithoutWindow = 0;

  const sameGroup = (response: ResponseSeen, contact: ContactSeen) =>
    response.locale === contact.locale && response.district === contact.district && response.month === contact.month;

  for (const [index, batchXmin] of batchXmins.entries()) {
    const windowStart = index === 0 ? -1n : batchXmins[index - 1]!;
    const batch = seen.contacts.filter((contact) => contact.xmin === batchXmin);
    // Groups of one batch with the same locale, district and month: the attacker pairs each group's
    // contacts (in disk order) with the group's candidates (in transaction order), rank for rank.
    const groups = new Map<string, ContactSeen[]>();
    for (const contact of batch) {
      const key = `${contact.locale}|${contact.district}|${contact.month}`;
      groups.set(key, [...(groups.get(key) ?? []), contact]);
    }
    for (const group of groups.values()) {
      const candidates = seen.responses
        .filter((response) => sameGroup(response, group[0]!) && response.xmin > windowStart && response.xmin < batchXmin)
        .sort((a, b) => (a.xmin < b.xmin ? -1 : 1));
      group.sort((a, b) => a.diskRank - b.diskRank);
      group.forEach((contact, rank) => {
        const right = truth.get(contact.email)!;
        // The attack is fair: the right response is always among the candidates.
        expect(candidates.map((candidate) => candidate.id)).toContain(right);
        const p = 1 / candidates.length;
        expected += p;
        variance += p * (1 - p);
        chanceWithoutWindow += 1 / seen.responses.filter((response) => sameGroup(response, contact)).length;
        if (candidates.at(-1)!.id === right) hits.closestXmin += 1;
        const byRank = candidates[Math.floor((rank * candidates.length) / group.length)]!;
        if (byRank.id === right) hits.diskOrder += 1;
      });
    }
  }
  return { hits, chance: { expected, sd: Math.sqrt(variance) }, chanceWithoutWindow, contacts: seen.contacts.length };
}

describe('contacts cannot be joined to responses, even with the whole database', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 100_000 } });
  });
  afterAll(() => platform?.close());

  const request = (path: string, body: unknown) =>
    platform.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /**
   * Residents answer, and about a third then opt in on the thank-you page with the same locale and
   * district. `writeContact` is how the opt-in is stored; the mover runs at random moments.
   */
  async function playResidents(random: () => number, writeContact: (contact: Record<string, unknown>) => Promise<void>, moveNow: () => Promise<void>) {
    const truth = new Map<string, string>();
    const pick = () => {
      let roll = random();
      for (const [locale, weight] of LOCALES) if ((roll -= weight) < 0) return locale;
      return LOCALES[0]![0];
    };
    for (let resident = 0; resident < RESIDENTS; resident++) {
      const locale = pick();
      const district = DISTRICTS[Math.floor(random() * DISTRICTS.length)]!;
      const id = randomUUID();
      const answered = await request('/api/surveys/mini/responses', { id, version: 1, locale, district, answers: { satisfaction: 'high' } });
      expect(answered.status).toBe(201);
      if (random() < OPT_IN_SHARE) {
        const email = `resident${resident}@example.org`;
        truth.set(email, id);
        await writeContact({ locale, district, email, consent: true, consentVersion: '2026-11', topics: ['encounter'], formats: [] });
      }
      if (random() < 1 / 40) await moveNow();
    }
    await moveNow();
    return truth;
  }

  async function clear() {
    for (const table of ['contact', 'contact_intake', 'response'] as const) await platform.database.db.deleteFrom(table).execute();
  }

  it('xmin order and disk order do no better than a uniform guess inside the batch window (seeded)', async () => {
    await clear();
    const truth = await playResidents(
      seededRandom(SEED),
      async (contact) => expect((await request('/api/contacts', contact)).status).toBe(201),
      async () => {
        // A batch below the minimum waits (as in production); the last call moves the rest.
        await moveHeldContacts(platform.database.db, { minBatch: 1 });
      },
    );
    expect(await platform.database.db.selectFrom('contact_intake').select('id').execute()).toEqual([]);
    const result = attack(await readDatabase(platform.database.db), truth);
    expect(result.contacts).toBe(truth.size);
    expect(result.contacts).toBeGreaterThan(80);
    // The bound: expected chance hits + 3 standard deviations (one-sided, ≈ 0.13 % by a normal
    // approximation to the sum of independent Bernoulli guesses).
    const bound = result.chance.expected + 3 * result.chance.sd;
    if (process.env.SHOW_ATTACK) console.info(JSON.stringify(result));
    expect(result.hits.closestXmin, JSON.stringify(result)).toBeLessThanOrEqual(bound);
    expect(result.hits.diskOrder, JSON.stringify(result)).toBeLessThanOrEqual(bound);
  });

  it('control: the same attacker pairs almost every contact written straight after its response', async () => {
    await clear();
    const db = platform.database.db;
    const truth = await playResidents(
      seededRandom(SEED),
      // The old write path: the contact row in the resident's own request, right after the response.
      async (contact) => {
        await db
          .insertInto('contact')
          .values({
            id: randomUUID(),
            withdraw_code_hash: randomUUID(),
            name: null,
            email: contact.email as string,
            phone: null,
            topics: '[]',
            formats: '[]',
            district: contact.district as string,
            locale: contact.locale as string,
            consent_text_version: '2026-11',
            created_month: sql<string>`to_char(current_date, 'YYYY-MM')`,
          })
          .execute();
      },
      async () => {},
    );
    const result = attack(await readDatabase(db), truth);
    // Each contact is its own "batch": xmin pins the response exactly.
    expect(result.hits.closestXmin).toBe(truth.size);
    expect(result.hits.closestXmin).toBeGreaterThan(5 * result.chanceWithoutWindow);
    await clear();
  });
});
