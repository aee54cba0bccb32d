import { finding, type ContentFinding } from './finding.ts';
import type { LocatedText } from './texts.ts';

/**
 * The rules of Leichte Sprache that a program can check, as the Netzwerk Leichte Sprache and BITV 2.0
 * Anlage 2 Teil 2 state them and LanguageTool's simple-German rules check them: short sentences,
 * one statement per sentence and per line, active voice, no subjunctive or genitive, positive
 * wording, no abbreviations, long words broken with the Mediopunkt (one way throughout).
 * Heuristics, not a parser: what needs judgement is a warning a reviewer can accept.
 */
export const EASY_MAX_WORDS = 12;
/** A word part of this many letters without a break is probably a compound a reader stumbles over. */
export const EASY_LONG_WORD_LETTERS = 13;
/** LIX above this is "difficult" on the usual scale (< 30 very easy, 30–40 easy, 40–50 medium). */
export const EASY_MAX_LIX = 40;

const NEGATION = /(?<![\p{L}·-])(nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|nichts|niemand|niemandem|niemanden|weder|nirgends|nirgendwo)(?![\p{L}·-])/iu;
const WERDEN = /(?<![\p{L}·-])(werden|wird|wurde|wurden|worden|werde|wirst)(?![\p{L}·-])/iu;
const PARTICIPLE_BEFORE_WERDEN = /(?<![\p{L}·-])\p{Ll}[\p{L}·]*(t|en)\s+(werden|wird|wurde|wurden|worden)(?![\p{L}·-])/u;
const GE_PARTICIPLE = /(?<![\p{L}·-])ge\p{Ll}+(t|en)(?![\p{L}·-])/u;
const SUBJUNCTIVE = /(?<![\p{L}·-])(würde|würden|würdest|wäre|wären|hätte|hätten|könnte|könnten|sollte|sollten|müsste|müssten|dürfte|dürften)(?![\p{L}·-])/iu;
const GENITIVE_WORDS = /(?<![\p{L}·-])(des|eines|meines|deines|seines|Ihres|ihres|unseres|dessen|deren|wegen|während|trotz|innerhalb|außerhalb|anhand|mithilfe)(?![\p{L}·-])/u;
/** "Netz·werk der Stadt": a noun, then "der"/"des" and a noun, mid-sentence. */
const GENITIVE_AFTER_NOUN = /\s(\p{Lu}[\p{L}·-]+)\s(der|des)\s\p{Lu}/u;
const NOT_NOUNS = new Set(['In', 'An', 'Auf', 'Aus', 'Bei', 'Mit', 'Nach', 'Von', 'Vor', 'Zu', 'Sie', 'Ihnen', 'Wir', 'Ich', 'Uns', 'Was', 'Wie', 'Wo', 'Zum', 'Beispiel']);
const ABBREVIATION = /(?<![\p{L}])(z\.\s?B|u\.\s?a|d\.\s?h|bzw|usw|ca|etc|ggf|evtl|Nr|Str|inkl|max|min|vgl|sog)\./u;
const CAPITALS = /(?<![\p{L}])\p{Lu}{2,}(?![\p{L}])/u;
/** A hyphen inside a word ("mit-machen", "Stadt-Teil"); "E-Mail" (one-letter first part) is a name. */
const HYPHEN_BREAK = /(?<![\p{L}])(\p{L}{2,})-(\p{L}+)/u;

export function sentencesOf(text: string): string[] {
  return plain(text)
    .split(/\n+|(?<=[.!?:])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => wordsOf(sentence).length > 0);
}

export function wordsOf(sentence: string): string[] {
  return sentence.split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter((word) => /[\p{L}\p{N}]/u.test(word));
}

function plain(text: string): string {
  return text.replace(/<br\s*\/?>|<\/(p|h[1-6]|li|div)>/gi, '\n').replace(/<[^>]*>/g, ' ');
}

