import bidiModule, { type Bidi } from 'bidi-js';

// bidi-js is CommonJS whose types declare an ES default export: under NodeNext TypeScript sees the
// factory as `.default`, Node hands over module.exports itself. Either way it is the factory.
const bidiFactory = ((bidiModule as unknown as { default?: () => Bidi }).default ?? bidiModule) as unknown as () => Bidi;
const bidi = bidiFactory();

export interface VisualRun {
  text: string;
  rtl: boolean;
}

// Arabic-Indic and Persian digits (with the separators of a date or a time) sit in a left-to-right
// run, but a font engine that guesses the direction from the script reverses them as Arabic.
const ARABIC_DIGITS_ONLY = /^[\u0660-\u0669\u06F0-\u06F9\s.,:/\u066B\u066C–-]+$/;

/**
 * One line of text as the runs a PDF draws from left to right (Unicode Bidirectional Algorithm:
 * levels by bidi-js, runs reordered by rule L2). Each run keeps its characters in logical order,
 * because the font engine (fontkit) shapes an Arabic run and lays it out right to left itself —
 * except digit-only runs in Arabic script, which it would turn around: those come reversed, so the
 * engine's reversal puts them back.
 */
export function visualRuns(line: string, direction: 'ltr' | 'rtl'): VisualRun[] {
  if (line.length === 0) return [];
  const { levels } = bidi.getEmbeddingLevels(line, direction);
  const runs: { text: string; level: number }[] = [];
  let start = 0;
  for (let i = 1; i <= line.length; i++) {
    if (i === line.length || levels[i] !== levels[start]) {
      runs.push({ text: line.slice(start, i), level: levels[start]! });
      start = i;
    }
  }
  const highest = Math.max(...runs.map((run) => run.level));
  const lowestOdd = Math.min(...runs.map((run) => (run.level % 2 === 1 ? run.level : run.level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i]!.level < level) continue;
      let end = i;
      while (end + 1 < runs.length && runs[end + 1]!.level >= level) end++;
      runs.splice(i, end - i + 1, ...runs.slice(i, end + 1).reverse());
      i = end;
    }
  }
  return runs.map((run) => {
    const rtl = run.level % 2 === 1;
    const text = !rtl && ARABIC_DIGITS_ONLY.test(run.text) ? [...run.text].reverse().join('') : run.text;
    return { text, rtl };
  });
}

/** The direction of a line's first strong character (rule P2), left to right when it has none. */
export function firstStrongDirection(line: string): 'ltr' | 'rtl' {
  for (const char of line) {
    const type = bidi.getBidiCharTypeName(char);
    if (type === 'L') return 'ltr';
    if (type === 'R' || type === 'AL') return 'rtl';
  }
  return 'ltr';
}
