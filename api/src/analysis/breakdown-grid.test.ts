import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDataset, DATASET_SLUG } from '../../../tests/support/analysis-dataset.ts';
import { parseCsv } from '../../../tests/support/csv-parse.ts';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, REPO_ROOT, type TestPlatform } from '../../../tests/support/test-platform.ts';
import {
  buildBreakdownGrid,
  defaultOption,
  groupedBars,
  GridInputError,
  sortRows,
  TOTAL_COLUMN,
  type AggregateResponse,
  type BreakdownGrid,
  type GridOptions,
} from '../shared/breakdown-grid.ts';

// The breakdown grid's model (shared/breakdown-grid.ts) read from the server's own answer: every
// cell is the share the aggregate published, withheld stays withheld, empty groups fold away,
// sorting reorders rows and nothing else; the grid image and the CSV carry the same numbers.
const SURVEYS = path.join(REPO_ROOT, 'tests/fixtures/analysis-surveys');

let platform: TestPlatform;
let analyst: StaffSession;
let response: AggregateResponse;
let weightedResponse: AggregateResponse;

async function json<T>(url: string): Promise<T> {
  const answer = await platform.app.request(url, { headers: analyst.headers() });
  expect(answer.status, url).toBe(200);
  return (await answer.json()) as T;
}

beforeAll(async () => {
  platform = await openTestPlatform({ surveysDir: SURVEYS });
  analyst = await loginAsDemo(platform.app, 'analyst');
  await insertResponses(platform.database.db, analysisDataset());
  response = await json(`/api/analysis/${DATASET_SLUG}/aggregate?by=target_group,district&question=children`);
  weightedResponse = await json(`/api/analysis/${DATASET_SLUG}/aggregate?by=target_group,district&question=children&weights=raked`);
});
afterAll(async () => {
  await platform?.close();
});

const options = (overrides: Partial<GridOptions> = {}): GridOptions => ({
  rows: 'target_group',
  columns: 'district',
  option: 'yes',
  weighted: false,
  showEmpty: false,
  sort: null,
  ...overrides,
});

/** The group index of (row, column) in the server's answer; null = the margin. */
const groupOf = (row: string | null, column: string | null) =>
  response.groups.findIndex((group) => (group.key.target_group ?? null) === row && (group.key.district ?? null) === column);

