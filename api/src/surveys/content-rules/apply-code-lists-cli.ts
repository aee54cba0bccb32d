import fs from 'node:fs';
import path from 'node:path';
import { expectedChoices, readCodeLists } from './code-lists.ts';
import { allQuestions } from './texts.ts';

// `npm run surveys:apply-code-lists`: writes each shared code list (surveys/shared/code-lists.json)
// into the questions that use it, so a list is edited in one place. Review the diff, then run
// `npm run check-surveys`.
const surveysDir = path.resolve(process.argv[2] ?? 'surveys');
const lists = readCodeLists(surveysDir);
if (!lists) {
  console.error(`no shared code lists in ${surveysDir}`);
  process.exit(1);
}
const byFile = new Map<string, { question: string; choices: unknown }[]>();
for (const list of Object.values(lists)) {
  for (const use of list.usedBy) {
    byFile.set(use.file, [...(byFile.get(use.file) ?? []), { question: use.question, choices: expectedChoices(list, use.omit) }]);
  }
}
for (const [file, uses] of byFile) {
  const filePath = path.join(surveysDir, file);
  const instrument = JSON.parse(fs.readFileSync(filePath, 'utf8'));
  const questions = allQuestions(instrument.definition);
  for (const use of uses) {
    const question = questions.find((candidate) => candidate.name === use.question);
    if (!question) throw new Error(`${file}: no question ${use.question}`);
    question.choices = structuredClone(use.choices);
  }
  fs.writeFileSync(filePath, `${JSON.stringify(instrument, null, 2)}\n`);
  console.log(`${file}: ${uses.map((use) => use.question).join(', ')}`);
}
