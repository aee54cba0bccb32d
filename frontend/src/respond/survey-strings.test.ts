import { describe, expect, it } from 'vitest';
import { surveyLocalization } from '../../../api/src/responses/survey-core-locales.ts';
import { EASY_LANGUAGE_STRINGS } from './survey-strings.ts';

describe('Leichte Sprache strings of survey-core', () => {
  it('say the same as the server, so a message reads alike whether the phone or the server found the problem', () => {
    const server = (surveyLocalization.locales as Record<string, Record<string, string>>)['de-x-easy']!;
    const shared = Object.keys(server);
    expect(shared.length).toBeGreaterThan(5);
    for (const key of shared) expect(EASY_LANGUAGE_STRINGS[key], key).toBe(server[key]);
  });
});
