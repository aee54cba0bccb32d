import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../tests/support/csv-parse.ts';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import type { ListedContact } from './contact-list.ts';
import { moveHeldContacts } from './intake-mover.ts';

/** A listed contact as the route answers it; its id is random and not compared. */
type Listed = Omit<ListedContact, 'id'>;

describe('the coordinator’s contact list', () => {
  let platform: TestPlatform;
  let coordinator: StaffSession;
  let admin: StaffSession;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
    admin = await loginAsDemo(platform.app, 'admin');
    const optIns = [
      { name: 'Ayşe Demir', email: 'ayse@example.org', locale: 'tr', district: 'worfelden', topics: ['encounter', 'health'], formats: ['beteiligungscafe'] },
      { name: 'Jonas Weber', email: 'jonas@example.org', locale: 'de', district: 'buettelborn', topics: ['sport_culture'], formats: ['workshop'] },
      { name: '=HYPERLINK("http://evil.example","x")', email: null, phone: '06152 12345', locale: 'ar', district: 'worfelden', topics: ['health'], formats: [] },
      { name: null, email: 'olena@example.org', locale: 'uk', district: null, topics: [], formats: ['zukunftswerkstatt', 'workshop'] },
    ];
    for (const optIn of optIns) {
      const res = await platform.app.request('/api/contacts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ consent: true, consentVersion: '2026-11', ...optIn }),
      });
      expect(res.status).toBe(201);
    }
    await moveHeldContacts(platform.database.db, { minBatch: 1 });
    await platform.database.db.updateTable('contact').set({ confirmed: true }).where('email', '=', 'ayse@example.org').execute();
  });
  afterAll(() => platform?.close());

  const list = async (query: string, session = coordinator) => {
    const res = await platform.app.request(`/api/contacts${query}`, { headers: session.headers() });
    expect(res.status, query).toBe(200);
    return ((await res.json()) as { contacts: Listed[] }).contacts;
  };
  const names = (contacts: Listed[]) => contacts.map((contact) => contact.email ?? contact.phone);

  it('lists, searches and filters by topics, formats, district, language and confirmation', async () => {
    expect(names(await list(''))).toHaveLength(4);
    expect(names(await list('?q=WEBER'))).toEqual(['jonas@example.org']);
    expect(names(await list('?q=12345'))).toEqual(['06152 12345']);
    expect(names(await list('?topics=health')).sort()).toEqual(['06152 12345', 'ayse@example.org']);
    expect(names(await list('?formats=workshop')).sort()).toEqual(['jonas@example.org', 'olena@example.org']);
    expect(names(await list('?district=worfelden&topics=encounter,sport_culture'))).toEqual(['ayse@example.org']);
    expect(names(await list('?locale=uk'))).toEqual(['olena@example.org']);
    expect(names(await list('?confirmed=true'))).toEqual(['ayse@example.org']);
    expect(await list('?confirmed=false')).toHaveLength(3);
    const [ayse] = await list('?q=ayse', admin);
    expect(ayse).toMatchObject({ name: 'Ayşe Demir', locale: 'tr', topics: ['encounter', 'health'], createdMonth: new Date().toISOString().slice(0, 7) });
    // The search is a pattern for nobody: % and _ are taken literally.
    expect(await list('?q=%25')).toEqual([]);
  });

  it('refuses an unknown filter value (400) in the staff member’s language', async () => {
    const res = await platform.app.request('/api/contacts?topics=astrology', { headers: coordinator.headers({ 'accept-language': 'de' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toContain('astrology');
  });

  it('exports CSV and XLSX for a mail merge, formula-safe, and logs every view and export', async () => {
    const before = await platform.database.db.selectFrom('audit_log').select('id').execute();
    const csv = await platform.app.request('/api/contacts/export.csv?district=worfelden', { headers: coordinator.headers() });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = parseCsv(await csv.text());
    expect(records[0]).toEqual(['name', 'email', 'phone', 'locale', 'district', 'topics', 'formats', 'confirmed', 'month']);
    const names = records.slice(1).map((record) => record[0]).sort();
    expect(names).toEqual(['\'=HYPERLINK("http://evil.example","x")', 'Ayşe Demir'].sort());

    const xlsx = await platform.app.request('/api/contacts/export.xlsx', { headers: coordinator.headers() });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('contacts')!;
    expect(sheet.rowCount).toBe(5);
    const cells: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    // No cell is a formula: every value is plain text.
    expect(cells.every((value) => typeof value === 'string')).toBe(true);
    expect(cells).toContain('\'=HYPERLINK("http://evil.example","x")');

    await list('?locale=tr');
    const entries = await platform.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'details'])
      .where('id', 'not in', before.length ? before.map((row) => row.id) : [-1])
      .orderBy('id')
      .execute();
    expect(entries.map((entry) => entry.action)).toEqual(['export.contacts_csv', 'export.contacts_xlsx', 'contacts.view']);
    expect(entries.every((entry) => entry.actor_id === coordinator.user.id)).toBe(true);
    expect(entries[0]!.details).toMatchObject({ filter: { district: 'worfelden' }, count: 2 });
    // The log holds the filter and the count, never a contact detail.
    expect(JSON.stringify(entries)).not.toMatch(/ayse|Demir|12345/);
  });

  it('is closed to analysts and interviewers (403)', async () => {
    for (const role of ['analyst', 'interviewer'] as const) {
      const session = await loginAsDemo(platform.app, role);
      for (const path of ['', '/export.csv', '/export.xlsx']) {
        expect((await platform.app.request(`/api/contacts${path}`, { headers: session.headers() })).status).toBe(403);
      }
    }
  });
});
