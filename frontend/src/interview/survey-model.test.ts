import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredDistrict, StoredInstrument } from './store/types.ts';
import { buildModel, districtLabel, functionChoices, initialAnswers, instrumentTitle, progressOf } from './survey-model.ts';

const surveysDir = path.resolve(import.meta.dirname, '../../../surveys');

function instrument(slug: string): StoredInstrument {
  const file = JSON.parse(fs.readFileSync(path.join(surveysDir, `${slug}.json`), 'utf8'));
  return {
    slug,
    version: 1,
    kind: file.kind,
    title: file.definition.title,
    definition: file.definition,
    locales: file.locales,
    downloadedAt: '2026-11-26T12:00:00.000Z',
  };
}

const districts: StoredDistrict[] = [
  { code: 'buettelborn', name: { default: 'Büttelborn', ar: 'بوتلبورن' } },
  { code: 'worfelden', name: { default: 'Worfelden' } },
];

describe('the interview guide as the tablet runs it', () => {
  const guide = instrument('interview-guide');

  it('fills the district question with the town districts, named in the conversation language', () => {
    const model = buildModel(guide, districts, 'ar');
    const question = model.getQuestionByName('district') as unknown as { choices: { value: string; text: string }[] };
    expect(question.choices.map((choice) => [choice.value, choice.text])).toEqual([
      ['buettelborn', 'بوتلبورن'],
      ['worfelden', 'Worfelden'],
    ]);
  });

  it('renders English as English, not the German default texts', () => {
    expect(instrumentTitle(guide, 'en')).not.toBe(instrumentTitle(guide, 'de'));
    const english = functionChoices(guide, 'en').find((choice) => choice.value === 'school');
    const german = functionChoices(guide, 'de').find((choice) => choice.value === 'school');
    expect(english?.text).toBeTruthy();
    expect(english?.text).not.toBe(german?.text);
  });

  it('offers every function of the guide on the start form', () => {
    expect(functionChoices(guide, 'de').map((choice) => choice.value)).toContain('migrant_organisation');
  });

  it('starts with district, function and conversation language answered from the start form', () => {
    expect(initialAnswers(guide, { district: 'worfelden', intervieweeFunction: 'club', locale: 'tr' })).toEqual({
      district: 'worfelden',
      function: 'club',
      conversation_language: 'turkish',
    });
  });

  it('saves the district and function as they are answered later in the guide', () => {
    const model = buildModel(guide, districts, 'de');
    model.data = { district: 'buettelborn', function: 'school', notes_context: 'Gespräch im Café' };
    model.setValue('district', 'worfelden');
    expect(progressOf(model)).toMatchObject({
      answers: { district: 'worfelden', function: 'school', notes_context: 'Gespräch im Café' },
      district: 'worfelden',
      intervieweeFunction: 'school',
      pageNo: 0,
    });
  });
});

describe('the stakeholder inventory as the tablet runs it', () => {
  const inventory = instrument('stakeholder-inventory');

  it('takes the organisation type as the function and has no district question to fill', () => {
    expect(initialAnswers(inventory, { district: 'worfelden', intervieweeFunction: 'club', locale: 'de' })).toEqual({
      org_type: 'club',
    });
  });

  it('fills the districts an organisation is active in', () => {
    const model = buildModel(inventory, districts, 'de');
    const question = model.getQuestionByName('districts_active') as unknown as { choices: { value: string }[] };
    expect(question.choices.map((choice) => choice.value)).toEqual(['buettelborn', 'worfelden']);
  });
});

describe('districtName', () => {
  it('falls back to the German name, then to the code', () => {
    expect(districtLabel(districts[1], 'worfelden', 'fa')).toBe('Worfelden');
    expect(districtLabel(undefined, 'gone', 'de')).toBe('gone');
  });
});