/** Checks one Leichte Sprache text. */
export function checkEasyText(file: string, text: LocatedText): ContentFinding[] {
  const easy = text.byLocale['de-x-easy'];
  if (!easy) return [];
  const out: ContentFinding[] = [];
  const at = { file, where: text.where, locale: 'de-x-easy' as const };
  const what = text.property;

  for (const line of plain(easy).split('\n')) {
    const statements = line.split(/(?<=[.!?])\s+/).filter((part) => wordsOf(part).length > 0);
    if (statements.length > 1) {
      out.push(finding('easy.one-sentence-per-line', { ...at, subject: line.trim(), message: `${what}: ${statements.length} sentences on one line, one per line: "${line.trim()}"` }));
    }
  }
  for (const sentence of sentencesOf(easy)) {
    const words = wordsOf(sentence);
    if (words.length > EASY_MAX_WORDS) {
      out.push(finding('easy.sentence-length', { ...at, subject: sentence, message: `${what}: sentence has ${words.length} words, at most ${EASY_MAX_WORDS}: "${sentence}"` }));
    }
    const negation = NEGATION.exec(sentence);
    if (negation) out.push(finding('easy.negation', { ...at, subject: sentence, message: `${what}: negation "${negation[1]}" (is there a positive form?): "${sentence}"` }));
    if (PARTICIPLE_BEFORE_WERDEN.test(sentence) || (WERDEN.test(sentence) && GE_PARTICIPLE.test(sentence))) {
      out.push(finding('easy.passive', { ...at, subject: sentence, message: `${what}: passive voice (say who does it): "${sentence}"` }));
    }
    const subjunctive = SUBJUNCTIVE.exec(sentence);
    if (subjunctive) out.push(finding('easy.subjunctive', { ...at, subject: sentence, message: `${what}: subjunctive "${subjunctive[1]}": "${sentence}"` }));
    const genitiveWord = GENITIVE_WORDS.exec(sentence);
    const genitiveNoun = GENITIVE_AFTER_NOUN.exec(` ${sentence}`);
    if (genitiveWord || (genitiveNoun && !NOT_NOUNS.has(genitiveNoun[1]!) && genitiveNoun.index > 0)) {
      out.push(finding('easy.genitive', { ...at, subject: sentence, message: `${what}: genitive (use "von"): "${sentence}"` }));
    }
  }
  const abbreviation = ABBREVIATION.exec(easy) ?? CAPITALS.exec(easy);
  if (abbreviation) out.push(finding('easy.abbreviation', { ...at, subject: abbreviation[0], message: `${what}: abbreviation "${abbreviation[0]}" (write the word out)` }));
  const hyphen = HYPHEN_BREAK.exec(easy);
  if (hyphen) out.push(finding('easy.compound-break', { ...at, subject: hyphen[0], message: `${what}: "${hyphen[0]}" is broken with a hyphen; break compounds with the Mediopunkt ("${hyphen[1]}·${hyphen[2]!.toLowerCase()}")` }));
  for (const word of wordsOf(plain(easy))) {
    for (const part of word.split(/[·-]/)) {
      if ([...part].filter((char) => /\p{L}/u.test(char)).length >= EASY_LONG_WORD_LETTERS) {
        out.push(finding('easy.long-compound', { ...at, subject: part, message: `${what}: long word "${part}" without a break (Mediopunkt, or a shorter word)` }));
      }
    }
  }
  return out;
}

export interface LixFigures {
  strings: number;
  sentences: number;
  words: number;
  longWords: number;
  lix: number;
  sentencesOverMax: number;
  negations: number;
}

/**
 * LIX (Björnsson): words per sentence + percentage of words with more than six letters, over the
 * distinct Leichte Sprache texts of an instrument. A label without a full stop counts as a sentence.
 */
export function easyFigures(texts: readonly LocatedText[]): LixFigures {
  const distinct = [...new Set(texts.map((text) => text.byLocale['de-x-easy']).filter((text): text is string => !!text))];
  let sentences = 0;
  let words = 0;
  let longWords = 0;
  let sentencesOverMax = 0;
  let negations = 0;
  for (const text of distinct) {
    for (const sentence of sentencesOf(text)) {
      const sentenceWords = wordsOf(sentence);
      sentences += 1;
      words += sentenceWords.length;
      longWords += sentenceWords.filter((word) => [...word].filter((char) => /\p{L}/u.test(char)).length > 6).length;
      if (sentenceWords.length > EASY_MAX_WORDS) sentencesOverMax += 1;
      if (NEGATION.test(sentence)) negations += 1;
    }
  }
  const lix = sentences === 0 || words === 0 ? 0 : words / sentences + (100 * longWords) / words;
  return { strings: distinct.length, sentences, words, longWords, lix: Math.round(lix * 10) / 10, sentencesOverMax, negations };
}
