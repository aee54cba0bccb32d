import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { messageResources } from './messages.ts';

/** Flattens the nested message tree to `a.b.c` keys; non-string leaves are kept so the test can reject them. */
function flatten(tree: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as object, `${path}.`)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

const flat = Object.fromEntries(
  SUPPORTED_LOCALES.map((locale) => [locale, flatten(messageResources[locale].translation)]),
) as Record<Locale, Map<string, unknown>>;
const german = flat.de;
const english = flat.en;

/** Locales that were seeded with English placeholders and must now be translated. */
const TRANSLATED: readonly Locale[] = ['de-x-easy', 'tr', 'ar', 'ru', 'uk', 'pl', 'fa'];

/**
 * Entries that may legitimately read exactly as in English. Keep this minimal.
 * - pl `analysis.mode.online`: "online" is the ordinary Polish word for it (as in the
 *   existing Polish `analysis.meta.mode` "Sposób (online lub rozmowa)").
 */
const SAME_AS_ENGLISH_ALLOWED: Partial<Record<Locale, readonly string[]>> = {
  pl: ['analysis.mode.online'],
};

// Explicit direction marks and embeddings/isolates: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

describe('server messages', () => {
  it.each(SUPPORTED_LOCALES)('%s has exactly the keys of de.json', (locale) => {
    expect([...flat[locale].keys()].sort()).toEqual([...german.keys()].sort());
  });

  it.each(SUPPORTED_LOCALES)('%s has only non-empty string values', (locale) => {
    const bad = [...flat[locale]].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    expect(bad).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)('%s uses the same {{placeholders}} as de.json', (locale) => {
    const mismatches: string[] = [];
    for (const [key, deValue] of german) {
      const value = flat[locale].get(key);
      if (typeof deValue !== 'string' || typeof value !== 'string') continue;
      const want = placeholders(deValue);
      const got = placeholders(value);
      if (want.join() !== got.join()) mismatches.push(`${key}: expected [${want}] got [${got}]`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each(TRANSLATED)('%s has no value left in English', (locale) => {
    const allowed = new Set(SAME_AS_ENGLISH_ALLOWED[locale] ?? []);
    const untranslated = [...flat[locale]]
      .filter(([key, value]) => value === english.get(key) && !allowed.has(key))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('the allowlist only names keys that exist and still read as in English', () => {
    for (const [locale, keys] of Object.entries(SAME_AS_ENGLISH_ALLOWED) as [Locale, string[]][]) {
      for (const key of keys) expect(flat[locale].get(key), `${locale} ${key}`).toBe(english.get(key));
    }
  });

  it.each(['ar', 'fa'] as const)('%s contains no bidi control characters', (locale) => {
    const bad = [...flat[locale]].filter(([, v]) => typeof v === 'string' && BIDI_CONTROLS.test(v)).map(([k]) => k);
    expect(bad).toEqual([]);
  });
});
