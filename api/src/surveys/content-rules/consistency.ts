import { SUPPORTED_LOCALES, surveyTextKey, type Locale } from '../../shared/locales.ts';
import { finding, type ContentFinding } from './finding.ts';
import { allQuestions, isObject, isTextMap } from './texts.ts';

export interface NamedDefinition {
  file: string;
  locales: readonly Locale[];
  definition: Record<string, unknown>;
}

const SELECT_TYPES = new Set(['radiogroup', 'checkbox', 'dropdown', 'tagbox', 'imagepicker']);
/** Codes whose label rightly depends on the question ("Other reason", "Somewhere else"). */
const CONTEXTUAL_CODES = new Set(['other', 'no_answer', 'dont_know', 'none', 'yes', 'no', 'maybe', 'not_known']);

interface ScaleUse {
  file: string;
  where: string;
  /** Labels in point order, per locale ('' where the locale has none). */
  labels: Map<Locale, string[]>;
}

function label(choice: unknown, locale: Locale): string {
  if (!isObject(choice)) return '';
  const text = choice.text;
  if (typeof text === 'string') return locale === 'de' ? text : '';
  if (isTextMap(text)) return text[surveyTextKey(locale)] ?? '';
  return '';
}

/** Rating scales with labelled points and matrix columns: the answer scales respondents see. */
function scalesOf(item: NamedDefinition): ScaleUse[] {
  const out: ScaleUse[] = [];
  for (const question of allQuestions(item.definition)) {
    const points = question.type === 'rating' ? question.rateValues : question.type === 'matrix' ? question.columns : undefined;
    if (!Array.isArray(points) || !points.some((point) => isObject(point) && point.text !== undefined)) continue;
    const labels = new Map<Locale, string[]>();
    for (const locale of item.locales) labels.set(locale, points.map((point) => label(point, locale)));
    out.push({ file: item.file, where: `question ${String(question.name)}`, labels });
  }
  return out;
}

/**
 * Answers are pooled across locales, so a scale point must mean the same in every language:
 * - every point of a scale has a label in every locale (a locale with fewer labels shifts meaning);
 * - the same German scale reads the same in a locale wherever it is used, in order;
 * - one German scale label has one translation per locale across all scales and instruments
 *   (the midpoint "Teils, teils" is not "Mittel" in one question and "Teils, teils" in the next).
 */
export function checkScales(items: readonly NamedDefinition[]): ContentFinding[] {
  const out: ContentFinding[] = [];
  const scales = items.flatMap(scalesOf);
  const byGerman = new Map<string, ScaleUse[]>();
  for (const scale of scales) {
    const german = scale.labels.get('de') ?? [];
    for (const [locale, labels] of scale.labels) {
      const missing = labels.filter((text) => text.trim() === '').length;
      if (missing > 0) {
        out.push(finding('scale.locale-labels', { file: scale.file, where: scale.where, locale, message: `scale has ${labels.length - missing} labels in ${locale} for ${german.length} points` }));
      }
    }
    const key = german.join(' | ');
    byGerman.set(key, [...(byGerman.get(key) ?? []), scale]);
  }
  for (const [german, uses] of byGerman) {
    if (uses.length < 2) continue;
    for (const locale of SUPPORTED_LOCALES) {
      const variants = new Map<string, ScaleUse>();
      for (const use of uses) {
        const labels = use.labels.get(locale);
        if (labels) variants.set(labels.join(' | '), variants.get(labels.join(' | ')) ?? use);
      }
      if (variants.size < 2) continue;
      const [first, ...others] = [...variants.entries()];
      for (const [text, use] of others) {
        out.push(finding('scale.locale-labels', {
          file: use.file, where: use.where, locale,
          message: `the scale "${german}" reads "${text}" here but "${first![0]}" in ${first![1].file} ${first![1].where}`,
        }));
      }
    }
  }
  const translations = new Map<string, Map<Locale, Map<string, ScaleUse>>>();
  for (const scale of scales) {
    const german = scale.labels.get('de') ?? [];
    german.forEach((germanLabel, index) => {
      if (!germanLabel) return;
      const perLocale = translations.get(germanLabel) ?? new Map<Locale, Map<string, ScaleUse>>();
      translations.set(germanLabel, perLocale);
      for (const [locale, labels] of scale.labels) {
        if (locale === 'de' || !labels[index]) continue;
        const seen = perLocale.get(locale) ?? new Map<string, ScaleUse>();
        perLocale.set(locale, seen);
        if (!seen.has(labels[index]!)) seen.set(labels[index]!, scale);
      }
    });
  }
  for (const [germanLabel, perLocale] of translations) {
    for (const [locale, seen] of perLocale) {
      if (seen.size < 2) continue;
      const [first, ...others] = [...seen.entries()];
      for (const [text, use] of others) {
        out.push(finding('scale.label-translation', {
          file: use.file, where: use.where, locale, subject: germanLabel,
          message: `scale label "${germanLabel}" is "${text}" here but "${first![0]}" in ${first![1].file} ${first![1].where}`,
        }));
      }
    }
  }
  return out;
}

