import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { demoNetworkActors, demoNetworkTies } from '../demo/demo-network.ts';

interface NetworkBody {
  nodes: { id: string; name: string; kind: string; fieldsOfAction: string[] }[];
  edges: { source: string; target: string }[];
  layout?: Record<string, { x: number; y: number }>;
  comparison?: {
    date: string;
    newEdges: { sourceName: string; targetName: string }[];
    lostEdges: { sourceName: string; targetName: string }[];
    newActors: { name: string }[];
    lostActors: { name: string }[];
  };
}
type ErrorBody = { error: { code: string; message: string }; errors?: { field: string; code: string }[] };

// The map of the demo town's network (seeded with the demo town) as SVG and PNG, the layout and the
// comparison of two dates in the JSON.
describe('the network map routes', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  const get = (url: string, locale = 'en') => platform.app.request(url, { headers: analyst.headers({ 'accept-language': locale }) });
  const json = async <T>(url: string) => {
    const response = await get(url);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    platform = await openTestPlatform({ config: { seedDemoNetwork: true } });
    analyst = await loginAsDemo(platform.app, 'analyst');
  }, 120_000);
  afterAll(() => platform?.close());

  it('seeds the demo network with the demo town', async () => {
    const body = await json<NetworkBody>('/api/analysis/network');
    expect(body.nodes.map((node) => node.name).sort()).toEqual(demoNetworkActors.map((actor) => actor.name).sort());
    expect(body.edges.length).toBe(demoNetworkTies.length);
  });

  it('draws one circle per actor in a valid SVG, with names and a legend of the kinds', async () => {
    const network = await json<NetworkBody>('/api/analysis/network');
    const response = await get('/api/analysis/network.svg?color=kind&size=betweenness', 'de');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await response.text();
    // Well-formed XML: sharp (librsvg) refuses anything else.
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect(meta.format).toBe('svg');
    const circles = [...svg.matchAll(/<circle class="node" data-id="([^"]+)"/g)].map((match) => match[1]);
    expect(circles.sort()).toEqual(network.nodes.map((node) => node.id).sort());
    expect((svg.match(/<line /g) ?? []).length).toBe(network.edges.length);
    expect(svg).toContain('<title>Rathaus, Fachbereich Soziales</title>');
    expect(svg).toContain('Farbe: Art des Akteurs');
    // The kinds' names come from the shared code lists, in the requester's language.
    expect(svg).toContain('Verwaltung (Stadt, Kreis, Behörde)');
    const english = await (await get('/api/analysis/network.svg?color=community')).text();
    expect(english).toContain('Colour: community');
    expect(english).toContain('Community 0');
  });

  it('renders a PNG of the size asked for', async () => {
    const response = await get('/api/analysis/network.png?width=800&height=500&fieldOfAction=language_education');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const image = sharp(Buffer.from(await response.arrayBuffer()));
    const meta = await image.metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 800, 500]);
    // Not blank: the points are drawn in colour on white.
    const { channels } = await image.stats();
    expect(channels[0]!.min).toBeLessThan(200);
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('action', '=', 'export.network_png').execute();
    expect(audit.length).toBe(1);
  });

  it('applies the filters to the map', async () => {
    const filtered = await json<NetworkBody>('/api/analysis/network?fieldOfAction=language_education');
    expect(filtered.nodes.length).toBeGreaterThan(1);
    const svg = await (await get('/api/analysis/network.svg?fieldOfAction=language_education')).text();
    expect((svg.match(/<circle class="node"/g) ?? []).length).toBe(filtered.nodes.length);
  });

  it('answers filters that leave no actor with 422 network_empty, never a blank picture', async () => {
    for (const format of ['svg', 'png']) {
      const response = await get(`/api/analysis/network.${format}?kind=police`);
      expect(response.status).toBe(422);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe('network_empty');
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  it('refuses unknown sizes, colours and pixel counts, naming the parameter', async () => {
    for (const [query, field] of [
      ['size=fame', 'size'],
      ['color=rainbow', 'color'],
      ['width=99999', 'width'],
      ['height=1.5', 'height'],
    ] as const) {
      const response = await get(`/api/analysis/network.png?${query}`);
      expect(response.status, query).toBe(422);
      expect(((await response.json()) as ErrorBody).errors?.[0]?.field).toBe(field);
    }
  });

  it('gives the layout in the JSON on request: the same positions as the picture, in the unit square', async () => {
    const body = await json<NetworkBody>('/api/analysis/network?layout=true');
    expect(Object.keys(body.layout!).sort()).toEqual(body.nodes.map((node) => node.id).sort());
    for (const { x, y } of Object.values(body.layout!)) expect(x >= 0 && x <= 1 && y >= 0 && y <= 1).toBe(true);
    expect((await json<NetworkBody>('/api/analysis/network?layout=true')).layout).toEqual(body.layout);
    expect((await json<NetworkBody>('/api/analysis/network')).layout).toBeUndefined();
  });

  it('names the codes for the dashboard in the requester’s language', async () => {
    const german = (await (await get('/api/analysis/network', 'de')).json()) as { labels: Record<string, Record<string, string>> };
    expect(german.labels.kinds!.school).toBe('Schule');
    expect(german.labels.districts!.buettelborn).toBe('Büttelborn');
    expect(Object.keys(german.labels.fieldsOfAction!)).toHaveLength(13);
    const turkish = (await (await get('/api/analysis/network', 'tr')).json()) as { labels: Record<string, Record<string, string>> };
    expect(turkish.labels.kinds!.administration).toBe('Kamu yönetimi (belediye, il/ilçe, resmî kurum)');
  });

  it('compares two dates: the ties of the May workshop are new since March, none lost', async () => {
    const body = await json<NetworkBody>('/api/analysis/network?compare=2026-03-31');
    const mayTies = demoNetworkTies.filter((tie) => tie.observedOn > '2026-03-31');
    expect(body.comparison!.date).toBe('2026-03-31');
    expect(body.comparison!.newEdges.length).toBe(mayTies.length);
    expect(body.comparison!.lostEdges).toEqual([]);
    // The other way round: looking back from March, May's ties are the ones lost.
    const back = await json<NetworkBody>('/api/analysis/network?at=2026-03-31&compare=2026-06-01');
    expect(back.comparison!.lostEdges.length).toBe(mayTies.length);
    expect(back.comparison!.newEdges).toEqual([]);
    const bad = await get('/api/analysis/network?compare=2026-02-30');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as ErrorBody).errors?.[0]?.field).toBe('compare');
  });

  it('keeps the map to analysts and admins', async () => {
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    for (const file of ['network.svg', 'network.png']) {
      expect((await platform.app.request(`/api/analysis/${file}`)).status).toBe(401);
      expect((await platform.app.request(`/api/analysis/${file}`, { headers: interviewer.headers() })).status).toBe(403);
    }
  });
});