describe('the breakdown grid from the aggregate JSON', () => {
  it('the server names each dimension value with its label, in its order', () => {
    expect(response.by).toEqual(['target_group', 'district']);
    expect(response.dimensions.district!.map((value) => value.code)).toEqual(['buettelborn', 'klein-gerau', 'worfelden', '_none']);
    expect(response.dimensions.district![0]!.label).toBe('Büttelborn');
    expect(response.dimensions.target_group!.length).toBeGreaterThan(7);
  });

  it('shows in each cell exactly the share the server published, withheld where it sent none, the margins first', () => {
    const grid = buildBreakdownGrid(response, 'children', options());
    const item = response.items[0]!;
    const yes = item.options.find((option) => option.code === 'yes')!;
    expect(grid.columns[0]!.code).toBeNull();
    expect(grid.total.code).toBeNull();
    let values = 0;
    let withheld = 0;
    for (const row of [grid.total, ...grid.rows]) {
      grid.columns.forEach((column, c) => {
        const g = groupOf(row.code, column.code);
        const cell = row.cells[c]!;
        const share = yes.shares![g] ?? null;
        if (item.base[g] === 0) expect(cell).toEqual({ state: 'empty' });
        else if (share === null) expect(cell).toEqual({ state: 'withheld', n: item.base[g] });
        else expect(cell).toEqual({ state: 'value', share, ciLow: null, ciHigh: null, n: item.base[g] });
        if (cell.state === 'value') values += 1;
        if (cell.state === 'withheld') withheld += 1;
      });
    }
    // The data set has both: Worfelden and the few without district are too small for shares.
    expect(values).toBeGreaterThan(5);
    expect(withheld).toBeGreaterThan(3);
  });

  it('folds away groups in which nobody answered (the interview target groups), and shows them on request', () => {
    const folded = buildBreakdownGrid(response, 'children', options());
    const all = buildBreakdownGrid(response, 'children', options({ showEmpty: true }));
    const empty = response.dimensions.target_group!.filter(({ code }) => response.items[0]!.base[groupOf(code, null)] === 0).map(({ code }) => code);
    expect(empty.length).toBeGreaterThan(0);
    // The interview guide's groups, and one whose question the fixture does not ask, have nobody in them.
    expect(empty).toEqual(['migration_history', 'interview_education', 'interview_religious_communities', 'interview_civil_society', 'interview_administration_politics', 'interview_residents']);
    expect(folded.rows.map((row) => row.code)).toEqual(response.dimensions.target_group!.map(({ code }) => code).filter((code) => !empty.includes(code)));
    expect(folded.hiddenRows).toBe(empty.length);
    expect(all.rows).toHaveLength(response.dimensions.target_group!.length);
    expect(all.rows.filter((row) => row.empty).map((row) => row.code)).toEqual(empty);
    expect(all.rows.find((row) => row.empty)!.cells.every((cell) => cell.state === 'empty')).toBe(true);
    expect(all.hiddenRows).toBe(0);
    // Every district has respondents: no column folds.
    expect(folded.hiddenColumns).toBe(0);
  });

  it('sorts the rows by a column, largest first, withheld and empty cells last, the total row staying on top', () => {
    const plain = buildBreakdownGrid(response, 'children', options());
    const sorted = buildBreakdownGrid(response, 'children', options({ sort: { by: 'buettelborn', direction: 'descending' } }));
    expect(sorted.total).toEqual(plain.total);
    expect([...sorted.rows].sort((a, b) => a.label.localeCompare(b.label))).toEqual([...plain.rows].sort((a, b) => a.label.localeCompare(b.label)));
    const column = sorted.columns.findIndex((candidate) => candidate.code === 'buettelborn');
    const shares = sorted.rows.map((row) => row.cells[column]!).map((cell) => (cell.state === 'value' ? cell.share : null));
    const firstGap = shares.indexOf(null);
    const numbers = (firstGap < 0 ? shares : shares.slice(0, firstGap)) as number[];
    expect(numbers.length).toBeGreaterThan(2);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    if (firstGap >= 0) expect(shares.slice(firstGap).every((share) => share === null)).toBe(true);
    const ascending = buildBreakdownGrid(response, 'children', options({ sort: { by: TOTAL_COLUMN, direction: 'ascending' } }));
    const totals = ascending.rows.map((row) => row.cells[0]!).filter((cell) => cell.state === 'value').map((cell) => (cell.state === 'value' ? cell.share : 0));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    const byLabel = buildBreakdownGrid(response, 'children', options({ sort: { by: 'label', direction: 'ascending' } }));
    const labels = byLabel.rows.map((row) => row.label);
    expect(labels).toEqual([...labels].sort(new Intl.Collator('de').compare));
  });

  it('keeps ties and gaps in the server order', () => {
    const cell = (share: number | null) => (share === null ? ({ state: 'withheld', n: 5 } as const) : ({ state: 'value', share, ciLow: null, ciHigh: null, n: 40 } as const));
    const rows = [
      { code: 'a', label: 'A', empty: false, cells: [cell(0.5)] },
      { code: 'b', label: 'B', empty: false, cells: [cell(null)] },
      { code: 'c', label: 'C', empty: false, cells: [cell(0.7)] },
      { code: 'd', label: 'D', empty: false, cells: [cell(0.5)] },
      { code: 'e', label: 'E', empty: false, cells: [{ state: 'empty' as const }] },
    ];
    const columns = [{ code: null, label: 'Total', empty: false }];
    const order = (direction: 'ascending' | 'descending') => sortRows(rows, columns, { by: TOTAL_COLUMN, direction }).map((row) => row.code);
    expect(order('descending')).toEqual(['c', 'a', 'd', 'b', 'e']);
    expect(order('ascending')).toEqual(['a', 'd', 'c', 'b', 'e']);
  });

  it('weighted: the raked share and its interval as served; a group without an estimate stays withheld', () => {
    const grid = buildBreakdownGrid(weightedResponse, 'children', options({ weighted: true }));
    const yes = weightedResponse.items[0]!.options.find((option) => option.code === 'yes')!;
    expect(grid.weighted).toBe(true);
    const g = weightedResponse.groups.findIndex((group) => group.key.target_group === null && group.key.district === null);
    const estimate = yes.weighted![g]!;
    expect(grid.total.cells[0]).toEqual({ state: 'value', share: estimate.share, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh, n: weightedResponse.items[0]!.base[g] });
    const cells = [grid.total, ...grid.rows].flatMap((row) => row.cells);
    expect(cells.some((cell) => cell.state === 'withheld')).toBe(true);
    // Asking for weights of an unweighted answer shows the unweighted shares, never made-up ones.
    expect(buildBreakdownGrid(response, 'children', options({ weighted: true })).weighted).toBe(false);
  });

  it('refuses what is no grid: one dimension twice, a dimension not in the answer, an unknown option, a number question', async () => {
    expect(() => buildBreakdownGrid(response, 'children', options({ columns: 'target_group' }))).toThrow(GridInputError);
    expect(() => buildBreakdownGrid(response, 'children', options({ columns: 'mode' }))).toThrow(GridInputError);
    expect(() => buildBreakdownGrid(response, 'children', options({ option: 'maybe' }))).toThrow(GridInputError);
    const numbers: AggregateResponse = await json(`/api/analysis/${DATASET_SLUG}/aggregate?by=target_group,district&question=age`);
    expect(() => buildBreakdownGrid(numbers, 'age', options())).toThrow(GridInputError);
  });

  it('opens on the option with the largest published total share', () => {
    const item = response.items[0]!;
    const best = [...item.options].filter((option) => option.shares![0] !== null).sort((a, b) => b.shares![0]! - a.shares![0]!)[0]!;
    expect(defaultOption(item, false)).toBe(best.code);
  });

  it('grouped bars: per district every option, from the margin over all target groups', () => {
    const bars = groupedBars(response, 'children', 'district', false);
    const item = response.items[0]!;
    expect(bars.groups[0]!.code).toBeNull();
    for (const group of bars.groups) {
      const g = groupOf(null, group.code);
      group.cells.forEach((cell, o) => {
        const share = item.options[o]!.shares![g] ?? null;
        expect(cell.state === 'value' ? cell.share : null).toBe(share);
      });
    }
    expect(bars.groups.map((group) => group.code)).toEqual([null, 'buettelborn', 'klein-gerau', 'worfelden', '_none']);
  });
});

