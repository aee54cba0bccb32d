import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_SURVEYS_DIR } from '../../../tests/support/test-platform.ts';
import { bidiControlsBalanced, checkInstrumentSource, sentencesOf } from './definition-check.ts';

const baselineSource = fs.readFileSync(path.join(REAL_SURVEYS_DIR, 'resident-baseline.json'), 'utf8');

/** A deep copy of the real baseline questionnaire, changed by `edit`, as the checker would read it. */
function brokenBaseline(edit: (file: any) => void): string {
  const file = JSON.parse(baselineSource);
  edit(file);
  return JSON.stringify(file);
}

function firstQuestion(file: any, predicate: (q: any) => boolean): any {
  for (const page of file.definition.pages) {
    const found = (page.elements ?? []).find(predicate);
    if (found) return found;
  }
  throw new Error('no such question in the baseline');
}

const lintsOf = (source: string) => checkInstrumentSource(source).problems.filter((p) => p.severity === 'lint');

describe('instrument checker', () => {
  it('passes the real baseline questionnaire', () => {
    expect(checkInstrumentSource(baselineSource).problems).toEqual([]);
  });

  it('fails a copy with a question title missing a declared locale, naming the question', () => {
    let name = '';
    const source = brokenBaseline((file) => {
      const question = firstQuestion(file, (q) => typeof q.title === 'object');
      name = question.name;
      delete question.title.tr;
    });
    expect(lintsOf(source)).toContainEqual({ severity: 'lint', where: `question ${name}`, message: 'title has no text in tr' });
  });

  it('fails a copy with a choice that has no text in a locale', () => {
    let name = '';
    let value = '';
    const source = brokenBaseline((file) => {
      const question = firstQuestion(file, (q) => Array.isArray(q.choices) && q.choices.length > 0);
      name = question.name;
      value = question.choices[0].value;
      delete question.choices[0].text.uk;
    });
    const lints = lintsOf(source);
    expect(lints).toHaveLength(1);
    expect(lints[0]).toMatchObject({ where: `question ${name}` });
    expect(lints[0]!.message).toBe(`choices item "${value}" has no text in uk`);
  });

  it('fails a copy whose Leichte Sprache sentence runs over 15 words', () => {
    let name = '';
    const source = brokenBaseline((file) => {
      const question = firstQuestion(file, (q) => typeof q.title === 'object');
      name = question.name;
      question.title['de-x-easy'] =
        'Bitte sagen Sie uns heute hier auf dieser Seite ganz genau und ehrlich was Sie über Ihren Ortsteil denken.';
    });
    const lints = lintsOf(source);
    expect(lints).toHaveLength(1);
    expect(lints[0]).toMatchObject({ where: `question ${name}` });
    expect(lints[0]!.message).toMatch(/Leichte Sprache\): sentence has 19 words, at most 15/);
  });

  it('fails a copy whose Leichte Sprache question has more than 3 sentences', () => {
    const source = brokenBaseline((file) => {
      const question = firstQuestion(file, (q) => typeof q.title === 'object');
      question.title['de-x-easy'] = 'Das ist Satz 1. Das ist Satz 2.';
      question.description = { ...Object.fromEntries(file.locales.map((l: string) => [l === 'de' ? 'default' : l, 'Text.'])), 'de-x-easy': 'Satz 3. Satz 4.' };
    });
    expect(lintsOf(source).map((p) => p.message)).toContainEqual(expect.stringMatching(/have 4 sentences, at most 3/));
  });

  it('fails a copy with unbalanced bidi controls in Arabic', () => {
    const source = brokenBaseline((file) => {
      const question = firstQuestion(file, (q) => typeof q.title === 'object');
      question.title.ar = `\u202B${question.title.ar}`;
    });
    expect(lintsOf(source).map((p) => p.message)).toContainEqual(expect.stringMatching(/\(ar\): unbalanced bidi control characters/));
  });

  it('fails a copy that uses a question name twice', () => {
    const source = brokenBaseline((file) => {
      const [first, second] = file.definition.pages[0].elements;
      second.name = first.name;
    });
    expect(checkInstrumentSource(source).problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/name is used twice/));
  });

  it('counts sentences and bidi pairs the way the rules mean', () => {
    expect(sentencesOf('Sie wohnen hier. Sie sind 35 Jahre alt! Stimmt das?')).toHaveLength(3);
    expect(sentencesOf('Wichtig: Sie können aufhören.')).toHaveLength(2);
    expect(bidiControlsBalanced('\u2067abc\u2069 \u202Bdef\u202C')).toBe(true);
    expect(bidiControlsBalanced('\u2067abc\u202C')).toBe(false);
    expect(bidiControlsBalanced('abc\u2069')).toBe(false);
  });
});
