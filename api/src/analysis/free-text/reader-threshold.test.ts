import { describe, expect, it } from 'vitest';
import { readerSelectionAllowed, type DistrictCount } from './reader-threshold.ts';

const K = 5;
/** Worfelden 12 responses (10 seniors), Klein-Gerau 8 (3 seniors), no district 1. */
const counts: DistrictCount[] = [
  { district: 'worfelden', inGroup: true, n: 10 },
  { district: 'worfelden', inGroup: false, n: 2 },
  { district: 'klein-gerau', inGroup: true, n: 3 },
  { district: 'klein-gerau', inGroup: false, n: 5 },
  { district: '_none', inGroup: false, n: 1 },
];

describe('readerSelectionAllowed', () => {
  it('allows everyone when the survey has k responses, and a district with k whose rest is k too', () => {
    expect(readerSelectionAllowed(counts, { district: null, targetGroup: null }, K)).toBe(true);
    expect(readerSelectionAllowed(counts, { district: 'worfelden', targetGroup: null }, K)).toBe(true);
    expect(readerSelectionAllowed(counts, { district: null, targetGroup: null }, 22)).toBe(false);
  });

  it('refuses a selection of fewer than k responses, and an empty one alike', () => {
    expect(readerSelectionAllowed(counts, { district: '_none', targetGroup: null }, K)).toBe(false);
    expect(readerSelectionAllowed(counts, { district: 'nowhere', targetGroup: null }, K)).toBe(false);
    expect(readerSelectionAllowed(counts, { district: 'klein-gerau', targetGroup: 'seniors' }, K)).toBe(false);
  });

  it('refuses a selection that a wider one exceeds by 1 … k−1 responses (differencing)', () => {
    // Worfelden's seniors are 10, but Worfelden without them is 2 people (and seniors elsewhere 3).
    expect(readerSelectionAllowed(counts, { district: 'worfelden', targetGroup: 'seniors' }, K)).toBe(false);
    // All seniors are 13, everyone 21: the others are 8.
    expect(readerSelectionAllowed(counts, { district: null, targetGroup: 'seniors' }, K)).toBe(true);
    // Worfelden without its seniors is 6 now, but the seniors outside Worfelden are still 3.
    const bigger = counts.map((count) => (count.district === 'worfelden' && !count.inGroup ? { ...count, n: 6 } : count));
    expect(readerSelectionAllowed(bigger, { district: 'worfelden', targetGroup: 'seniors' }, K)).toBe(false);
    const wide = [...bigger.filter((count) => count.district !== 'klein-gerau'), { district: 'klein-gerau', inGroup: true, n: 6 }, { district: 'klein-gerau', inGroup: false, n: 5 }];
    expect(readerSelectionAllowed(wide, { district: 'worfelden', targetGroup: 'seniors' }, K)).toBe(true);
  });
});