describe('the grid as image and as CSV', () => {
  it('the grid image (layout=grid) shows the same grid: same numbers, same folding and order', async () => {
    const url = `/api/analysis/${DATASET_SLUG}/charts/children.json?by=target_group,district&layout=grid&option=yes&sort=buettelborn:desc`;
    const image: BreakdownGrid = await json(url);
    expect(image).toEqual(buildBreakdownGrid(response, 'children', options({ sort: { by: 'buettelborn', direction: 'descending' } })));
    const svg = await platform.app.request(url.replace('.json', '.svg'), { headers: analyst.headers() });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    const format = new Intl.NumberFormat('de', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    for (const row of [image.total, ...image.rows]) {
      expect(text).toContain(row.label.replace(/&/g, '&amp;').slice(0, 20));
      for (const cell of row.cells) if (cell.state === 'value') expect(text).toContain(`${format.format(cell.share * 100)} %`);
    }
    const rowsInOrder = image.rows.map((row) => text.indexOf(`>${row.label.slice(0, 15)}`));
    expect(rowsInOrder).toEqual([...rowsInOrder].sort((a, b) => a - b));
    const png = await platform.app.request(url.replace('.json', '.png'), { headers: analyst.headers() });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect((await png.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('refuses a grid image of one dimension, of an unknown option, of a bad sort', async () => {
    for (const query of ['by=district&layout=grid', 'by=target_group,district&layout=grid&option=maybe', 'by=target_group,district&layout=grid&sort=up', 'by=target_group,district&layout=mosaic']) {
      const answer = await platform.app.request(`/api/analysis/${DATASET_SLUG}/charts/children.svg?${query}`, { headers: analyst.headers() });
      expect(answer.status, query).toBe(400);
    }
  });

  it('aggregate.csv?question= gives that question alone, with the grid cells\' shares', async () => {
    const answer = await platform.app.request(`/api/analysis/${DATASET_SLUG}/aggregate.csv?by=target_group,district&question=children`, { headers: analyst.headers() });
    expect(answer.status).toBe(200);
    const [header, ...records] = parseCsv(await answer.text());
    const column = (name: string) => header!.indexOf(name);
    expect(new Set(records.map((record) => record[column('question')]))).toEqual(new Set(['children']));
    const grid = buildBreakdownGrid(response, 'children', options());
    for (const row of [grid.total, ...grid.rows]) {
      grid.columns.forEach((gridColumn, c) => {
        const cell = row.cells[c]!;
        const record = records.find(
          (candidate) =>
            candidate[column('option')] === 'yes' &&
            candidate[column('target_group')] === (row.code ?? '_all') &&
            candidate[column('district')] === (gridColumn.code ?? '_all'),
        );
        if (cell.state === 'empty') expect(record).toBeUndefined();
        else if (cell.state === 'withheld') expect(record?.[column('suppressed')]).toBe('1');
        else expect(Number(record?.[column('share')])).toBeCloseTo(cell.share, 4);
      });
    }
  });
});
