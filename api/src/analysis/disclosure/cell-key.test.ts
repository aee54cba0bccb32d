import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feasibleRange, KEY_MODULUS, noiseFor, perturbationBound, publishCount, showsStatistics } from './cell-key.ts';

describe('cell key perturbation', () => {
  it('publishes 0 for nobody, never 1 … k−1, at most D from the truth, and inside the range it documents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: KEY_MODULUS - 1 }), fc.integer({ min: 3, max: 20 }), (n, key, k) => {
        const published = publishCount(n, key, k);
        expect(published === 0).toBe(n === 0);
        expect(published === 0 || published >= k).toBe(true);
        if (n >= k) expect(Math.abs(published - n)).toBeLessThanOrEqual(perturbationBound(k));
        const { low, high } = feasibleRange(published, k);
        expect(n).toBeGreaterThanOrEqual(low);
        expect(n).toBeLessThanOrEqual(high);
        // A mean is shown only where the published n proves k members.
        if (showsStatistics(published, k)) expect(n).toBeGreaterThanOrEqual(k);
        // The same members, the same number.
        expect(publishCount(n, key, k)).toBe(published);
      }),
      { numRuns: 2000 },
    );
  });

  it('noise is centred, bounded and spread as documented (k = 5: D = 15, sd ≈ 5, |noise| ≥ 12 ≈ 2 %)', () => {
    const k = 5;
    const draws = 200_000;
    let sum = 0;
    let squares = 0;
    let far = 0;
    for (let i = 0; i < draws; i += 1) {
      // Evenly spread cell keys, as sums of random record keys are.
      const noise = noiseFor(Math.floor(((i + 0.5) / draws) * KEY_MODULUS), k);
      expect(Math.abs(noise)).toBeLessThanOrEqual(perturbationBound(k));
      sum += noise;
      squares += noise * noise;
      if (Math.abs(noise) >= 12) far += 1;
    }
    expect(Math.abs(sum / draws)).toBeLessThan(0.01);
    expect(Math.sqrt(squares / draws)).toBeCloseTo(5.05, 1);
    expect(far / draws).toBeCloseTo(0.0219, 3);
  });
});
