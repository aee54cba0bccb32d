import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { parseCsv, parseCsvRecords } from '../../../tests/support/csv-parse.ts';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';

/**
 * The curious analyst: takes every published table (CSV, dashboard JSON, returns, charts) and looks
 * for any count from 1 to k−1, and for a cell published differently in two downloads (which would let
 * averaging or differencing undo the noise). The integer-programming attack on all tables together is
 * disclosure/lp-attack.test.ts.
 */

const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');
const K = 5;
const DIMS = ['district', 'target_group', 'mode', 'locale'] as const;
const BREAKDOWNS = ['', 'district', 'target_group', 'mode', 'locale', 'district,target_group', 'district,mode', 'mode,locale', 'district,target_group,mode'];

let platform: TestPlatform;
let analyst: StaffSession;

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  await insertResponses(platform.database.db, analysisDataset(4711));
  analyst = await loginAsDemo(platform.app, 'analyst');
});
afterAll(async () => {
  await platform?.close();
});

async function get(url: string): Promise<string> {
  const response = await platform.app.request(url, { headers: analyst.headers() });
  expect(response.status, url).toBe(200);
  return response.text();
}

/** What the attacker has collected: cell → published value. */
class Knowledge {
  cells = new Map<string, number>();
  values: Record<string, Set<string>> = { district: new Set(), target_group: new Set(), mode: new Set(), locale: new Set() };
  rowsOf = new Map<string, Set<string>>();

  static key(item: string, row: string, coords: Record<string, string>) {
    return [item, row, ...DIMS.map((dim) => coords[dim] || '_all')].join('|');
  }

  learn(item: string, row: string, coords: Record<string, string>, value: number, source: string) {
    const key = Knowledge.key(item, row, coords);
    const known = this.cells.get(key);
    expect(Number.isInteger(value), `${source}: ${key} = ${value}`).toBe(true);
    if (known !== undefined) expect(value, `${source}: ${key} published twice differently`).toBe(known);
    if (value >= 1 && value < K) throw new Error(`${source}: published a small count ${value} at ${key}`);
    if (known === undefined) this.cells.set(key, value);
    for (const dim of DIMS) if (coords[dim] && coords[dim] !== '_all') this.values[dim]!.add(coords[dim]!);
    let rows = this.rowsOf.get(item);
    if (!rows) this.rowsOf.set(item, (rows = new Set()));
    rows.add(row);
  }

  /** Cells published as exactly k: each may hide a count from 1 to k−1 (or be k … k + D). */
  atFloor() {
    return [...this.cells.values()].filter((value) => value === K).length;
  }
}

function learnAggregateCsv(knowledge: Knowledge, text: string, source: string) {
  for (const record of parseCsvRecords(text)) {
    const coords = Object.fromEntries(DIMS.map((dim) => [dim, record[dim]!]));
    const number = (value: string) => Number(value);
    if (record.option === '') {
      knowledge.learn(record.question!, '_n', coords, number(record.n!), source);
    } else {
      knowledge.learn(record.question!, record.option!, coords, number(record.n!), source);
      knowledge.learn(record.question!, '_base', coords, number(record.base!), source);
    }
  }
}

describe('the published numbers hold no small count and never disagree', () => {
  it('in aggregate.csv, breakdown by breakdown and all breakdowns together', async () => {
    const together = new Knowledge();
    for (const by of BREAKDOWNS) {
      const text = await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=${by}`);
      learnAggregateCsv(new Knowledge(), text, `aggregate.csv?by=${by}`);
      learnAggregateCsv(together, text, `aggregate.csv?by=${by}`);
    }
    // A repeat gives the very same numbers (the noise is a function of the cell's members).
    learnAggregateCsv(together, await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district,target_group,mode`), 'repeat');
    // The data set is built with small cells; a check on nothing proves nothing.
    expect(together.atFloor()).toBeGreaterThan(100);
  });

  it('in the dashboard JSON and crosstab.csv, which publish exactly what aggregate.csv publishes', async () => {
    const json = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/aggregate?by=district,mode`)) as {
      groups: { key: Record<string, string | null> }[];
      items: { key: string; type: string; base: number[]; options: { code: string; counts: number[] }[] }[];
    };
    const knowledge = new Knowledge();
    learnAggregateCsv(knowledge, await get(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=district,mode`), 'aggregate.csv');
    const coordsOf = (g: number) => Object.fromEntries(Object.entries(json.groups[g]!.key).map(([dim, value]) => [dim, value ?? '_all']));
    for (const item of json.items) {
      item.base.forEach((base, g) => knowledge.learn(item.key, item.type === 'number' || item.type === 'text' ? '_n' : '_base', coordsOf(g), base, 'aggregate JSON'));
      for (const option of item.options) option.counts.forEach((n, g) => knowledge.learn(item.key, option.code, coordsOf(g), n, 'aggregate JSON'));
    }

    const crosstab = parseCsv(await get(`/api/analysis/${DATASET_SLUG}/crosstab.csv?by=district,mode&value=n`));
    for (const row of crosstab.slice(1)) {
      const [item, , option] = row;
      if (option === '_mean' || option === '_median') continue;
      const jsonItem = json.items.find((candidate) => candidate.key === item)!;
      const expected =
        option === '_base' || option === '_n' || option === '_answered' ? jsonItem.base : jsonItem.options.find((o) => o.code === option)!.counts;
      expect(row.slice(5), `${item} ${option}`).toEqual(expected.map((value) => String(value)));
    }
  });

  it('in the returns per district, day, mode and language', async () => {
    const returns = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/returns?target=400`)) as {
      total: number;
      districts: { code: string; n: number }[];
      days: { day: string; n: number; districts: Record<string, number> }[];
      modes: { mode: string; n: number; districts: Record<string, number> }[];
      locales: { locale: string; n: number; districts: Record<string, number> }[];
    };
    const cells = [returns.total, ...returns.districts.map((district) => district.n)];
    for (const split of [returns.days, returns.modes, returns.locales]) for (const entry of split) cells.push(entry.n, ...Object.values(entry.districts));
    for (const cell of cells) expect(cell === 0 || cell >= K, `returns publish a small count ${cell}`).toBe(true);
    expect(cells.filter((cell) => cell === K).length).toBeGreaterThan(0);
    // The same respondents give the same number as in aggregate.csv: a district's returns are the
    // respondents in it, whatever they answered (the returns' locale margin is aggregate.csv's too).
    const again = JSON.parse(await get(`/api/analysis/${DATASET_SLUG}/returns`)) as typeof returns;
    expect(again.districts).toEqual(returns.districts.map((district) => ({ ...district, target: null })));
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
