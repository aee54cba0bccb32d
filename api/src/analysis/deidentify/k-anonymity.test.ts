import { describe, expect, it } from 'vitest';
import { WITHHELD, withholdUntilKAnonymous } from './k-anonymity.ts';

describe('withholdUntilKAnonymous', () => {
  it('withholds in the given order, only for the records of small groups, and leaves out who stays alone', () => {
    // district, age band: four in Nord aged 30–44, one of them 75+ alone; two lonely ones in Süd.
    const records = [
      ['nord', '30-44'], ['nord', '30-44'], ['nord', '30-44'], ['nord', '30-44'],
      ['nord', '75+'],
      ['sued', '16-20'],
    ];
    const result = withholdUntilKAnonymous(records, [1, 0], 2);
    // Age band first: withheld, the two are still alone (Nord and Süd); then the district: now they are a pair.
    expect(result.released).toEqual([
      ['nord', '30-44'], ['nord', '30-44'], ['nord', '30-44'], ['nord', '30-44'],
      [WITHHELD, WITHHELD],
      [WITHHELD, WITHHELD],
    ]);
    expect(result.withheldPerDimension).toEqual([2, 2]);
    expect(result.omitted).toBe(0);
    // With k = 3 the two that are left with everything withheld are still too few: they are left out.
    const strict = withholdUntilKAnonymous(records, [1, 0], 3);
    expect(strict.released.slice(4)).toEqual([null, null]);
    expect(strict.omitted).toBe(2);
  });

  it('keeps a value where the group is big enough after the earlier dimensions were withheld', () => {
    const records = [['a', 'x'], ['a', 'y'], ['a', 'z'], ['b', 'x'], ['b', 'x']];
    const result = withholdUntilKAnonymous(records, [1, 0], 2);
    expect(result.released).toEqual([['a', WITHHELD], ['a', WITHHELD], ['a', WITHHELD], ['b', 'x'], ['b', 'x']]);
  });
});
