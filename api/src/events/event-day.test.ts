import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { purgeUnlinkedPhotos, UNLINKED_PHOTO_GRACE_DAYS } from '../media/index.ts';
import { exifHasGps } from '../media/test-images.ts';
import { setSuppressionThreshold } from '../settings/index.ts';

const DAY = 24 * 3600 * 1000;
const START = Math.ceil((Date.now() + 3 * DAY) / 3_600_000) * 3_600_000;

const eventBody = {
  slug: 'cafe-tag',
  format: 'beteiligungscafe',
  title: { de: 'Beteiligungscafé am Markt' },
  description: {},
  placeName: 'Bürgerhaus',
  startsAt: new Date(START).toISOString(),
  endsAt: new Date(START + 4 * 3600 * 1000).toISOString(),
  capacity: null,
  status: 'published',
};

describe('the day of an event: offline check-in list, sync once, the report from the tablet', () => {
  let platform: TestPlatform;
  let coordinator: StaffSession;
  let analyst: StaffSession;
  let eventId: string;
  let registrations: { id: string; name: string | null }[];

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { publicWriteLimitPerMinute: 10_000 } });
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
    analyst = await loginAsDemo(platform.app, 'analyst');
  });
  afterAll(() => platform?.close());

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    platform.app.request(`/api/events${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const staff = (method: string, path: string, body?: unknown, who = coordinator, locale = 'en') =>
    request(method, path, body, method === 'GET' ? who.headers({ 'accept-language': locale }) : who.writeHeaders({ 'accept-language': locale }));
  const putPhoto = (photoId: string, bytes: Uint8Array<ArrayBuffer> | string, type = 'image/jpeg', locale = 'en') =>
    platform.app.request(`/api/events/${eventId}/day/photos/${photoId}`, { method: 'PUT', headers: coordinator.writeHeaders({ 'content-type': type, 'accept-language': locale }), body: bytes });
  const count = async (table: 'event_checkin' | 'event_report_card' | 'event_report_note' | 'event_report_photo' | 'media') =>
    Number((await platform.database.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);

  beforeEach(async () => {
    for (const table of ['event_report_photo', 'event_report_card', 'event_report_note', 'event_checkin', 'event_report', 'mail_outbox', 'event_registration', 'event'] as const) {
      await platform.database.db.deleteFrom(table).execute();
    }
    const created = await staff('POST', '', eventBody);
    expect(created.status, await created.clone().text()).toBe(201);
    eventId = ((await created.json()) as { event: { id: string } }).event.id;
    for (const person of [{ name: 'Ayşe', email: 'ayse@example.org' }, { name: null, phone: '0151 2345678', needs: { childcare: true } }, { name: 'Jonas', email: 'jonas@example.org' }]) {
      const res = await request('POST', '/public/cafe-tag/registrations', { locale: 'de', consent: true, ...person });
      expect(res.status).toBe(201);
    }
    const list = (await (await staff('GET', `/${eventId}/day`)).json()) as { registrations: { id: string; name: string | null }[] };
    registrations = list.registrations;
  });

  it('downloads the list with only what the door needs: name where given, needs, status; no address, phone or language', async () => {
    const res = await staff('GET', `/${eventId}/day`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { registrations: Record<string, unknown>[]; groups: string[] };
    expect(list.registrations).toHaveLength(3);
    for (const entry of list.registrations) expect(Object.keys(entry).sort()).toEqual(['arrived', 'id', 'name', 'needs', 'status']);
    expect(list.registrations.map((entry) => entry.name)).toEqual([null, 'Ayşe', 'Jonas']);
    expect(JSON.stringify(list)).not.toMatch(/example\.org|0151/);
    expect(list.groups).toContain('residents');
    const audit = await platform.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'event.day_list').execute();
    expect(audit.at(-1)?.details).toEqual({ count: 3 });
    expect((await staff('GET', `/${eventId}/day`, undefined, analyst)).status).toBe(403);
  });

  it('stores a day exactly once: the same batch again answers duplicate and changes nothing; a second tablet ticking the same person adds no one', async () => {
    const items = [
      { kind: 'arrival', id: randomUUID(), registrationId: registrations[1]!.id, group: 'residents' },
      { kind: 'arrival', id: randomUUID(), registrationId: registrations[2]!.id, group: 'politics' },
      { kind: 'walk_in', id: randomUUID(), group: 'residents' },
      { kind: 'walk_in', id: randomUUID(), group: 'associations' },
      { kind: 'walk_in', id: randomUUID(), group: null },
      { kind: 'card', id: randomUUID(), statement: { de: 'Mehr Bänke am Markt' }, fieldOfAction: 'housing_neighbourhood', origin: 'Tisch 2', dots: 7 },
      { kind: 'card', id: randomUUID(), statement: { de: 'Sprachcafé in der Bücherei' }, fieldOfAction: 'language_education', origin: 'Tisch 1', dots: 12 },
      { kind: 'note', id: randomUUID(), room: 'Tisch 1', note: 'Lebhaft; viele Eltern.' },
    ];
    const first = await staff('POST', `/${eventId}/day/sync`, { items });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(items.map(() => 'stored'));
    const counts = async () => [await count('event_checkin'), await count('event_report_card'), await count('event_report_note')];
    expect(await counts()).toEqual([5, 2, 1]);

    const again = await staff('POST', `/${eventId}/day/sync`, { items });
    expect(((await again.json()) as { results: { id: string; status: string }[] }).results).toEqual(items.map((item) => ({ id: item.id, status: 'duplicate' })));
    const otherTablet = await staff('POST', `/${eventId}/day/sync`, { items: [{ kind: 'arrival', id: randomUUID(), registrationId: registrations[1]!.id, group: 'business' }] });
    expect(((await otherTablet.json()) as { results: { status: string }[] }).results[0]!.status).toBe('duplicate');
    expect(await counts()).toEqual([5, 2, 1]);

    // The figures flow into the report: the count of the check-in until someone enters another.
    const { report } = (await (await staff('GET', `/${eventId}`)).json()) as { report: Record<string, unknown> };
    expect(report).toMatchObject({
      attendeesCount: 5,
      attendeesFromCheckIn: true,
      attendance: { total: 5, registered: 2, walkIns: 3, byGroup: { residents: 2, politics: 1, associations: 1 } },
      published: false,
    });
    expect((report.cards as { statement: { de: string }; dots: number }[]).map((card) => [card.statement.de, card.dots])).toEqual([
      ['Sprachcafé in der Bücherei', 12],
      ['Mehr Bänke am Markt', 7],
    ]);
    expect(report.notes).toEqual([expect.objectContaining({ room: 'Tisch 1', note: 'Lebhaft; viele Eltern.' })]);
  });

  it('rejects a bad item with a reason and stores the rest of the batch', async () => {
    const good = { kind: 'walk_in', id: randomUUID(), group: 'residents' };
    const res = await staff('POST', `/${eventId}/day/sync`, {
      items: [{ kind: 'walk_in', id: randomUUID(), group: 'aliens' }, { kind: 'card', id: randomUUID(), statement: { en: 'English only' }, dots: 1 }, good],
    }, coordinator, 'de');
    const { results } = (await res.json()) as { results: { status: string; code?: string; message?: string }[] };
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'stored']);
    expect(results[1]!.message).toMatch(/German statement/);
    expect(await count('event_checkin')).toBe(1);
  });

  it('takes photos through the media pipeline once per tablet id: metadata and GPS stripped; a non-image is refused and nothing stored', async () => {
    const jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#c83232' } })
      .jpeg()
      .withExifMerge({ IFD0: { Model: 'FieldTab 7' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '49/1 54/1 1234/100' } })
      .toBuffer();
    expect(exifHasGps((await sharp(jpeg).metadata()).exif)).toBe(true);
    const photoId = randomUUID();
    const first = await putPhoto(photoId, new Uint8Array(jpeg));
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: photoId, status: 'stored' });
    const again = await putPhoto(photoId, new Uint8Array(jpeg));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
    expect(await count('event_report_photo')).toBe(1);
    const row = await platform.database.db.selectFrom('event_report_photo as p').innerJoin('media as m', 'm.content_hash', 'p.content_hash').select('m.image').executeTakeFirstOrThrow();
    const stored = await sharp(Buffer.from(row.image!)).metadata();
    expect(stored.format).toBe('webp');
    expect(stored.exif).toBeUndefined();

    const mediaBefore = await count('media');
    const refused = await putPhoto(randomUUID(), 'Protokoll vom Tisch 3, kein Foto', 'image/jpeg', 'de');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'not_an_image', message: expect.stringMatching(/kein Bild/) });
    expect(await count('event_report_photo')).toBe(1);
    expect(await count('media')).toBe(mediaBefore);

    // A report photo is linked: the purge of unlinked interview photos leaves it.
    await sql`update media set created_at = now() - make_interval(days => ${UNLINKED_PHOTO_GRACE_DAYS + 1})`.execute(platform.database.db);
    await purgeUnlinkedPhotos({ db: platform.database.db, dataDir: platform.dataDir });
    expect(await count('event_report_photo')).toBe(1);
    expect((await staff('GET', `/${eventId}/report/photos/${photoId}/thumb`)).status).toBe(200);
  });

  it('shows photos, cards and figures on the public page once published, never the hosts’ notes; cards take translations', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2255aa' } }).png().toBuffer();
    const photoId = randomUUID();
    expect((await putPhoto(photoId, new Uint8Array(png), 'image/png')).status).toBe(201);
    const cardId = randomUUID();
    await staff('POST', `/${eventId}/day/sync`, {
      items: [
        { kind: 'card', id: cardId, statement: { de: 'Ein Treffpunkt für Jugendliche' }, fieldOfAction: 'encounter', origin: 'Phase Fantasie', dots: 4 },
        { kind: 'note', id: randomUUID(), room: 'Tisch 1', note: 'Frau M. will mitmachen.' },
        { kind: 'walk_in', id: randomUUID(), group: 'administration' },
      ],
    });
    const publicView = async () => (await (await request('GET', '/public/cafe-tag')).json()) as { report: Record<string, unknown> | null };
    expect((await publicView()).report).toBeNull();
    expect((await request('GET', `/public/cafe-tag/photos/${photoId}`)).status).toBe(404);

    const edited = await staff('PUT', `/${eventId}/report/cards/${cardId}`, { statement: { de: 'Ein Treffpunkt für Jugendliche', ar: 'مكان لقاء للشباب' }, fieldOfAction: 'encounter', origin: 'Phase Fantasie', dots: 5 });
    expect(edited.status).toBe(200);
    expect((await staff('PUT', `/${eventId}/report/cards/${cardId}`, { statement: { ar: 'بدون ألماني' }, dots: 5 })).status).toBe(400);
    const saved = await staff('PUT', `/${eventId}/report`, { attendeesCount: null, organisations: ['Jugendzentrum'], results: { de: 'Ein Treffpunkt wird gesucht.' }, published: true });
    expect(saved.status, await saved.clone().text()).toBe(200);

    const { report } = await publicView();
    // One person at the door: fewer than k (5), so no number and no group (public-attendance.ts).
    expect(report).toMatchObject({ attendeesCount: null, k: 5, attendance: { byGroup: {} }, photos: [{ id: photoId, width: 64, height: 48 }] });
    expect(report!.cards).toEqual([{ id: cardId, statement: { de: 'Ein Treffpunkt für Jugendliche', ar: 'مكان لقاء للشباب' }, fieldOfAction: 'encounter', origin: 'Phase Fantasie', dots: 5 }]);
    expect(report).not.toHaveProperty('notes');
    expect(JSON.stringify(report)).not.toContain('Frau M.');
    const photo = await request('GET', `/public/cafe-tag/photos/${photoId}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/webp');
    expect((await request('GET', `/public/cafe-tag/photos/${randomUUID()}/thumb`)).status).toBe(404);

    expect((await staff('DELETE', `/${eventId}/report/photos/${photoId}`)).status).toBe(204);
    expect((await request('GET', `/public/cafe-tag/photos/${photoId}`)).status).toBe(404);
  });

  it('publishes no head count from 1 to k−1, on the page’s JSON or through the groups, and the town’s k is the one that counts', async () => {
    const walkIns = (groups: (string | null)[]) =>
      staff('POST', `/${eventId}/day/sync`, { items: groups.map((group) => ({ kind: 'walk_in', id: randomUUID(), ...(group ? { group } : {}) })) });
    const publish = () => staff('PUT', `/${eventId}/report`, { attendeesCount: null, organisations: [], results: { de: 'Ergebnisse.' }, published: true });
    const shown = async () => ((await (await request('GET', '/public/cafe-tag')).json()) as { report: Record<string, unknown> }).report;

    expect((await walkIns(['residents', 'residents', 'residents', 'residents', 'residents', 'residents', 'administration', 'administration'])).status).toBe(200);
    expect((await publish()).status).toBe(200);
    // 8 came: 6 residents shown, but 8 − 6 would give the 2 from the administration away.
    let report = await shown();
    expect(report).toMatchObject({ attendeesCount: 8, k: 5, attendance: { byGroup: {} } });
    for (const key of ['attendeesFromCheckIn', 'notes']) expect(report).not.toHaveProperty(key);
    expect(report.attendance).not.toHaveProperty('registered');
    expect(report.attendance).not.toHaveProperty('walkIns');
    expect(report.attendance).not.toHaveProperty('total');

    // Two more who named no group: 10 − 6 = 4 could be anything from 1 to 4 in the administration.
    expect((await walkIns([null, null])).status).toBe(200);
    report = await shown();
    expect(report).toMatchObject({ attendeesCount: 10, attendance: { byGroup: { residents: 6, administration: null } } });

    // Staff still see the exact figures.
    const staffView = (await (await staff('GET', `/${eventId}`)).json()) as { report: { attendeesCount: number; attendance: { byGroup: Record<string, number>; walkIns: number } } };
    expect(staffView.report).toMatchObject({ attendeesCount: 10, attendance: { walkIns: 10, byGroup: { residents: 6, administration: 2 } } });

    // A stricter town: with k = 7 the residents are fewer than k too, and 10 − 0 leaves room for both.
    await setSuppressionThreshold(platform.database.db, 7);
    try {
      report = await shown();
      expect(report).toMatchObject({ attendeesCount: 10, k: 7, attendance: { byGroup: { residents: null, administration: null } } });
      // An entered number below k hides the total and every group.
      expect((await staff('PUT', `/${eventId}/report`, { attendeesCount: 6, organisations: [], results: { de: 'Ergebnisse.' }, published: true })).status).toBe(200);
      report = await shown();
      expect(report).toMatchObject({ attendeesCount: null, k: 7, attendance: { byGroup: {} } });
      expect(JSON.stringify(report)).not.toMatch(/"attendeesCount":6/);
    } finally {
      await platform.database.db.deleteFrom('setting').where('key', '=', 'suppression_k').execute();
    }
  });

  it('lets no cache show a public photo once it is taken off: every view revalidates, the old ETag gets neither 304 nor the photo', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#aa5522' } }).png().toBuffer();
    const photoId = randomUUID();
    expect((await putPhoto(photoId, new Uint8Array(png), 'image/png')).status).toBe(201);
    const report = (published: boolean) => staff('PUT', `/${eventId}/report`, { attendeesCount: null, organisations: [], results: { de: 'Ergebnisse.' }, published });
    expect((await report(true)).status).toBe(200);

    for (const path of [`/public/cafe-tag/photos/${photoId}`, `/public/cafe-tag/photos/${photoId}/thumb`]) {
      const first = await request('GET', path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('public, no-cache');
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[it]-/);
      const again = await request('GET', path, undefined, { 'if-none-match': etag! });
      expect(again.status).toBe(304);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      expect((await request('GET', path, undefined, { 'if-none-match': '"i-something-else"' })).status).toBe(200);

      // Unpublished: the browser's revalidation with the old ETag finds nothing.
      expect((await report(false)).status).toBe(200);
      const withdrawn = await request('GET', path, undefined, { 'if-none-match': etag! });
      expect(withdrawn.status).toBe(404);
      expect(withdrawn.headers.get('content-type')).toMatch(/json/);
      expect((await report(true)).status).toBe(200);
      expect((await request('GET', path, undefined, { 'if-none-match': etag! })).status).toBe(304);
    }
    expect((await request('GET', `/public/cafe-tag/photos/${photoId}`)).headers.get('etag')).not.toBe((await request('GET', `/public/cafe-tag/photos/${photoId}/thumb`)).headers.get('etag'));

    // Taken off the report (consent withdrawn): gone at once for the old ETag too.
    const etag = (await request('GET', `/public/cafe-tag/photos/${photoId}`)).headers.get('etag')!;
    expect((await staff('DELETE', `/${eventId}/report/photos/${photoId}`)).status).toBe(204);
    expect((await request('GET', `/public/cafe-tag/photos/${photoId}`, undefined, { 'if-none-match': etag })).status).toBe(404);
  });
});
