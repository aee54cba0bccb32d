import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../tests/support/csv-parse.ts';
import { csvStream, csvText, formatCell, neutraliseFormula, parseDialect, type CsvValue } from './csv-writer.ts';

describe('formula neutralisation (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tleading tab', "'\tleading tab"],
    ['\rleading CR', "'\rleading CR"],
    ['\nleading LF', "'\nleading LF"],
    ['＝1+1', "'＝1+1"],
    ['harmless = text', 'harmless = text'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('leaves numbers alone, negative ones included, and writes decimal commas for excel-de', () => {
    expect(formatCell(-2, 'rfc4180')).toBe('-2');
    expect(formatCell(-2.5, 'excel-de')).toBe('-2,5');
    expect(formatCell(0.4286, 'excel-de')).toBe('0,4286');
    expect(formatCell('-2', 'rfc4180')).toBe("'-2");
    expect(formatCell(Number.NaN, 'rfc4180')).toBe('');
    expect(formatCell(null, 'excel-de')).toBe('');
  });

  it('refuses unknown dialects', () => {
    expect(parseDialect(undefined)).toBe('rfc4180');
    expect(parseDialect('excel-de')).toBe('excel-de');
    expect(() => parseDialect('excel-fr')).toThrow();
  });
});

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'ä', ',', ';', '"', '\r', '\n', ' ', '=', '-', 'ش', '1') }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constant(null),
);

describe('csvText', () => {
  it('writes exactly what csv-stringify writes for the same cells (rfc4180 and excel-de)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        for (const dialect of ['rfc4180', 'excel-de'] as const) {
          const formatted = records.map((record) => record.map((value) => formatCell(value, dialect)));
          const reference = stringify(formatted, {
            delimiter: dialect === 'excel-de' ? ';' : ',',
            record_delimiter: 'windows',
            quote_record_delimiter: true,
          });
          expect(csvText(records, dialect)).toBe(reference);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips through a strict RFC 4180 reader', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (records) => {
        const parsed = parseCsv(csvText(records, 'rfc4180'));
        expect(parsed).toEqual(records.map((record) => record.map((value) => neutraliseFormula(value))));
      }),
    );
  });
});

describe('csvStream', () => {
  it('pulls the next batch only when the reader asks for it (flat memory)', async () => {
    let produced = 0;
    async function* batches(): AsyncGenerator<CsvValue[][]> {
      for (let i = 0; i < 1000; i += 1) {
        produced += 1;
        yield [[i, `row ${i}`]];
      }
    }
    const reader = csvStream(['n', 'text'], batches(), 'excel-de').getReader();
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const header = decoder.decode((await reader.read()).value);
    expect(header).toBe('\uFEFFn;text\r\n');
    await reader.read();
    await reader.read();
    // The stream buffers at most one batch ahead of what was read.
    expect(produced).toBeLessThanOrEqual(3);
    await reader.cancel();
  });
});
