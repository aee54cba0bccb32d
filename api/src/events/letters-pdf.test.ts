import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { CONFIRMATION_TEXTS } from '../mail/texts.ts';
import type { Locale } from '../shared/locales.ts';
import { readTownSettings, writeTownSettings } from '../town/repository.ts';
import { LETTER_TEXTS } from './letter-texts.ts';
import { inviteByLetter } from './letters.ts';
import { EVENT_MAIL_TEXTS } from './texts.ts';

const DAY = 24 * 3600 * 1000;
const START = Math.ceil((Date.now() + 10 * DAY) / 3_600_000) * 3_600_000;
const PUBLIC_URL = 'http://localhost:3000';

/**
 * pdftotext (poppler-utils) as an independent reader. Dropped on both sides of a comparison: the
 * bidi marks it adds around runs, and the zero-width non-joiner of Persian, which it does not
 * give back (it shapes, it is no glyph).
 */
const plain = (text: string) => text.replace(/[\u200c\u200e\u200f\u202a-\u202e]/g, '');
function pdfPages(file: string, pages: number): string[] {
  return Array.from({ length: pages }, (_, i) => {
    const out = spawnSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    return plain(out.stdout);
  });
}

function pageCount(file: string): number {
  const out = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(out.stdout)![1]);
}

/** Words of one page with their boxes (`pdftotext -bbox`, which gives a right-to-left word's letters in visual order). */
function pageWords(file: string, page: number): { word: string; xMin: number; xMax: number }[] {
  const out = spawnSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  return [...out.stdout.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    xMax: Number(m[2]),
    word: m[3]!.replace(/[\u200e\u200f\u202a-\u202e]/g, ''),
  }));
}

