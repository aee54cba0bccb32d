import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { ApiError } from '../http/errors.ts';
import { RTL_LOCALES, type Locale } from '../shared/locales.ts';
import type { TownSettings } from '../town/index.ts';
import { firstStrongDirection, visualRuns } from './bidi-runs.ts';
import { LETTER_TEXTS } from './letter-texts.ts';
import type { InvitationLetter } from './letters.ts';

/**
 * DejaVu Sans (Debian `fonts-dejavu-core`, in the Docker image and in .ci/system-packages) covers
 * Latin, Turkish, Polish, Cyrillic, Arabic and Persian, with the OpenType tables fontkit needs to
 * join Arabic letters. Embedded as a subset, so the PDF needs no font on the reader's machine.
 */
export const LETTER_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 64;
const TEXT_WIDTH = A4.width - 2 * MARGIN;

interface LetterTown {
  /** The town's name in each letter's locale. */
  nameIn: (locale: Locale) => string;
  dataProtection: TownSettings['dataProtection'] | null;
}

type Doc = InstanceType<typeof PDFDocument>;

/**
 * The invitation letters as one printable PDF, one letter per page (A4): the town's name, the
 * person's name, the subject, the invitation's text and links as the e-mail has them, and at the
 * foot the town's data-protection contact. Arabic and Farsi letters run right to left, Leichte
 * Sprache is set larger. With no letter the file has one page saying so, in the coordinator's
 * language.
 */
