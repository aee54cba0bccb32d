import fs from 'node:fs';
import path from 'node:path';
import { Model, type Question } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, surveyTextKey } from '../api/src/shared/locales.ts';
import { surveyJsLocale } from '../api/src/shared/survey-core-setup.ts';
import { REAL_SURVEYS_DIR, openTestPlatform, type TestPlatform } from './support/test-platform.ts';

const INSTRUMENTS = ['resident-baseline', 'interview-guide', 'stakeholder-inventory'];

function readInstrument(slug: string) {
  return JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, `${slug}.json`), 'utf8'));
}

/** The raw JSON of every question, by name, including those nested in panels. */
function rawQuestions(definition: any): Map<string, any> {
  const out = new Map<string, any>();
  const visit = (elements: any[] | undefined) => {
    for (const element of elements ?? []) {
      if (element.type === 'panel') visit(element.elements);
      else out.set(element.name, element);
    }
  };
  for (const page of definition.pages) visit(page.elements);
  return out;
}

describe('the three instruments', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform();
  });
  afterAll(() => platform?.close());

  it('all load through the catalogue', () => {
    expect(platform.catalogue.refused).toEqual([]);
    expect(platform.catalogue.registered.map((r) => r.slug).sort()).toEqual([...INSTRUMENTS].sort());
  });

  for (const slug of INSTRUMENTS) {
    it(`${slug} declares all nine locales and shows each locale's own text for every question and choice`, () => {
      const file = readInstrument(slug);
      expect([...file.locales].sort()).toEqual([...SUPPORTED_LOCALES].sort());
      const raw = rawQuestions(file.definition);
      const model = new Model(file.definition);
      const questions: Question[] = model.getAllQuestions();
      expect(questions.length).toBeGreaterThan(3);

      for (const locale of SUPPORTED_LOCALES) {
        const key = surveyTextKey(locale);
        model.locale = surveyJsLocale(locale);
        for (const question of questions) {
          const json = raw.get(question.name);
          expect(json, `${slug}: ${question.name} in raw JSON`).toBeDefined();
          const expectedTitle = json.title?.[key];
          expect(expectedTitle, `${slug}: ${question.name} has a ${locale} title`).toEqual(expect.any(String));
          expect(question.locTitle.renderedHtml, `${slug}: ${question.name} rendered in ${locale}`).toBe(expectedTitle);
          for (const choice of json.choices ?? []) {
            if (typeof choice !== 'object') continue;
            const item = (question as any).choices.find((c: any) => c.value === choice.value);
            expect(item.locText.renderedHtml, `${slug}: ${question.name}=${choice.value} in ${locale}`).toBe(choice.text[key]);
          }
        }
      }
    });
  }
});

describe('the content rules (npm run check-surveys)', () => {
  it('find no error and no unreviewed warning in the current instruments, and their code lists match the shared file', async () => {
    const { checkContent } = await import('../api/src/surveys/content-rules/index.ts');
    const { readCodeLists } = await import('../api/src/surveys/content-rules/code-lists.ts');
    const report = checkContent(INSTRUMENTS.map((slug) => ({ file: `${slug}.json`, instrument: readInstrument(slug) })), readCodeLists(REAL_SURVEYS_DIR));
    expect(report.findings.map((found) => `${found.file} ${found.where} ${found.rule}: ${found.message}`)).toEqual([]);
    for (const figures of report.easy.values()) expect(figures.sentencesOverMax).toBe(0);
  });

  it('hand the interviewee the contact form instead of recording a wish in the interview guide (version 3; version 2 kept as it was)', () => {
    type Guide = { definition: { pages: { name: string; description?: Record<string, string>; elements: { name: string; type: string }[] }[] } };
    const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Guide;
    const v2 = read(path.join(REAL_SURVEYS_DIR, 'history', 'interview-guide.v2.json')).definition.pages;
    const current = read(path.join(REAL_SURVEYS_DIR, 'interview-guide.json')).definition.pages;
    expect(v2.flatMap((page) => page.elements).find((q) => q.name === 'invitation_wish')?.type).toBe('boolean');
    // Nothing about being contacted is asked or answered in the interview any more: the contact page
    // keeps only the interviewer's notes, and tells the interviewer to hand the tablet over.
    const contactPage = current.find((page) => page.name === 'page_contact')!;
    expect(contactPage.elements.map((q) => q.name)).toEqual(['notes_contact']);
    expect(contactPage.description?.default).toContain('„Kontaktformular übergeben“');
    expect(contactPage.description?.en).toContain('“Hand over the contact form”');
  });

  it('keep version 1 of each instrument in surveys/history, which the catalogue does not register as a survey', () => {
    for (const slug of INSTRUMENTS) {
      const v1 = JSON.parse(fs.readFileSync(path.join(REAL_SURVEYS_DIR, 'history', `${slug}.v1.json`), 'utf8'));
      expect(v1.kind).toBe(readInstrument(slug).kind);
      expect(v1.acceptedWarnings).toBeUndefined();
    }
  });
});
