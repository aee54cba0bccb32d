import { distance } from 'fastest-levenshtein';

/**
 * Abbreviations that local organisations write both ways. Each is matched as a whole word after
 * lower-casing; the long form is what both spellings become, so "AWO OV Worfelden" and
 * "AWO Ortsverein Worfelden" normalise to the same text.
 */
const ABBREVIATIONS: readonly [RegExp, string][] = [
  [/\bov\b/g, 'ortsverein'],
  [/\bkv\b/g, 'kreisverband'],
  [/\bgem\b/g, 'gemeinde'],
  [/\bkath\b/g, 'katholisch'],
  [/\bfreiw\b/g, 'freiwillige'],
  [/\bff\b/g, 'freiwillige feuerwehr'],
  [/\bsv\b/g, 'sportverein'],
  [/\btv\b/g, 'turnverein'],
  [/\bvhs\b/g, 'volkshochschule'],
  [/\bkita\b/g, 'kindertagesstaette'],
  [/\bgs\b/g, 'grundschule'],
  [/\bstr\b/g, 'strasse'],
];

/**
 * Words that say what legal form an organisation has, not which one it is: "Tafel e.V." and
 * "Tafel" are the same actor. Removed after the abbreviations are expanded.
 */
const LEGAL_FORMS = /\b(e ?v|ev|ggmbh|gmbh|gbr|ag|kg|kdör|kdoer|mbh|gug)\b/g;

/**
 * The name in a form that spelling variants share: lower case, umlauts and ß spelt out, "e.V."
 * and other legal forms dropped, punctuation to spaces, common abbreviations expanded.
 */
export function normaliseActorName(name: string): string {
  let text = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  // "e.V." and "e. V." before punctuation goes, so that the dots do not split it into "e v".
  text = text.replace(/\be\s*\.\s*v\s*\.?/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ');
  for (const [pattern, long] of ABBREVIATIONS) text = text.replace(pattern, long);
  return text.replace(LEGAL_FORMS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * How alike two names are, from 0 to 1: the larger of the Levenshtein ratio of the normalised names
 * and the same ratio with their words sorted ("Ortsverein AWO Worfelden"). Levenshtein comes from
 * fastest-levenshtein rather than being written here.
 */
export function nameSimilarity(a: string, b: string): number {
  return similarityOfNormalised(normaliseActorName(a), normaliseActorName(b));
}

export function similarityOfNormalised(a: string, b: string): number {
  if (a.length === 0 && b.length === 0) return 1;
  const ratio = (x: string, y: string) => 1 - distance(x, y) / Math.max(x.length, y.length, 1);
  const sorted = (x: string) => x.split(' ').sort().join(' ');
  return Math.max(ratio(a, b), ratio(sorted(a), sorted(b)));
}

/** Two names at or above this similarity are offered to staff as a possible duplicate. */
export const DUPLICATE_THRESHOLD = 0.85;

export interface DuplicateCandidate<T> {
  a: T;
  b: T;
  similarity: number;
}

/**
 * Pairs of actors whose names may be the same organisation, most alike first. Quadratic in the
 * number of actors, which is fine for a town's registry (a few thousand names).
 */
export function suggestDuplicates<T extends { name: string }>(
  actors: readonly T[],
  threshold = DUPLICATE_THRESHOLD,
): DuplicateCandidate<T>[] {
  const keys = actors.map((actor) => normaliseActorName(actor.name));
  const out: DuplicateCandidate<T>[] = [];
  for (let i = 0; i < actors.length; i += 1) {
    for (let j = i + 1; j < actors.length; j += 1) {
      const ki = keys[i]!;
      const kj = keys[j]!;
      // Names whose lengths differ this much cannot reach the threshold; skip the distance.
      if (Math.min(ki.length, kj.length) / Math.max(ki.length, kj.length, 1) < threshold - 0.1) continue;
      const similarity = similarityOfNormalised(ki, kj);
      if (similarity >= threshold) out.push({ a: actors[i]!, b: actors[j]!, similarity: Math.round(similarity * 1000) / 1000 });
    }
  }
  return out.sort((x, y) => y.similarity - x.similarity);
}
