import { describe, expect, it } from 'vitest';
import { gridDownloads, nextSort, type GridState } from './breakdown-grid.ts';

// What a header press does to the sort, and that the buttons beside the grid ask the server for
// the grid as shown (rows, columns, option, weights, intervals, folding, order).
describe('breakdown grid controls', () => {
  it('a column sorts largest first, then smallest first, then back to the server order; the row heading A–Z first', () => {
    let sort = nextSort(null, 'buettelborn');
    expect(sort).toEqual({ by: 'buettelborn', direction: 'descending' });
    sort = nextSort(sort, 'buettelborn');
    expect(sort).toEqual({ by: 'buettelborn', direction: 'ascending' });
    expect(nextSort(sort, 'buettelborn')).toBeNull();
    expect(nextSort(sort, '_total')).toEqual({ by: '_total', direction: 'descending' });
    expect(nextSort(null, 'label')).toEqual({ by: 'label', direction: 'ascending' });
    expect(nextSort({ by: 'label', direction: 'ascending' }, 'label')).toEqual({ by: 'label', direction: 'descending' });
  });

  it('the image and CSV links carry the grid as shown', () => {
    const state: GridState = { rows: 'target_group', columns: 'district', option: 'yes', showInterval: true, showEmpty: true, sort: { by: 'worfelden', direction: 'ascending' } };
    const weighted = gridDownloads('baseline', 'children', state, true, 'de');
    const png = new URL(weighted.png, 'http://x');
    expect(png.pathname).toBe('/api/analysis/baseline/charts/children.png');
    expect(Object.fromEntries(png.searchParams)).toEqual({ by: 'target_group,district', layout: 'grid', lang: 'de', option: 'yes', weights: 'raked', ci: 'show', empty: 'show', sort: 'worfelden:asc' });
    const csv = new URL(weighted.csv, 'http://x');
    expect(csv.pathname).toBe('/api/analysis/baseline/aggregate.csv');
    expect(Object.fromEntries(csv.searchParams)).toEqual({ by: 'target_group,district', question: 'children', dialect: 'excel-de', lang: 'de', weights: 'raked' });
    // Unweighted: no weights, and no intervals (the unweighted aggregate has none).
    const plain = new URL(gridDownloads('baseline', 'children', { ...state, sort: null, showEmpty: false }, false, 'en').svg, 'http://x');
    expect(Object.fromEntries(plain.searchParams)).toEqual({ by: 'target_group,district', layout: 'grid', lang: 'en', option: 'yes' });
  });
});
