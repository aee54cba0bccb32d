import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../shared/locales.ts';
import type { NetworkColorMode, NetworkSizeMetric } from '../shared/network-map.ts';
import type { MapTexts } from './map-svg.ts';

type LabelTable = Record<string, Record<string, string>>;

/**
 * The kinds' names in every locale, from the instruments' shared code lists
 * (`surveys/shared/code-lists.json`, `actor_kinds`); read once. Without the file (a test fixture
 * folder) the map names kinds by their codes.
 */
function codeListLabels(surveysDir: string | undefined): { kinds: LabelTable; fieldsOfAction: LabelTable } {
  const file = surveysDir ? path.join(surveysDir, 'shared', 'code-lists.json') : null;
  if (!file || !fs.existsSync(file)) return { kinds: {}, fieldsOfAction: {} };
  const lists = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { choices?: { value: string; text: Record<string, string> }[] }>;
  const table = (name: string) => Object.fromEntries((lists[name]?.choices ?? []).map((choice) => [choice.value, choice.text]));
  return { kinds: table('actor_kinds'), fieldsOfAction: table('fields_of_action') };
}

/** A label in `locale` (German under `default`), else German, else the code itself. */
export const labelIn = (table: LabelTable, code: string, locale: Locale) => table[code]?.[locale === 'de' ? 'default' : locale] ?? table[code]?.default ?? code;

/** Names of the kinds and fields of action in one locale, for the dashboard's filters and legend. */
export function codeLabelsFor(surveysDir: string | undefined): (locale: Locale, codes: { kinds: readonly string[]; fieldsOfAction: readonly string[] }) => { kinds: Record<string, string>; fieldsOfAction: Record<string, string> } {
  let lists: ReturnType<typeof codeListLabels> | null = null;
  return (locale, codes) => {
    lists ??= codeListLabels(surveysDir);
    return {
      kinds: Object.fromEntries(codes.kinds.map((code) => [code, labelIn(lists!.kinds, code, locale)])),
      fieldsOfAction: Object.fromEntries(codes.fieldsOfAction.map((code) => [code, labelIn(lists!.fieldsOfAction, code, locale)])),
    };
  };
}

/** The map's own words: staff pages are German and English at least; other locales read English here. */
const WORDS = {
  de: {
    title: 'Netzwerk der Akteure',
    color: { kind: 'Farbe: Art des Akteurs', community: 'Farbe: Gruppe (Community)' },
    size: 'Größe',
    community: 'Gruppe',
    metric: {
      degree: 'Anzahl der Partner',
      betweenness: 'Brückenfunktion (Betweenness)',
      closeness: 'Nähe zu allen (Closeness)',
      eigenvector: 'Gut vernetzte Partner (Eigenvektor)',
      pagerank: 'PageRank',
      brokerage: 'Vermittlung zwischen Handlungsfeldern',
    },
  },
  en: {
    title: 'Network of actors',
    color: { kind: 'Colour: kind of actor', community: 'Colour: community' },
    size: 'Size',
    community: 'Community',
    metric: {
      degree: 'number of partners',
      betweenness: 'bridging (betweenness)',
      closeness: 'closeness to all (closeness)',
      eigenvector: 'well-connected partners (eigenvector)',
      pagerank: 'PageRank',
      brokerage: 'brokerage between fields of action',
    },
  },
} as const;

export function mapTextsFor(surveysDir: string | undefined): (locale: Locale, color: NetworkColorMode, size: NetworkSizeMetric) => MapTexts {
  let kinds: LabelTable | null = null;
  return (locale, color, size) => {
    kinds ??= codeListLabels(surveysDir).kinds;
    const words = locale === 'de' || locale === 'de-x-easy' ? WORDS.de : WORDS.en;
    return {
      title: words.title,
      colorHeading: words.color[color],
      sizeHeading: `${words.size}: ${words.metric[size]}`,
      kindLabel: (code) => labelIn(kinds!, code, locale),
      communityLabel: (number) => `${words.community} ${number}`,
    };
  };
}
