import type { InstrumentFile } from '../instrument-file.ts';
import { isAccepted } from './accepted-warnings.ts';
import { checkCodeLists, type CodeLists } from './code-lists.ts';
import { checkChoiceLabelsAcrossInstruments, checkChoiceStructure, checkScales, type NamedDefinition } from './consistency.ts';
import { checkEasyText, EASY_MAX_LIX, easyFigures, type LixFigures } from './easy-language.ts';
import { finding, type ContentFinding } from './finding.ts';
import { estimateCompletion, statedMinutes, type CompletionEstimate } from './reading-time.ts';
import { allTexts } from './texts.ts';

export type { ContentFinding } from './finding.ts';
export type { LixFigures } from './easy-language.ts';
export type { CompletionEstimate } from './reading-time.ts';

export interface ContentReport {
  /** Errors, and warnings nobody has accepted yet. */
  findings: ContentFinding[];
  /** Warnings a reviewer accepted in the file. */
  acceptedCount: number;
  /** Leichte Sprache figures per instrument file. */
  easy: Map<string, LixFigures>;
  /** Estimated minutes per instrument file, in German and in Leichte Sprache. */
  duration: Map<string, { de: CompletionEstimate; easy: CompletionEstimate | null }>;
}

/**
 * The content rules over a set of instruments: Leichte Sprache in every text (descriptions and
 * validator messages included), scales and codes that mean the same across locales and
 * instruments, and choice structure. Checked together because some rules compare instruments.
 */
export function checkContent(instruments: readonly { file: string; instrument: InstrumentFile }[], codeLists: CodeLists | null): ContentReport {
  const all: { found: ContentFinding; file: string }[] = [];
  const easy = new Map<string, LixFigures>();
  const duration = new Map<string, { de: CompletionEstimate; easy: CompletionEstimate | null }>();
  const named: NamedDefinition[] = instruments.map(({ file, instrument }) => ({ file, locales: instrument.locales, definition: instrument.definition }));
  for (const item of named) {
    const texts = allTexts(item.definition);
    const figures = easyFigures(texts);
    easy.set(item.file, figures);
    const findings = [
      ...(item.locales.includes('de-x-easy') ? texts.flatMap((text) => checkEasyText(item.file, text)) : []),
      ...checkChoiceStructure(item),
    ];
    if (figures.lix > EASY_MAX_LIX) {
      findings.push(finding('easy.lix', { file: item.file, where: 'survey', locale: 'de-x-easy', message: `LIX of the Leichte Sprache texts is ${figures.lix}, above ${EASY_MAX_LIX}` }));
    }
    const hasEasy = item.locales.includes('de-x-easy');
    const estimates = { de: estimateCompletion(item.definition, 'de'), easy: hasEasy ? estimateCompletion(item.definition, 'de-x-easy') : null };
    duration.set(item.file, estimates);
    for (const [locale, estimate] of [['de', estimates.de], ['de-x-easy', estimates.easy]] as const) {
      const stated = estimate && statedMinutes(item.definition, locale);
      if (!estimate || !stated || (stated.high >= estimate.minutes.low && stated.low <= estimate.minutes.high)) continue;
      findings.push(
        finding('duration.stated', {
          file: item.file,
          where: 'survey',
          locale,
          message: `the description promises ${stated.low}–${stated.high} minutes; the instrument reads and answers in about ${estimate.minutes.low}–${estimate.minutes.high}`,
        }),
      );
    }
    all.push(...findings.map((found) => ({ found, file: item.file })));
  }
  const crossFindings = [
    ...checkScales(named),
    ...checkChoiceLabelsAcrossInstruments(named),
    ...(codeLists ? checkCodeLists(codeLists, named) : []),
  ];
  all.push(...crossFindings.map((found) => ({ found, file: found.file })));

  const acceptedByFile = new Map(instruments.map(({ file, instrument }) => [file, instrument.acceptedWarnings ?? []]));
  const findings: ContentFinding[] = [];
  let acceptedCount = 0;
  const seen = new Set<string>();
  for (const { found, file } of all) {
    // The same sentence in many places (a repeated label) is one thing to fix: report it once per element.
    const key = `${found.rule}|${file}|${found.where}|${found.locale}|${found.subject ?? found.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (isAccepted(found, acceptedByFile.get(file) ?? [])) acceptedCount += 1;
    else findings.push(found);
  }
  return { findings, acceptedCount, easy, duration };
}
