import { describe, expect, it } from 'vitest';
import { formatDate } from './town.ts';

describe('deletion dates as residents read them', () => {
  it('gives Farsi the Gregorian date (the legal one) in Persian digits and month names', () => {
    const text = formatDate('2028-12-31', 'fa');
    expect(text).toContain('۲۰۲۸');
    expect(text).toContain('۳۱');
    expect(text).toContain('دسامبر');
    // The Solar Hijri year for that day would be 1407.
    expect(text).not.toContain('۱۴۰۷');
  });

  it('ends a Ukrainian date without a full stop, so the sentence does not end in two', () => {
    const text = formatDate('2028-12-31', 'uk');
    // ICU separates the year and the word with a no-break space.
    expect(text).toMatch(/^31 грудня 2028\sроку$/u);
    expect(`до ${text}.`).not.toMatch(/\.\.$/);
  });

  it('writes German for Leichte Sprache and keeps other locales as Intl writes them', () => {
    expect(formatDate('2028-12-31', 'de-x-easy')).toBe('31. Dezember 2028');
    expect(formatDate('2028-12-31', 'en')).toBe('December 31, 2028');
  });
});
