import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { knownSmallSums, recoverSuppressed, type Relation } from '../../../tests/support/attacker.ts';
import { parseCsv, parseCsvRecords } from '../../../tests/support/csv-parse.ts';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';

/**
 * The attacker: takes every published table (CSV, dashboard JSON, returns, charts) and tries to
 * work out each suppressed value from the published ones — differences of margins, options
 * against the base, and all relations solved together in exact arithmetic — and looks for any count
 * from 1 to k−1. Downloads of different breakdowns are also combined, as a curious analyst would.
 */

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const K = 5;
const DIMS = ['district', 'target_group', 'mode', 'locale'] as const;
const PARTITIONS = new Set(['district', 'mode', 'locale']);
const BREAKDOWNS = ['', 'district', 'target_group', 'mode', 'locale', 'district,target_group', 'district,mode', 'mode,locale', 'district,target_group,mode'];

let platform: TestPlatform;
let analyst: StaffSession;
let itemKinds: Map<string, string>;

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  await insertResponses(platform.database.db, analysisDataset(4711));
  analyst = await loginAsDemo(platform.app, 'analyst');
  // What kind of table each item is, from the codebook (single choice: options add up to the base).
  const codebook = parseCsvRecords(await get(`/api/analysis/${DATASET_SLUG}/codebook.csv`));
  itemKinds = new Map(codebook.filter((record) => record.question).map((record) => [record.column === record.question || record.type === 'matrix_row' ? record.column! : record.question!, record.type!]));
});
afterAll(async () => {
  await platform?.close();
});

async function get(url: string): Promise<string> {
  const response = await platform.app.request(url, { headers: analyst.headers() });
  expect(response.status, url).toBe(200);
  return response.text();
}

/** What the attacker has collected: cell → published value (null = suppressed). */
class Knowledge {
  cells = new Map<string, number | null>();
  values: Record<string, Set<string>> = { district: new Set(), target_group: new Set(), mode: new Set(), locale: new Set() };
  rowsOf = new Map<string, Set<string>>();

  static key(item: string, row: string, coords: Record<string, string>) {
    return [item, row, ...DIMS.map((dim) => coords[dim] || '_all')].join('|');
  }

  learn(item: string, row: string, coords: Record<string, string>, value: number | null, source: string) {
    const key = Knowledge.key(item, row, coords);
    const known = this.cells.get(key);
    if (known !== undefined && known !== null && value !== null) expect(value, `${source}: ${key} published twice differently`).toBe(known);
    if (value !== null && value >= 1 && value < K) throw new Error(`${source}: published a small count ${value} at ${key}`);
    if (known === undefined || known === null) this.cells.set(key, value);
    for (const dim of DIMS) if (coords[dim] && coords[dim] !== '_all') this.values[dim]!.add(coords[dim]!);
    let rows = this.rowsOf.get(item);
    if (!rows) this.rowsOf.set(item, (rows = new Set()));
    rows.add(row);
  }

  /** Cells of groups a download left out had nobody answering: they are known zeros. */
  fillZeros(item: string, by: string[]) {
    let groups: Record<string, string>[] = [{}];
    for (const dim of by) groups = groups.flatMap((group) => ['_all', ...this.values[dim]!].map((value) => ({ ...group, [dim]: value })));
    for (const row of this.rowsOf.get(item) ?? []) {
      for (const group of groups) {
        const key = Knowledge.key(item, row, group);
        if (!this.cells.has(key)) this.cells.set(key, 0);
      }
    }
  }

  /** Every additive relation the attacker knows, over the cells collected. */
  attack(source: string) {
    const keys = [...this.cells.keys()];
    const index = new Map(keys.map((key, i) => [key, i]));
    const published = keys.map((key) => this.cells.get(key)!);
    const relations: Relation[] = [];
    for (const key of keys) {
      const [item, row, ...coords] = key.split('|');
      DIMS.forEach((dim, d) => {
        if (!PARTITIONS.has(dim) || coords[d] !== '_all') return;
        const members = [...this.values[dim]!].map((value) => index.get([item, row, ...coords.map((c, i) => (i === d ? value : c))].join('|')));
        if (members.length > 0 && members.every((member) => member !== undefined)) relations.push({ members: members as number[], total: index.get(key)! });
      });
      const kind = itemKinds.get(item!);
      if (row === '_base' && (kind === 'single' || kind === 'matrix_row')) {
        const options = [...(this.rowsOf.get(item!) ?? [])].filter((option) => option !== '_base');
        const members = options.map((option) => index.get([item, option, ...coords].join('|')));
        if (members.every((member) => member !== undefined)) relations.push({ members: members as number[], total: index.get(key)! });
      }
    }
    const recovered = recoverSuppressed(published, relations);
    expect(recovered.map((r) => `${keys[r.cell]} = ${r.value} (${r.how})`), source).toEqual([]);
    expect(knownSmallSums(published, relations, K).map((relation) => keys[relation.total]), source).toEqual([]);
    return { cells: keys.length, suppressed: published.filter((value) => value === null).length, relations: relations.length };
  }
}

function learnAggregateCsv(knowledge: Knowledge, text: string, source: string) {
  for (const record of parseCsvRecords(text)) {
    const coords = Object.fromEntries(DIMS.map((dim) => [dim, record[dim]!]));
    const number = (value: string) => (value === '' ? null : Number(value));
    if (record.option === '') {
      knowledge.learn(record.question!, '_n', coords, record.suppressed === '1' ? null : number(record.n!), source);
    } else {
      knowledge.learn(record.question!, record.option!, coords, record.suppressed === '1' ? null : number(record.n!), source);
      knowledge.learn(record.question!, '_base', coords, number(record.base!), source);
    }
  }
}

