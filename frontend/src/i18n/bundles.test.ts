import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../../api/src/shared/locales.ts';

/**
 * Every namespace (a folder here) has one file per supported locale with exactly German's keys and
 * the same `{{variables}}`: a missing string would show a raw key, a missing variable a broken
 * sentence. Leichte Sprache may fall back to German by design but is held to the same rule.
 */
const here = import.meta.dirname;
const namespaces = fs.readdirSync(here).filter((entry) => fs.statSync(path.join(here, entry)).isDirectory());
/**
 * Staff-only pages that offer German and English alone (the admin area, as the issue allows): they
 * never load another locale, so they have exactly these two files, held to the same rules.
 */
const STAFF_ONLY_NAMESPACES: Record<string, readonly string[]> = { admin: ['de', 'en'], 'admin-results': ['de', 'en'], 'event-day': ['de', 'en'], workshop: ['de', 'en'] };
const localesOf = (namespace: string) => STAFF_ONLY_NAMESPACES[namespace] ?? SUPPORTED_LOCALES;

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'string') out.set(name, child);
    else if (child && typeof child === 'object') for (const [k, v] of flatten(child, name)) out.set(k, v);
    else out.set(name, String(child));
  }
  return out;
}

const variablesOf = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe.each(namespaces)('UI strings, namespace %s', (namespace) => {
  const read = (locale: string) => JSON.parse(fs.readFileSync(path.join(here, namespace, `${locale}.json`), 'utf8'));
  // Read inside the tests: a namespace still being written fails its tests, not the whole file.
  const germanStrings = () => flatten(read('de'));

  it('has a file for each of its locales and no other', () => {
    const files = fs.readdirSync(path.join(here, namespace)).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -5));
    expect(files.sort()).toEqual([...localesOf(namespace)].sort());
  });

  it.each(localesOf(namespace).filter((l) => l !== 'de'))('%s has every German key, no extra ones, and the same variables', (locale) => {
    const german = germanStrings();
    const strings = flatten(read(locale));
    expect([...strings.keys()].sort()).toEqual([...german.keys()].sort());
    for (const [key, text] of strings) {
      expect(text.trim(), `${namespace}:${key} in ${locale}`).not.toBe('');
      expect(variablesOf(text), `${namespace}:${key} in ${locale}`).toEqual(variablesOf(german.get(key)!));
    }
  });

  it('has no empty German string', () => {
    for (const [key, text] of germanStrings()) expect(text.trim(), key).not.toBe('');
  });
});
