import { describe, expect, it } from 'vitest';
import { HUMAN_CODE_BITS, hashHumanCode, newHumanCode, normaliseHumanCode } from './human-code.ts';

describe('human-typable codes', () => {
  it('look like XXXX-XXXX-XXXX from an alphabet without I, L, O and U, and carry at least 60 bits', () => {
    expect(HUMAN_CODE_BITS).toBeGreaterThanOrEqual(60);
    for (let i = 0; i < 200; i++) expect(newHumanCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('are not repeated (2,000 draws, all different) and use the whole alphabet', () => {
    const codes = Array.from({ length: 2000 }, newHumanCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
  });

  it('are read back whatever the case, spacing or confusable letters', () => {
    const code = newHumanCode();
    expect(normaliseHumanCode(code)).toBe(code.replace(/-/g, ''));
    expect(normaliseHumanCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''));
    expect(normaliseHumanCode('ABCD-EFGH-JK0I')).toBe('ABCDEFGHJK01');
    expect(normaliseHumanCode('abcd-efgh-jkol')).toBe('ABCDEFGHJK01');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of ['', 'ABCD-EFGH', 'ABCD-EFGH-JKMN-P', 'ABCD-EFGH-JKMU', 'ABCD-EFGH-JKM!']) {
      expect(normaliseHumanCode(bad)).toBeNull();
    }
  });

  it('hash differently for each purpose, so one kind of code never opens the other', () => {
    expect(hashHumanCode('draft', 'ABCDEFGHJK01')).not.toBe(hashHumanCode('contact', 'ABCDEFGHJK01'));
    expect(hashHumanCode('draft', 'ABCDEFGHJK01')).toMatch(/^[0-9a-f]{64}$/);
  });
});
