import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { finding, type ContentFinding } from './finding.ts';
import type { NamedDefinition } from './consistency.ts';
import { canonicalJson } from '../canonical-json.ts';
import { allQuestions } from './texts.ts';

/**
 * Code lists that several instruments share (kinds of actors, fields of action, languages, target
 * groups) are written once, in `surveys/shared/code-lists.json`, with the questions that use them.
 * The checker fails when a question's choices differ from its list (codes, order, labels);
 * `npm run surveys:apply-code-lists` writes the lists into the instruments. The catalogue reads
 * only `surveys/*.json`, so the shared file is never registered as a survey.
 */
const choiceSchema = z.object({ value: z.string(), text: z.record(z.string()) }).strict();
export const codeListsSchema = z.record(
  z.object({
    description: z.string(),
    choices: z.array(choiceSchema).min(1),
    usedBy: z.array(z.object({ file: z.string(), question: z.string(), omit: z.array(z.string()).optional() }).strict()),
  }).strict(),
);
export type CodeLists = z.infer<typeof codeListsSchema>;

export const CODE_LISTS_FILE = path.join('shared', 'code-lists.json');

export function readCodeLists(surveysDir: string): CodeLists | null {
  const file = path.join(surveysDir, CODE_LISTS_FILE);
  if (!fs.existsSync(file)) return null;
  return codeListsSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The choices a question must have according to its list. */
export function expectedChoices(list: CodeLists[string], omit: readonly string[] = []) {
  return list.choices.filter((choice) => !omit.includes(choice.value));
}

export function checkCodeLists(lists: CodeLists, items: readonly NamedDefinition[]): ContentFinding[] {
  const out: ContentFinding[] = [];
  for (const [name, list] of Object.entries(lists)) {
    for (const use of list.usedBy) {
      const item = items.find((candidate) => candidate.file === use.file);
      if (!item) continue; // checking a subset of the instruments
      const question = allQuestions(item.definition).find((candidate) => candidate.name === use.question);
      const where = `question ${use.question}`;
      if (!question) {
        out.push(finding('choice.code-list', { file: use.file, where, locale: null, message: `uses code list "${name}" but the question does not exist` }));
        continue;
      }
      if (canonicalJson(question.choices) !== canonicalJson(expectedChoices(list, use.omit))) {
        out.push(finding('choice.code-list', { file: use.file, where, locale: null, message: `choices differ from the shared code list "${name}" (${CODE_LISTS_FILE}); run npm run surveys:apply-code-lists` }));
      }
    }
  }
  return out;
}
