import { describe, expect, it } from 'vitest';
import { firstStrongDirection, visualRuns } from './bidi-runs.ts';

// The runs a letter line is drawn from, left to right on the page.
const drawn = (line: string, direction: 'ltr' | 'rtl') => visualRuns(line, direction).map((run) => [run.text, run.rtl]);

describe('a line of a letter in visual order', () => {
  it('keeps a left-to-right line as one run', () => {
    expect(drawn('Einladung: Beteiligungscafé', 'ltr')).toEqual([['Einladung: Beteiligungscafé', false]]);
  });

  it('puts a German name inside an Arabic sentence where a reader of Arabic expects it', () => {
    // Logical: "welcome to Musterstadt today" → drawn: "today" left, the name, "welcome to" right.
    // (A right-to-left run keeps its characters in logical order: the font engine turns it round.)
    expect(drawn('مرحبا في Musterstadt اليوم', 'rtl')).toEqual([
      [' اليوم', true],
      ['Musterstadt', false],
      ['مرحبا في ', true],
    ]);
  });

  it('leaves numbers in an Arabic line left to right', () => {
    expect(drawn('متى: 3 ديسمبر 2026', 'rtl')).toEqual([
      ['2026', false],
      [' ديسمبر ', true],
      ['3', false],
      ['متى: ', true],
    ]);
  });

  it('hands Persian digits reversed, for the font engine that turns an Arabic-script run around', () => {
    expect(drawn('۱۴۰۵', 'ltr')).toEqual([['۵۰۴۱', false]]);
  });

  it('takes a line’s direction from its first strong character', () => {
    expect(firstStrongDirection('+49 6152 1234')).toBe('ltr');
    expect(firstStrongDirection('  أين: Bürgerhaus')).toBe('rtl');
    expect(firstStrongDirection('Wir reden (Nord).')).toBe('ltr');
  });
});
