import { describe, expect, it } from 'vitest';
import { chooseLocale } from './locale-choice.ts';

describe('chooseLocale', () => {
  it('takes ?lang= before an earlier choice and the browser', () => {
    expect(chooseLocale({ query: 'tr', stored: 'ar', browser: ['ru'] })).toBe('tr');
  });

  it('takes the remembered choice before the browser languages', () => {
    expect(chooseLocale({ query: null, stored: 'de-x-easy', browser: ['en-GB'] })).toBe('de-x-easy');
  });

  it('ignores unsupported values and falls through to the browser, region subtags included', () => {
    expect(chooseLocale({ query: 'xx', stored: 'klingon', browser: ['fr-FR', 'uk-UA', 'de'] })).toBe('uk');
  });

  it('falls back to German when nothing matches', () => {
    expect(chooseLocale({ query: null, stored: null, browser: ['fr', 'es'] })).toBe('de');
    expect(chooseLocale({ query: null, stored: null, browser: [] })).toBe('de');
  });
});