describe('invitation letters as a printable PDF', () => {
  let platform: TestPlatform;
  let coordinator: StaffSession;
  let analyst: StaffSession;
  let dir: string;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000, publicUrl: PUBLIC_URL } });
    const settings = (await readTownSettings(platform.database.db))!;
    await writeTownSettings(platform.database.db, {
      ...settings,
      name: { default: 'Musterstadt', ar: 'موسترشتات', tr: 'Musterstadt Belediyesi' },
      dataProtection: { name: 'Datenschutzbeauftragte Frau Roth', email: 'datenschutz@musterstadt.example', phone: '+49 6152 1234', address: 'Rathausplatz 1, 12345 Musterstadt' },
    });
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
    analyst = await loginAsDemo(platform.app, 'analyst');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'letters-pdf-'));
  });
  afterAll(async () => {
    await platform?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    for (const table of ['mail_outbox', 'event_registration', 'event_invitation', 'event', 'contact'] as const) await platform.database.db.deleteFrom(table).execute();
  });

  const request = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    platform.app.request(url, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const createEvent = async () => {
    const response = await request(
      'POST',
      '/api/events',
      {
        slug: 'cafe-nord',
        format: 'beteiligungscafe',
        title: { de: 'Beteiligungscafé Nord', tr: 'Katılım kafesi Kuzey', ar: 'مقهى المشاركة الشمال', fa: 'کافه مشارکت شمال', 'de-x-easy': 'Treffen im Norden' },
        description: { de: 'Wir reden über den Stadtteil.' },
        placeName: 'Bürgerhaus Nord',
        placeAddress: 'Marktstraße 1, 12345 Musterstadt',
        stepFree: true,
        startsAt: new Date(START).toISOString(),
        endsAt: new Date(START + 4 * 3600 * 1000).toISOString(),
        languages: ['de', 'tr', 'ar'],
        status: 'published',
      },
      coordinator.writeHeaders({ 'accept-language': 'en' }),
    );
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { event: { id: string } }).event;
  };
  const addContact = async (name: string, locale: Locale, channel: { email?: string; phone?: string; confirmed?: boolean }) => {
    await platform.database.db
      .insertInto('contact')
      .values({
        id: randomUUID(),
        withdraw_code_hash: randomUUID(),
        name,
        email: channel.email ?? null,
        phone: channel.phone ?? null,
        topics: JSON.stringify(['encounter']),
        formats: JSON.stringify(['beteiligungscafe']),
        district: null,
        locale,
        consent_text_version: '2026-11',
        created_month: '2026-12',
        confirmed: channel.confirmed ?? Boolean(channel.email),
      })
      .execute();
  };

  it('prints one letter per page in each contact’s language, right to left for Arabic and Farsi, with working links and the data-protection contact', async () => {
    const event = await createEvent();
    await addContact('Ayşe Yılmaz', 'tr', { phone: '+49 170 5550001' });
    await addContact('Karim Haddad', 'ar', { phone: '+49 170 5550002' });
    await addContact('Dariush Ahmadi', 'fa', { phone: '+49 170 5550003' });
    await addContact('Erika Muster', 'de-x-easy', { phone: '+49 170 5550004' });
    // SMTP is not set up in this platform: the confirmed e-mail contact gets a letter too, the
    // unconfirmed one (perhaps a stranger's address) does not.
    await addContact('Hans Brief', 'de', { email: 'hans@example.org' });
    await addContact('Nobody Confirmed', 'en', { email: 'unconfirmed@example.org', confirmed: false });
    const url = `/api/events/${event.id}/invitations/letters.pdf`;
    expect((await request('POST', url, undefined, analyst.writeHeaders())).status).toBe(403);
    const response = await request('POST', url, undefined, coordinator.writeHeaders({ 'accept-language': 'de' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-letter-count')).toBe('5');
    const file = path.join(dir, 'letters.pdf');
    await fs.writeFile(file, Buffer.from(await response.arrayBuffer()));
    expect(pageCount(file)).toBe(5);
    const pages = pdfPages(file, 5);
    const pageOf = (name: string) => {
      const matching = pages.filter((page) => page.includes(name));
      expect(matching, name).toHaveLength(1);
      return matching[0]!;
    };
    const expected: [string, Locale, string][] = [
      ['Ayşe Yılmaz', 'tr', 'Musterstadt Belediyesi'],
      ['Karim Haddad', 'ar', 'موسترشتات'],
      ['Dariush Ahmadi', 'fa', 'Musterstadt'],
      ['Erika Muster', 'de-x-easy', 'Musterstadt'],
      ['Hans Brief', 'de', 'Musterstadt'],
    ];
    const tokens: Record<string, { invite: string; withdraw: string }> = {};
    for (const [name, locale, town] of expected) {
      const page = pageOf(name);
      expect(page).toContain(town);
      expect(page).toContain(plain(LETTER_TEXTS[locale].dataProtection));
      expect(page).toContain('datenschutz@musterstadt.example');
      expect(page).toContain('Rathausplatz 1, 12345 Musterstadt');
      // The invitation's own words, in the letter's language (the Arabic-script greetings hold the
      // lam-alef ligature, which the reader gives back turned round: their titles are checked below).
      if (locale !== 'ar' && locale !== 'fa') expect(page).toContain(EVENT_MAIL_TEXTS[locale].greeting.replace(/[,،]$/, ''));
      const invite = new RegExp(`${PUBLIC_URL}/event\\?lang=${locale}#invite=([A-Za-z0-9_-]{20,})`).exec(page);
      const withdraw = new RegExp(`${PUBLIC_URL}/contact#withdraw=([A-Za-z0-9_-]{20,})`).exec(page);
      expect(invite, `${name}: invitation link`).not.toBeNull();
      expect(withdraw, `${name}: withdrawal link`).not.toBeNull();
      tokens[name] = { invite: invite![1]!, withdraw: withdraw![1]! };
    }
    expect(pages.join('\n')).not.toContain('Nobody Confirmed');
    expect(pageOf('Ayşe Yılmaz')).toContain('Katılım kafesi Kuzey');
    expect(pageOf('Erika Muster')).toContain('Treffen im Norden');
    expect(pageOf('Erika Muster')).toContain(CONFIRMATION_TEXTS['de-x-easy'].withdraw.split('.')[0]!);
    // Arabic and Farsi read back in logical order — the reader reorders what was drawn right to
    // left — and the Arabic subject stands at the right margin, its first word rightmost.
    expect(pageOf('Karim Haddad')).toContain('مقهى المشاركة الشمال');
    expect(pageOf('Dariush Ahmadi')).toContain('کافه مشارکت شمال');
    const arabicPage = pages.indexOf(pageOf('Karim Haddad')) + 1;
    const words = pageWords(file, arabicPage);
    const drawn = (word: string) => words.find((w) => w.word === [...word].reverse().join(''))!;
    const [first, last] = [drawn('مقهى'), drawn('الشمال')];
    expect(first.xMin).toBeGreaterThan(last.xMax);
    expect(Math.max(...words.filter((w) => /[\u0600-\u06ff]/.test(w.word)).map((w) => w.xMax))).toBeGreaterThan(595 - 64 - 2);
    // The links work like the e-mail's: the invitation opens, the withdrawal deletes the contact.
    expect((await request('POST', '/api/events/invitation', { token: tokens['Karim Haddad']!.invite })).status).toBe(200);
    expect((await request('POST', '/api/contacts/withdraw', { token: tokens['Ayşe Yılmaz']!.withdraw })).status).toBe(204);
    expect(await platform.database.db.selectFrom('contact').select('name').where('name', '=', 'Ayşe Yılmaz').executeTakeFirst()).toBeUndefined();
    // A second export invites no one twice: a single page saying so, in the coordinator's language.
    const again = await request('POST', url, undefined, coordinator.writeHeaders({ 'accept-language': 'de' }));
    expect(again.headers.get('x-letter-count')).toBe('0');
    await fs.writeFile(file, Buffer.from(await again.arrayBuffer()));
    expect(pageCount(file)).toBe(1);
    expect(pdfPages(file, 1)[0]).toContain('Keine neuen Briefe');
    const audit = await platform.database.db.selectFrom('audit_log').select('details').where('action', '=', 'event.invite_letters').orderBy('id').execute();
    expect(audit.map((a) => a.details)).toMatchObject([
      { format: 'pdf', letters: 5, byEmailContact: 1, alreadyInvited: 0 },
      { format: 'pdf', letters: 0, byEmailContact: 0, alreadyInvited: 4 },
    ]);
    // No name, address or link in the log.
    expect(JSON.stringify(audit)).not.toMatch(/Karim|example\.org|invite=/);
  });

  it('leaves e-mail contacts to the mail once SMTP is set up', async () => {
    const event = await createEvent();
    await addContact('Hans Brief', 'de', { email: 'hans@example.org' });
    await addContact('Telefon Only', 'de', { phone: '+49 170 5550009' });
    const { letters } = await inviteByLetter({ db: platform.database.db, publicUrl: PUBLIC_URL, mailConfigured: true }, event.id, {
      topics: [],
      formats: [],
      district: null,
      locale: null,
      confirmed: null,
      search: null,
    });
    expect(letters.map((letter) => letter.name)).toEqual(['Telefon Only']);
  });
});
