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
function kindLabels(surveysDir: string | undefined): LabelTable {
  if (!surveysDir) return {};
  const file = path.join(surveysDir, 'shared', 'code-lists.json');
  if (!fs.existsSync(file)) return {};
  const lists = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { choices?: { value: string; text: Record<string, string> }[] }>;
  return Object.fromEntries((lists.actor_kinds?.choices ?? []).map((choice) => [choice.value, choice.text]));
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
    kinds ??= kindLabels(surveysDir);
    const words = locale === 'de' || locale === 'de-x-easy' ? WORDS.de : WORDS.en;
    const key = locale === 'de' ? 'default' : locale;
    return {
      title: words.title,
      colorHeading: words.color[color],
      sizeHeading: `${words.size}: ${words.metric[size]}`,
      kindLabel: (code) => kinds![code]?.[key] ?? kinds![code]?.default ?? code,
      communityLabel: (number) => `${words.community} ${number}`,
    };
  };
}