export async function lettersPdf(letters: InvitationLetter[], town: LetterTown, staffLocale: string): Promise<Buffer> {
  if (!existsSync(LETTER_FONTS.regular) || !existsSync(LETTER_FONTS.bold)) throw new ApiError(503, 'letters_font_missing');
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, autoFirstPage: false, info: { Title: 'Einladungen', Producer: 'Vielstimmig' } });
  doc.registerFont('regular', LETTER_FONTS.regular);
  doc.registerFont('bold', LETTER_FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  if (letters.length === 0) {
    doc.addPage();
    const note = staffLocale.startsWith('de')
      ? 'Keine neuen Briefe: Alle passenden Kontakte sind zu dieser Veranstaltung schon eingeladen, oder der Filter trifft niemanden.'
      : 'No new letters: every matching contact is already invited to this event, or the filter matches no one.';
    new LetterWriter(doc, 'ltr').paragraph(note, { font: 'regular', size: 12 });
  }
  for (const letter of letters) writeLetter(doc, letter, town);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function writeLetter(doc: Doc, letter: InvitationLetter, town: LetterTown) {
  doc.addPage();
  const t = LETTER_TEXTS[letter.locale];
  const easy = letter.locale === 'de-x-easy';
  // Leichte Sprache asks for at least 14 pt and short lines; the others read well at 11 pt.
  const size = easy ? 14 : 11;
  const writer = new LetterWriter(doc, RTL_LOCALES.has(letter.locale) ? 'rtl' : 'ltr');
  writer.paragraph(town.nameIn(letter.locale), { font: 'bold', size: 16 });
  writer.gap(size);
  if (letter.name) writer.paragraph(t.forName.replace('{{name}}', letter.name), { font: 'regular', size });
  writer.gap(size * 0.5);
  writer.paragraph(letter.subject, { font: 'bold', size: size + 2 });
  writer.gap(size * 0.8);
  for (const block of letter.letter.split(/\n{2,}/)) {
    for (const line of block.split('\n')) {
      if (/^https?:\/\/\S+$/.test(line.trim())) writer.link(line.trim(), { font: 'regular', size: size - 1 });
      else writer.paragraph(line, { font: 'regular', size });
    }
    writer.gap(size * 0.6);
  }
  writer.paragraph(t.personal, { font: 'regular', size: size - 1 });
  if (town.dataProtection) {
    const dp = town.dataProtection;
    const lines = [dp.name, dp.address, dp.email, dp.phone].filter((value): value is string => Boolean(value && value.trim()));
    // At the foot of the page, where a letter's sender details usually stand.
    const footSize = easy ? 12 : 9;
    const height = (lines.length + 1) * footSize * 1.45 + 12;
    writer.moveTo(Math.max(writer.y + footSize, A4.height - MARGIN - height));
    doc.moveTo(MARGIN, writer.y).lineTo(A4.width - MARGIN, writer.y).lineWidth(0.5).strokeColor('#777777').stroke();
    writer.gap(8);
    writer.paragraph(`${t.dataProtection}:`, { font: 'bold', size: footSize });
    for (const line of lines) writer.paragraph(line, { font: 'regular', size: footSize });
  }
}

/**
 * Lines laid out by hand: words wrapped to the width in logical order, then each line drawn run by
 * run in visual order (bidi-runs.ts), aligned right for a right-to-left letter. pdfkit's own text
 * flow lays words out left to right, which would put an Arabic sentence's words backwards.
 */
class LetterWriter {
  y = MARGIN;
  constructor(
    private readonly doc: Doc,
    private readonly direction: 'ltr' | 'rtl',
  ) {}

  moveTo(y: number) {
    this.y = y;
  }

  gap(points: number) {
    this.y += points;
  }

  paragraph(text: string, style: { font: 'regular' | 'bold'; size: number }) {
    this.doc.font(style.font).fontSize(style.size);
    for (const line of this.wrap(text.trim())) this.drawLine(line, style.size);
  }

  /**
   * A link on a line of its own, always left to right and never broken (it is typed in from the
   * paper): set smaller until it fits, clickable in a PDF viewer.
   */
  link(url: string, style: { font: 'regular' | 'bold'; size: number }) {
    let size = style.size;
    this.doc.font(style.font).fontSize(size);
    while (size > 6 && this.width(url) > TEXT_WIDTH) this.doc.fontSize((size -= 0.5));
    const width = this.width(url);
    const x = this.direction === 'rtl' ? A4.width - MARGIN - width : MARGIN;
    this.doc.fillColor('#0b3d91').text(url, x, this.y, { lineBreak: false, features: [], link: url });
    this.doc.fillColor('black');
    this.y += style.size * 1.45;
  }

  private width(text: string): number {
    // `features: []` makes pdfkit lay out the whole string in one fontkit run (shaping and the
    // right-to-left order of an Arabic run), not word by word.
    return this.doc.widthOfString(text, { features: [] });
  }

  private wrap(text: string): string[] {
    if (!text) return [];
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (!current || this.width(candidate) <= TEXT_WIDTH) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
      if (this.width(current) > TEXT_WIDTH) {
        const pieces = this.breakLong(current);
        lines.push(...pieces.slice(0, -1));
        current = pieces.at(-1)!;
      }
    }
    if (current) lines.push(current);
    return lines;
  }

  /** A string wider than the line (a long link) in pieces that fit. */
  private breakLong(text: string): string[] {
    const pieces: string[] = [];
    let current = '';
    for (const char of text) {
      if (current && this.width(current + char) > TEXT_WIDTH) {
        pieces.push(current);
        current = '';
      }
      current += char;
    }
    if (current) pieces.push(current);
    return pieces;
  }

  private drawLine(line: string, size: number) {
    if (this.y + size * 1.45 > A4.height - MARGIN) {
      this.doc.addPage();
      this.y = MARGIN;
    }
    // Each line's own direction (its first strong character, rule P2; none: left to right), so a
    // German description or a phone number in an Arabic letter reads as written; the alignment is
    // the letter's.
    const runs = visualRuns(line, firstStrongDirection(line));
    const total = runs.reduce((sum, run) => sum + this.width(run.text), 0);
    let x = this.direction === 'rtl' ? A4.width - MARGIN - total : MARGIN;
    for (const run of runs) {
      this.doc.text(run.text, x, this.y, { lineBreak: false, features: [] });
      x += this.width(run.text);
    }
    this.y += size * 1.45;
  }
}