/** A choice code means one thing: the same label in every instrument, in every locale. */
export function checkChoiceLabelsAcrossInstruments(items: readonly NamedDefinition[]): ContentFinding[] {
  const out: ContentFinding[] = [];
  const first = new Map<string, { file: string; where: string; labels: Map<Locale, string> }>();
  for (const item of items) {
    const seenHere = new Set<string>();
    for (const question of allQuestions(item.definition)) {
      if (!SELECT_TYPES.has(String(question.type)) || !Array.isArray(question.choices)) continue;
      for (const choice of question.choices) {
        if (!isObject(choice) || typeof choice.value !== 'string' || CONTEXTUAL_CODES.has(choice.value) || seenHere.has(choice.value)) continue;
        seenHere.add(choice.value);
        const where = `question ${String(question.name)}`;
        const labels = new Map(item.locales.map((locale) => [locale, label(choice, locale)] as const));
        const earlier = first.get(choice.value);
        if (!earlier) {
          first.set(choice.value, { file: item.file, where, labels });
          continue;
        }
        if (earlier.file === item.file) continue;
        for (const [locale, text] of labels) {
          const before = earlier.labels.get(locale);
          if (before !== undefined && before !== text) {
            out.push(finding('choice.label-across-instruments', {
              file: item.file, where, locale, subject: choice.value,
              message: `code "${choice.value}" is "${text}" here but "${before}" in ${earlier.file} ${earlier.where}`,
            }));
          }
        }
      }
    }
  }
  return out;
}

/**
 * Checkbox questions: with no exclusive "none" answer, an empty answer means both "skipped" and
 * "none of these" (a warning to review: some stems cannot be answered by nothing). A choice coded
 * "other" needs a text field (SurveyJS `showOtherItem`), or nobody learns what it was.
 */
export function checkChoiceStructure(item: NamedDefinition): ContentFinding[] {
  const out: ContentFinding[] = [];
  for (const question of allQuestions(item.definition)) {
    const where = `question ${String(question.name)}`;
    const choices = Array.isArray(question.choices) ? question.choices : [];
    if (question.type === 'checkbox') {
      const hasNone = question.showNoneItem === true || question.hasNone === true
        || choices.some((choice) => isObject(choice) && choice.isExclusive === true);
      if (!hasNone) out.push(finding('checkbox.exclusive-none', { file: item.file, where, locale: null, message: 'checkbox without an exclusive "none" answer: a skipped question and "none of these" look the same' }));
    }
    if (SELECT_TYPES.has(String(question.type))) {
      for (const choice of choices) {
        const value = isObject(choice) ? choice.value : choice;
        if (typeof value === 'string' && /(^|_)other$/.test(value)) {
          out.push(finding('choice.other-without-text', { file: item.file, where, locale: null, subject: value, message: `choice "${value}" has no text field: use "showOtherItem": true with an "otherText"` }));
        }
      }
    }
  }
  return out;
}
