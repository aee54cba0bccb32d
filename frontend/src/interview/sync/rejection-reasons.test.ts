import { describe, expect, it } from 'vitest';
import { inBatches, rejectionReasons } from './rejection-reasons.ts';

describe('rejectionReasons', () => {
  it('keeps the question and the message of each server error', () => {
    expect(
      rejectionReasons(
        [
          { question: 'district', message: 'Bitte beantworten Sie die Frage.' },
          { question: 'function', message: 'Ungültige Auswahl.' },
        ],
        'fallback',
      ),
    ).toEqual([
      { question: 'district', message: 'Bitte beantworten Sie die Frage.' },
      { question: 'function', message: 'Ungültige Auswahl.' },
    ]);
  });

  it('accepts a bare string and an error code without message', () => {
    expect(rejectionReasons('survey closed', 'fallback')).toEqual([{ question: null, message: 'survey closed' }]);
    expect(rejectionReasons([{ code: 'survey_closed' }], 'fallback')).toEqual([{ question: null, message: 'survey_closed' }]);
  });

  it('never leaves a rejected conversation without a reason', () => {
    expect(rejectionReasons(undefined, 'Der Server hat das Gespräch abgelehnt.')).toEqual([
      { question: null, message: 'Der Server hat das Gespräch abgelehnt.' },
    ]);
    expect(rejectionReasons([{ unexpected: 1 }, 42, ''], 'fallback')).toEqual([{ question: null, message: 'fallback' }]);
  });
});

describe('inBatches', () => {
  it('splits in order into batches of at most the given size', () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 10)).toEqual([]);
  });

  it('refuses a batch size that would loop forever or drop items', () => {
    expect(() => inBatches([1], 0)).toThrow();
    expect(() => inBatches([1], 1.5)).toThrow();
  });
});
