import './results-links.css';
import { RTL_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import type { MeasureRow } from '../../../api/src/shared/contract.ts';
import { t } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { formatDate } from '../shared/town.ts';

/** `GET /api/results/:slug/summary`: where the published results are, and the survey's measures. */
interface ResultsSummary {
  published: { snapshotId: string; publishedAt: string; path: string } | null;
  measures: (Omit<MeasureRow, 'updatedAt'> & { updatedAt: string })[];
}

let summary: Promise<ResultsSummary | null> = Promise.resolve(null);

/**
 * Starts asking, beside the survey's JSON, whether results are published. A page that cannot find
 * out shows no link: the survey works all the same.
 */
export function loadResultsSummary(slug: string): void {
  summary = fetch(`/api/results/${encodeURIComponent(slug)}/summary`, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then((response) => (response.ok ? (response.json() as Promise<ResultsSummary>) : null))
    .catch(() => null);
}

/** A staff text in this locale, or the German one marked as German (so it is read, and shown, as German). */
function staffText(text: Record<string, string>, locale: Locale): { text: string; lang?: string; dir?: string } {
  const own = text[locale];
  if (own) return { text: own };
  return { text: text.de ?? '', lang: 'de', dir: RTL_LOCALES.has(locale) ? 'ltr' : undefined };
}

/**
 * The links to `/results/<slug>` on the welcome and the thank-you page, shown only when a snapshot
 * is published, and the measures ("what happened with your input") on the welcome page. Called
 * whenever the welcome page is drawn (first, and after a language switch).
 */
export async function showResultsLinks(locale: Locale): Promise<void> {
  const found = await summary;
  const href = found?.published ? `${found.published.path}?lang=${encodeURIComponent(locale)}` : null;
  for (const prefix of ['welcome', 'thanks']) {
    const link = byId<HTMLAnchorElement>(`${prefix}-results-link`);
    byId(`${prefix}-results`).hidden = href === null;
    if (href) link.href = href;
  }
  byId('thanks-results-pending').hidden = href !== null;

  const measures = found?.measures ?? [];
  const section = byId('welcome-measures');
  section.hidden = measures.length === 0;
  byId('welcome-measures-list').replaceChildren(
    ...measures.map((measure) => {
      const title = staffText(measure.title, locale);
      const latest = measure.updates.at(-1);
      const update = latest ? staffText(latest.text, locale) : null;
      return h(
        'li',
        { class: 'measure' },
        h('h3', { lang: title.lang, dir: title.dir }, title.text),
        h('p', {}, `${t(`respond:involve.topics.${measure.fieldOfAction}`)} · `, h('strong', {}, t('respond:measures.status', { status: t(`respond:measures.statuses.${measure.status}`) }))),
        latest && update
          ? h('p', {}, h('time', { datetime: latest.date }, formatDate(latest.date, locale)), ': ', h('span', { lang: update.lang, dir: update.dir }, update.text))
          : null,
      );
    }),
  );
}
