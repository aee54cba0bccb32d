import { describe, expect, it } from 'vitest';
import { districtName, withDistrictChoices, type PublicDistrict } from './survey-definition.ts';

const districts: PublicDistrict[] = [
  { code: 'buettelborn', name: { default: 'Büttelborn', ar: 'بوتلبورن' } },
  { code: 'worfelden', name: { default: 'Worfelden' } },
];

describe('withDistrictChoices', () => {
  it('fills the district questions on pages, in panels and in dynamic panels, and leaves the original alone', () => {
    const definition = {
      pages: [
        { elements: [{ type: 'dropdown', name: 'district', choices: [] }, { type: 'text', name: 'age' }] },
        {
          elements: [
            { type: 'panel', name: 'p', elements: [{ type: 'checkbox', name: 'districts_active', choices: [] }] },
            { type: 'paneldynamic', name: 'offers', templateElements: [{ type: 'dropdown', name: 'district', choices: [] }] },
          ],
        },
      ],
    };
    const filled = withDistrictChoices(definition, districts);
    const expected = [
      { value: 'buettelborn', text: { default: 'Büttelborn', ar: 'بوتلبورن' } },
      { value: 'worfelden', text: { default: 'Worfelden' } },
    ];
    expect(filled.pages[0]!.elements[0]).toMatchObject({ choices: expected });
    expect((filled.pages[1]!.elements[0] as { elements: unknown[] }).elements[0]).toMatchObject({ choices: expected });
    expect((filled.pages[1]!.elements[1] as { templateElements: unknown[] }).templateElements[0]).toMatchObject({ choices: expected });
    expect(definition.pages[0]!.elements[0]).toEqual({ type: 'dropdown', name: 'district', choices: [] });
  });

  it('does not touch questions that are not district questions', () => {
    const definition = { pages: [{ elements: [{ type: 'dropdown', name: 'function', choices: ['a'] }] }] };
    expect(withDistrictChoices(definition, districts)).toEqual(definition);
  });
});

describe('districtName', () => {
  it('picks the locale, then German', () => {
    expect(districtName(districts[0]!, 'ar')).toBe('بوتلبورن');
    expect(districtName(districts[0]!, 'tr')).toBe('Büttelborn');
    expect(districtName(districts[0]!, 'de')).toBe('Büttelborn');
  });
});
