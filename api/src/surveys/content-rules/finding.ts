import type { Locale } from '../../shared/locales.ts';

/**
 * `error`: a rule that has one right answer (a sentence of 14 words, a hyphen where the house style
 * is the Mediopunkt, a scale translated two ways). `warning`: a rule that needs judgement (a negation
 * may have no positive form); a reviewer accepts it in the file (`acceptedWarnings`) so it does not
 * come back on every run.
 */
export type Severity = 'error' | 'warning';

export interface ContentFinding {
  severity: Severity;
  rule: RuleName;
  /** The instrument's file name (`resident-baseline.json`). */
  file: string;
  /** `survey`, `page <name>` or `question <name>`. */
  where: string;
  locale: Locale | null;
  message: string;
  /** The text the finding is about (a sentence, a word), used to match an accepted warning. */
  subject?: string;
}

export const RULES = {
  'easy.sentence-length': 'error',
  'easy.one-sentence-per-line': 'error',
  'easy.negation': 'warning',
  'easy.passive': 'warning',
  'easy.subjunctive': 'warning',
  'easy.genitive': 'warning',
  'easy.abbreviation': 'error',
  'easy.long-compound': 'warning',
  'easy.compound-break': 'error',
  'easy.lix': 'warning',
  'scale.locale-labels': 'error',
  'scale.label-translation': 'error',
  'choice.label-across-instruments': 'error',
  'choice.code-list': 'error',
  'checkbox.exclusive-none': 'warning',
  'choice.other-without-text': 'error',
  'duration.stated': 'warning',
} as const satisfies Record<string, Severity>;

export type RuleName = keyof typeof RULES;

export function finding(rule: RuleName, fields: Omit<ContentFinding, 'severity' | 'rule'>): ContentFinding {
  return { severity: RULES[rule], rule, ...fields };
}