describe('the attacker cannot undo suppression', () => {
  it('in aggregate.csv, breakdown by breakdown', async () => {
    let suppressedSeen = 0;
    for (const by of BREAKDOWNS) {
      const knowledge = new Knowledge();
      learnAggregateCsv(knowledge, await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=${by}`), `aggregate.csv?by=${by}`);
      for (const item of knowledge.rowsOf.keys()) knowledge.fillZeros(item, by ? by.split(',') : []);
      suppressedSeen += knowledge.attack(`aggregate.csv?by=${by}`).suppressed;
    }
    // The data set is built to need suppression; an attack on nothing proves nothing.
    expect(suppressedSeen).toBeGreaterThan(100);
  });

  it('when all breakdowns are downloaded and combined (linked tables)', async () => {
    const knowledge = new Knowledge();
    for (const by of BREAKDOWNS) learnAggregateCsv(knowledge, await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=${by}`), `aggregate.csv?by=${by}`);
    for (const by of BREAKDOWNS) for (const item of knowledge.rowsOf.keys()) knowledge.fillZeros(item, by ? by.split(',') : []);
    const result = knowledge.attack('all breakdowns combined');
    expect(result.suppressed).toBeGreaterThan(50);
  });

  it('in the dashboard JSON and crosstab.csv, which publish exactly what aggregate.csv publishes', async () => {
    const json = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district,mode`)) as {
      groups: { key: Record<string, string | null> }[];
      items: { key: string; type: string; base: (number | null)[]; options: { code: string; counts: (number | null)[] }[] }[];
    };
    const knowledge = new Knowledge();
    const coordsOf = (g: number) => Object.fromEntries(Object.entries(json.groups[g]!.key).map(([dim, value]) => [dim, value ?? '_all']));
    for (const item of json.items) {
      item.base.forEach((base, g) => knowledge.learn(item.key, item.type === 'number' || item.type === 'text' ? '_n' : '_base', coordsOf(g), base, 'aggregate JSON'));
      for (const option of item.options) option.counts.forEach((n, g) => knowledge.learn(item.key, option.code, coordsOf(g), n, 'aggregate JSON'));
    }
    knowledge.attack('aggregate JSON by district,mode');

    const crosstab = parseCsv(await get(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district,mode&value=n`));
    for (const row of crosstab.slice(1)) {
      const [item, , option] = row;
      if (option === '_mean' || option === '_median') continue;
      const jsonItem = json.items.find((candidate) => candidate.key === item)!;
      const expected =
        option === '_base' || option === '_n' || option === '_answered' ? jsonItem.base : jsonItem.options.find((o) => o.code === option)!.counts;
      expect(row.slice(4), `${item} ${option}`).toEqual(expected.map((value) => (value === null ? '.' : String(value))));
    }
  });

  it('in the returns per district, day, mode and language', async () => {
    const returns = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/returns?target=400`)) as {
      total: number | null;
      districts: { code: string; n: number | null }[];
      days: { day: string; n: number | null; districts: Record<string, number | null> }[];
      modes: { mode: string; n: number | null; districts: Record<string, number | null> }[];
      locales: { locale: string; n: number | null; districts: Record<string, number | null> }[];
    };
    const cells: (number | null)[] = [];
    const add = (value: number | null) => {
      if (value !== null && value >= 1 && value < K) throw new Error(`returns publish a small count ${value}`);
      cells.push(value);
      return cells.length - 1;
    };
    const total = add(returns.total);
    const districtCell = new Map(returns.districts.map((district) => [district.code, add(district.n)]));
    const relations: Relation[] = [{ members: [...districtCell.values()], total }];
    for (const split of [returns.days, returns.modes, returns.locales]) {
      const margins = split.map((entry) => add(entry.n));
      relations.push({ members: margins, total });
      const inner = split.map((entry) => new Map(Object.entries(entry.districts).map(([code, n]) => [code, add(n)])));
      split.forEach((_, i) => relations.push({ members: [...inner[i]!.values()], total: margins[i]! }));
      for (const [code, cell] of districtCell) relations.push({ members: inner.map((map) => map.get(code)!), total: cell });
    }
    expect(recoverSuppressed(cells, relations)).toEqual([]);
    expect(knownSmallSums(cells, relations, K)).toEqual([]);
    expect(cells.filter((cell) => cell === null).length).toBeGreaterThan(0);
  });

  it('in chart images: no count under k in the text, withheld bars marked, real fonts named', async () => {
    const json = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district`)) as { items: { key: string }[] };
    let withheldCharts = 0;
    for (const { key } of json.items) {
      const svg = await get(`/api/analysis/${DATASET_SLUG}/charts/${key}.svg?by=district`);
      expect(svg).toContain('DejaVu Sans');
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
      for (const text of texts) {
        for (const match of text.matchAll(/n = (\d[\d.,\s]*)/g)) {
          const n = Number(match[1]!.replace(/[.,\s]/g, ''));
          expect(n === 0 || n >= K, `${key}: "${text}"`).toBe(true);
        }
      }
      if (texts.includes('zurückgehalten')) withheldCharts += 1;
    }
    expect(withheldCharts).toBeGreaterThan(0);
    const png = await platform.app.request(`/api/analysis/${DATASET_SLUG}/charts/satisfaction_district.png?by=district`, { headers: analyst.headers() });
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(5000);
  });
});
