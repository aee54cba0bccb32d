import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import { csvText, neutraliseFormula, type CsvDialect } from '../analysis/csv/csv-writer.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { FIELDS_OF_ACTION, PARTICIPATION_FORMATS } from '../shared/contact-options.ts';

/** What a coordinator may filter the contact list by (all optional; lists match any of their values). */
export interface ContactFilter {
  /** Part of the name, e-mail address or phone number (case-insensitive). */
  search: string | null;
  topics: string[];
  formats: string[];
  district: string | null;
  locale: string | null;
  confirmed: boolean | null;
}

export interface ListedContact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  topics: string[];
  formats: string[];
  district: string | null;
  locale: string;
  createdMonth: string;
  confirmed: boolean;
}

const list = (value: string | undefined) => (value ? value.split(',').map((part) => part.trim()).filter(Boolean) : []);

/** Reads the filter from the query string; an unknown option is a 400 naming it. */
export function parseContactFilter(query: Record<string, string | undefined>): ContactFilter {
  const topics = list(query.topics);
  const formats = list(query.formats);
  const bad = [
    ...topics.filter((topic) => !(FIELDS_OF_ACTION as readonly string[]).includes(topic)),
    ...formats.filter((format) => !(PARTICIPATION_FORMATS as readonly string[]).includes(format)),
  ];
  if (query.locale && !(SUPPORTED_LOCALES as readonly string[]).includes(query.locale)) bad.push(query.locale);
  if (query.confirmed && query.confirmed !== 'true' && query.confirmed !== 'false') bad.push(query.confirmed);
  if (bad.length > 0) throw new ApiError(400, 'invalid_request', { details: `unknown filter value ${bad.join(', ')}` });
  const search = query.q?.trim().slice(0, 200) || null;
  return {
    search,
    topics,
    formats,
    district: query.district?.trim() || null,
    locale: query.locale || null,
    confirmed: query.confirmed ? query.confirmed === 'true' : null,
  };
}

const anyOf = (column: 'topics' | 'formats', values: string[]) =>
  sql<boolean>`exists (select 1 from jsonb_array_elements_text(${sql.ref(column)}) as chosen(value) where chosen.value in (${sql.join(values)}))`;

/**
 * The contact list (moved contacts only: opt-ins still held by the mover appear with its next batch),
 * in a stable order that says nothing about arrival: by name, then e-mail, then id.
 */
export async function listContacts(db: Kysely<Database>, filter: ContactFilter): Promise<ListedContact[]> {
  let query = db
    .selectFrom('contact')
    .select(['id', 'name', 'email', 'phone', 'topics', 'formats', 'district', 'locale', 'created_month', 'confirmed']);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern), eb('phone', 'ilike', pattern)]));
  }
  if (filter.topics.length > 0) query = query.where(anyOf('topics', filter.topics));
  if (filter.formats.length > 0) query = query.where(anyOf('formats', filter.formats));
  if (filter.district) query = query.where('district', '=', filter.district);
  if (filter.locale) query = query.where('locale', '=', filter.locale);
  if (filter.confirmed !== null) query = query.where('confirmed', '=', filter.confirmed);
  const rows = await query.orderBy(sql`lower(coalesce(name, ''))`).orderBy('email').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    topics: row.topics,
    formats: row.formats,
    district: row.district,
    locale: row.locale,
    createdMonth: row.created_month,
    confirmed: row.confirmed,
  }));
}

export const CONTACT_EXPORT_COLUMNS = ['name', 'email', 'phone', 'locale', 'district', 'topics', 'formats', 'confirmed', 'month'] as const;

function exportRecord(contact: ListedContact): string[] {
  return [
    contact.name ?? '',
    contact.email ?? '',
    contact.phone ?? '',
    contact.locale,
    contact.district ?? '',
    contact.topics.join(' '),
    contact.formats.join(' '),
    contact.confirmed ? 'yes' : 'no',
    contact.createdMonth,
  ];
}

/** The list as CSV for a mail merge; every text cell formula-safe (the shared CSV writer). */
export function contactsCsv(contacts: ListedContact[], dialect: CsvDialect): string {
  const text = csvText([[...CONTACT_EXPORT_COLUMNS], ...contacts.map(exportRecord)], dialect);
  return dialect === 'excel-de' ? `\uFEFF${text}` : text;
}

/** The list as an XLSX workbook; cells are strings (never formulas), formula-looking text neutralised too. */
export async function contactsXlsx(contacts: ListedContact[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('contacts');
  sheet.addRow([...CONTACT_EXPORT_COLUMNS]);
  for (const contact of contacts) sheet.addRow(exportRecord(contact).map(neutraliseFormula));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
