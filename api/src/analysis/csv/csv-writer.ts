import { ApiError } from '../../http/errors.ts';

/**
 * `rfc4180`: comma, decimal point, CRLF, UTF-8 without BOM (what R, Python and LibreOffice expect).
 * `excel-de`: semicolon, decimal comma, CRLF and a BOM, so German Excel opens the file by
 * double-click with umlauts and numbers intact.
 * `stats`: RFC 4180 without the formula neutralisation, for R, pandas, SPSS and Stata, which run no
 * formulas: a text answer `-2` stays `-2` instead of `'-2`. Chosen explicitly, never a default:
 * opened in a spreadsheet, such a file can run formulas.
 */
export type CsvDialect = 'rfc4180' | 'excel-de' | 'stats';
export type CsvValue = string | number | null | undefined;

/** `allowStats`: only the analysis exports offer the statistics dialect (contact lists are for spreadsheets). */
export function parseDialect(value: string | undefined, { allowStats = false }: { allowStats?: boolean } = {}): CsvDialect {
  if (value === undefined || value === '' || value === 'rfc4180') return 'rfc4180';
  if (value === 'excel-de') return 'excel-de';
  if (value === 'stats' && allowStats) return 'stats';
  throw new ApiError(400, 'invalid_dialect', { dialect: value });
}

// OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheets. The
// full-width forms are there because Apple Numbers normalises them to the ASCII ones.
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Text that a spreadsheet would run as a formula gets a leading apostrophe; other text is left alone. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One cell as text. Only strings are neutralised: numbers go out as numbers (a negative number is
 * a number, not a formula), with a decimal comma in `excel-de`.
 */
export function formatCell(value: CsvValue, dialect: CsvDialect): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    const text = String(value);
    return dialect === 'excel-de' ? text.replace('.', ',') : text;
  }
  return dialect === 'stats' ? value : neutraliseFormula(value);
}

const NEEDS_QUOTES = { rfc4180: /[",\r\n]/, 'excel-de': /[";\r\n]/, stats: /[",\r\n]/ } as const;

/**
 * Records as CSV text: fields with the delimiter, a quote, CR or LF are quoted, quotes doubled;
 * every record ends with CRLF (RFC 4180).
 *
 * Written here rather than with csv-stringify: its per-cell bookkeeping (several small objects per
 * cell) made the raw export of a million rows × 200 columns spend most of its time in the garbage
 * collector. A property test checks this output against csv-stringify's for the same records.
 */
export function csvText(records: readonly CsvValue[][], dialect: CsvDialect): string {
  const delimiter = dialect === 'excel-de' ? ';' : ',';
  const needsQuotes = NEEDS_QUOTES[dialect];
  let text = '';
  for (const record of records) {
    for (let i = 0; i < record.length; i += 1) {
      if (i > 0) text += delimiter;
      const value = record[i];
      // Most cells of the raw export are empty or 0/1: no formatting work for them.
      if (value === null || value === undefined) continue;
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        text += value;
        continue;
      }
      const cell = formatCell(value, dialect);
      text += needsQuotes.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
    }
    text += '\r\n';
  }
  return text;
}

/**
 * A CSV download as a byte stream that pulls the next batch of records only when the client has
 * taken the previous one: memory stays flat however many rows there are.
 */
export function csvStream(
  header: readonly string[],
  /** Records to format, or text already formatted (CRLF-terminated lines, see response-lines.ts). */
  batches: AsyncIterable<CsvValue[][] | string>,
  dialect: CsvDialect,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const bom = dialect === 'excel-de' ? '\uFEFF' : '';
        controller.enqueue(encoder.encode(bom + csvText([[...header]], dialect)));
        return;
      }
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        if (next.value.length === 0) continue;
        controller.enqueue(encoder.encode(typeof next.value === 'string' ? next.value : csvText(next.value, dialect)));
        return;
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Response headers for a CSV download. */
export function csvHeaders(fileName: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  };
}
