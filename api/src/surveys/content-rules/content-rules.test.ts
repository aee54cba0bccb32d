import { describe, expect, it } from 'vitest';
import type { InstrumentFile } from '../instrument-file.ts';
import { checkContent } from './index.ts';
import { easyFigures } from './easy-language.ts';
import { estimateCompletion } from './reading-time.ts';

const LOCALES = ['de', 'de-x-easy', 'en'] as const;
const text = (de: string, easy: string, en = 'x') => ({ default: de, 'de-x-easy': easy, en });

function instrument(elements: unknown[], extra: Partial<InstrumentFile> = {}): InstrumentFile {
  return {
    kind: 'resident',
    locales: [...LOCALES],
    translationStatus: { de: 'reviewed', 'de-x-easy': 'draft', en: 'draft' },
    definition: { pages: [{ name: 'p', elements }] },
    ...extra,
  };
}
const rulesOf = (file: InstrumentFile, others: { file: string; instrument: InstrumentFile }[] = []) =>
  checkContent([{ file: 'a.json', instrument: file }, ...others], null).findings.map((found) => `${found.rule} ${found.where} ${found.locale ?? '-'}`);

describe('content rules', () => {
  it('finds each Leichte Sprache problem, in every text including descriptions and validator messages', () => {
    const found = rulesOf(instrument([
      { type: 'text', name: 'q1', title: text('T', 'Das ist ein sehr langer Satz mit viel mehr als zwölf Wörtern in einer Zeile hier.'),
        validators: [{ type: 'numeric', text: text('V', 'Die Zahl wurde falsch geschrieben.') }] },
      { type: 'comment', name: 'q2', title: text('T', 'Wir würden gern mit·machen. Das ist gut.'), description: text('D', 'Das Netz-Werk der Stadt ist nicht z.B. klein.') },
    ]));
    expect(found).toEqual(expect.arrayContaining([
      'easy.sentence-length question q1 de-x-easy',
      'easy.passive question q1 de-x-easy',
      'easy.subjunctive question q2 de-x-easy',
      'easy.one-sentence-per-line question q2 de-x-easy',
      'easy.negation question q2 de-x-easy',
      'easy.genitive question q2 de-x-easy',
      'easy.abbreviation question q2 de-x-easy',
      'easy.compound-break question q2 de-x-easy',
    ]));
  });

  it('finds a scale translated two ways, a checkbox without "none", and "other" without a text field', () => {
    const scale = (easyMid: string) => [1, 2, 3].map((value) => ({ value, text: text(`P${value}`, value === 2 ? easyMid : `E${value}`) }));
    const found = rulesOf(instrument([
      { type: 'rating', name: 'r1', rateValues: scale('Teils, teils') },
      { type: 'rating', name: 'r2', rateValues: scale('Mittel') },
      { type: 'checkbox', name: 'c1', title: text('T', 'T'), choices: [{ value: 'a', text: text('A', 'A') }, { value: 'other', text: text('Anderes', 'Anderes') }] },
    ]));
    expect(found).toEqual(expect.arrayContaining([
      'scale.locale-labels question r2 de-x-easy',
      'scale.label-translation question r2 de-x-easy',
      'checkbox.exclusive-none question c1 -',
      'choice.other-without-text question c1 -',
    ]));
  });

  it('finds a code whose label differs between instruments', () => {
    const choice = (label: string) => [{ type: 'radiogroup', name: 'k', title: text('T', 'T'), choices: [{ value: 'school', text: text(label, 'Schule') }] }];
    const found = checkContent([{ file: 'a.json', instrument: instrument(choice('Schule')) }, { file: 'b.json', instrument: instrument(choice('Schulen')) }], null).findings;
    expect(found.map((item) => `${item.rule} ${item.file} ${item.locale}`)).toEqual(['choice.label-across-instruments b.json de']);
  });

  it('does not repeat a warning a reviewer accepted, and never lets an error be accepted', () => {
    const elements = [{ type: 'comment', name: 'q', title: text('T', 'Ich weiß es nicht. Das ist nicht gut.') }];
    const accepted = instrument(elements, { acceptedWarnings: [
      { rule: 'easy.negation', reason: 'opt-out wording' },
      { rule: 'easy.one-sentence-per-line', reason: 'tried to accept an error' } as never,
    ] });
    expect(rulesOf(accepted)).toEqual(['easy.one-sentence-per-line question q de-x-easy']);
  });

  it('computes LIX as words per sentence plus the share of long words', () => {
    const figures = easyFigures([{ where: 'survey', property: 'title', byLocale: { 'de-x-easy': 'Wir wohnen hier.\nDie Nachbarschaft hilft.' } }]);
    // 6 words, 2 sentences, 1 word longer than six letters (Nachbarschaft): 3 + 100 · 1/6.
    expect(figures).toMatchObject({ sentences: 2, words: 6, longWords: 1, lix: Math.round((3 + 100 / 6) * 10) / 10 });
  });
  it('counts what the shortest and the longest path read and answer, and warns when the promised minutes are off', () => {
    const questions = [
      { type: 'radiogroup', name: 'q1', title: text('Eins zwei drei', 'Eins'), choices: [{ value: 'a', text: text('ja bitte', 'ja') }, { value: 'b', text: text('nein', 'nein') }] },
      { type: 'comment', name: 'q2', title: text('Vier fünf', 'Vier') },
      { type: 'checkbox', name: 'q3', visibleIf: "{q1} = 'a'", title: text('Sechs', 'Sechs'), choices: ['x', 'y'] },
    ];
    const estimate = estimateCompletion({ description: text('Das dauert 1 Minuten.', 'Kurz.'), pages: [{ name: 'p', title: text('Seite', 'Seite'), elements: questions }] }, 'de');
    // Shortest: description (4) + page title (1) + q1 (3 + 3) + q2 (2); answering q1 only (open text stays empty).
    expect(estimate.shortest).toEqual({ questions: 2, words: 13, answerSeconds: 4 });
    // Longest adds the conditional checkbox (1 + 2 words, 8 s) and one minute of writing.
    expect(estimate.longest).toEqual({ questions: 3, words: 16, answerSeconds: 4 + 60 + 8 });

    const many = Array.from({ length: 40 }, (_, i) => ({ type: 'checkbox', name: `c${i}`, title: text('Was passt?', 'Was passt?'), choices: ['a', 'b'] }));
    const promise = (minutes: string) =>
      rulesOf({ ...instrument(many), definition: { description: text(`Das dauert ${minutes} Minuten.`, `Das dauert ${minutes} Minuten.`), pages: [{ name: 'p', elements: many }] } })
        .filter((found) => found.startsWith('duration.'));
    expect(promise('1 bis 2')).toEqual(['duration.stated survey de', 'duration.stated survey de-x-easy']);
    expect(promise('5 bis 10')).toEqual([]);
  });
});
