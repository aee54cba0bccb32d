import type { TFunction } from 'i18next';
import { messageFor } from '../i18n/messages.ts';
import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import { perturbationBound } from '../analysis/disclosure/cell-key.ts';
import { escapeHtml, linesHtml } from './html.ts';
import type { MeasureRow } from './repository.ts';
import { resultsChartSvg } from './results-chart-svg.ts';
import type { SnapshotContent, SnapshotItem, StaffText } from './snapshot-content.ts';
import { TOWN_TIME_ZONE } from '../shared/town-day.ts';

const INTL_LOCALE: Record<Locale, string> = { de: 'de-DE', 'de-x-easy': 'de-DE', en: 'en-GB', tr: 'tr-TR', ar: 'ar', ru: 'ru-RU', uk: 'uk-UA', pl: 'pl-PL', fa: 'fa-IR' };
const TIME_ZONE = TOWN_TIME_ZONE;

/** The stylesheet of the results pages (served at RESULTS_CSS_PATH: the CSP allows no inline <style>). */
export const RESULTS_CSS_PATH = '/results/results.css';
export const RESULTS_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.5}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-top:1px solid #ccc;padding-top:1rem}
h3{font-size:1.1rem;margin:1rem 0 .25rem}
a{color:#0b4f9c}
nav ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.note{background:#f3f6fa;border-inline-start:4px solid #0b4f9c;padding:.5rem .75rem}
.marker{display:inline-block;font-size:.85rem;background:#fff4d6;color:#5c4100;padding:0 .4rem;border-radius:.25rem}
.chart{width:100%;height:auto;max-width:40rem;display:block;margin:.5rem 0}
.chart-label{font-size:15px;fill:#1b1b1b}
.chart-value{font-size:14px;fill:#1b1b1b}
.chart-bar{fill:#0b4f9c}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0;min-width:60%}
caption{text-align:start;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:start;vertical-align:top}
td{font-variant-numeric:tabular-nums}
.range{display:block;font-size:.85rem;color:#444}
.status{font-weight:600}
.easy{font-size:1.15rem;line-height:1.7}
ol.history{padding-inline-start:1.25rem}
`;

export interface ResultsPageInput {
  locale: Locale;
  townName: string;
  slug: string;
  content: SnapshotContent;
  publishedAt: Date;
  snapshotId: string;
  /** The snapshot shown is not the newest: link back to it. */
  isEarlier: boolean;
  earlier: { id: string; publishedAt: Date }[];
  measures: MeasureRow[];
  /** Staff preview of a draft: not indexed, and says so. */
  preview?: boolean;
}

/** The staff text in this locale, marked as a draft translation, or the German one marked as German. */
function staffTextHtml(text: StaffText, locale: Locale, t: TFunction): string {
  const own = locale === 'de' ? text.de : text[locale];
  if (own) {
    const marker = locale === 'de' ? '' : ` <span class="marker">${escapeHtml(t('results.text_draft'))}</span>`;
    return `<p>${linesHtml(own)}${marker}</p>`;
  }
  return `<p lang="de" dir="ltr">${linesHtml(text.de)} <span class="marker" lang="${locale}" dir="${RTL_LOCALES.has(locale) ? 'rtl' : 'ltr'}">${escapeHtml(t('results.text_german'))}</span></p>`;
}

function itemHtml(item: SnapshotItem, index: number, input: ResultsPageInput, t: TFunction, percent: Intl.NumberFormat, count: Intl.NumberFormat): string {
  const { locale, content } = input;
  const rtl = RTL_LOCALES.has(locale);
  const label = item.label[locale];
  const id = `q${index + 1}`;
  const shareOf = (o: number, g: number) => {
    const option = item.options[o]!;
    if (content.weighted) return option.weighted?.[g] ?? null;
    const share = option.shares[g];
    return share === null || share === undefined ? null : { share };
  };
  const cell = (o: number, g: number) => {
    const value = shareOf(o, g);
    if (!value) return `<td>${escapeHtml(t('results.too_few'))}</td>`;
    const range =
      'ciLow' in value
        ? `<span class="range">${escapeHtml(t('results.range', { low: percent.format(value.ciLow), high: percent.format(value.ciHigh) }))}</span>`
        : '';
    return `<td>${escapeHtml(percent.format(value.share))}${range}</td>`;
  };
  const bars = item.options.map((option, o) => {
    const value = shareOf(o, 0);
    return { label: option.label[locale], value: value?.share ?? null, text: value ? percent.format(value.share) : t('results.too_few') };
  });
  const chart = resultsChartSvg({ id, title: `${t('results.chart', { question: label })} ${t('results.chart_group', { group: content.groups[0]!.label[locale] })}`, bars, rtl });
  const head = content.groups.map((group) => `<th scope="col">${escapeHtml(group.label[locale])}</th>`).join('');
  const body = item.options
    .map((option, o) => `<tr><th scope="row">${escapeHtml(option.label[locale])}</th>${content.groups.map((_, g) => cell(o, g)).join('')}</tr>`)
    .join('');
  const foot = `<tr><th scope="row">${escapeHtml(t('results.answered'))}</th>${item.base.map((n) => `<td>${escapeHtml(count.format(n))}</td>`).join('')}</tr>`;
  return `<section aria-labelledby="${id}-h">
<h2 id="${id}-h">${escapeHtml(label)}</h2>
${staffTextHtml(item.text, locale, t)}
<p>${escapeHtml(t('results.answers', { n: count.format(item.base[0] ?? 0) }))}</p>
${item.kind === 'multiple' ? `<p>${linesHtml(t('results.multiple'))}</p>` : ''}
<figure>${chart}<figcaption>${linesHtml(t('results.chart', { question: label }))}</figcaption></figure>
<div class="table-wrap"><table><caption>${escapeHtml(label)}</caption><thead><tr><th scope="col">${escapeHtml(t('results.option'))}</th>${head}</tr></thead><tbody>${body}</tbody><tfoot>${foot}</tfoot></table></div>
</section>`;
}

function measuresHtml(input: ResultsPageInput, t: TFunction, date: Intl.DateTimeFormat): string {
  const { locale, measures, content } = input;
  const text = (value: Record<string, string>) => value[locale] || value.de || '';
  const langOf = (value: Record<string, string>) => (value[locale] ? '' : ' lang="de" dir="ltr"');
  const itemLabels = new Map(content.items.map((item) => [item.key, item.label[locale]]));
  const list = measures.map((measure) => {
    const basedOn = measure.resultKeys
      .map((key) => [...itemLabels].find(([itemKey]) => itemKey === key || itemKey.startsWith(`${key}.`)))
      .filter((entry): entry is [string, string] => entry !== undefined)
      .map(([key, name]) => `<li><a href="#q${content.items.findIndex((item) => item.key === key) + 1}-h">${escapeHtml(name)}</a></li>`);
    const history = measure.updates.map(
      (update) =>
        `<li><time datetime="${update.date}">${escapeHtml(date.format(new Date(`${update.date}T12:00:00Z`)))}</time> – <span class="status">${escapeHtml(t(`results.status.${update.status}`))}</span>: <span${langOf(update.text)}>${linesHtml(text(update.text))}</span></li>`,
    );
    return `<article>
<h3${langOf(measure.title)}>${escapeHtml(text(measure.title))}</h3>
<p>${escapeHtml(t(`results.field.${measure.fieldOfAction}`))} · <span class="status">${escapeHtml(t('results.measure_status', { status: t(`results.status.${measure.status}`) }))}</span></p>
${measure.description.de ? `<p${langOf(measure.description)}>${linesHtml(text(measure.description))}</p>` : ''}
${basedOn.length ? `<p>${escapeHtml(t('results.measure_based_on'))}:</p><ul>${basedOn.join('')}</ul>` : ''}
${measure.eventSlugs.length ? `<p>${escapeHtml(t('results.measure_events'))}:</p><ul>${measure.eventSlugs.map((slug) => `<li><a href="/events/${encodeURIComponent(slug)}?lang=${locale}">${escapeHtml(slug)}</a></li>`).join('')}</ul>` : ''}
${history.length ? `<p>${escapeHtml(t('results.measure_history'))}:</p><ol class="history">${history.join('')}</ol>` : ''}
</article>`;
  });
  return `<section aria-labelledby="measures-h">
<h2 id="measures-h">${escapeHtml(t('results.measures_heading'))}</h2>
<p>${linesHtml(t('results.measures_intro'))}</p>
${list.length ? list.join('\n') : `<p>${linesHtml(t('results.measures_none'))}</p>`}
</section>`;
}

function languageNav(locale: Locale, t: TFunction, query: (lang: Locale) => string): string {
  const links = SUPPORTED_LOCALES.map((lang) =>
    lang === locale
      ? `<li><a href="${escapeHtml(query(lang))}" aria-current="page" lang="${lang}" hreflang="${lang}">${escapeHtml(LOCALE_NATIVE_NAMES[lang])}</a></li>`
      : `<li><a href="${escapeHtml(query(lang))}" lang="${lang}" hreflang="${lang}">${escapeHtml(LOCALE_NATIVE_NAMES[lang])}</a></li>`,
  );
  return `<nav aria-label="${escapeHtml(t('results.language'))}"><ul>${links.join('')}</ul></nav>`;
}

function pageShell(locale: Locale, title: string, body: string, options: { noindex?: boolean } = {}): string {
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>${options.noindex ? '<meta name="robots" content="noindex">' : ''}<link rel="stylesheet" href="${RESULTS_CSS_PATH}"></head>
<body${locale === 'de-x-easy' ? ' class="easy"' : ''}>
${body}
</body>
</html>
`;
}

/** The public results page of one published snapshot: readable without JavaScript, every locale. */
export function resultsPage(input: ResultsPageInput): string {
  const { locale, content } = input;
  const t = messageFor(locale);
  const intl = INTL_LOCALE[locale];
  const percent = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 0 });
  const count = new Intl.NumberFormat(intl);
  const date = new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeZone: TIME_ZONE });
  const title = content.title[locale];
  const base = `/results/${encodeURIComponent(input.slug)}`;
  const earlier = input.earlier.length
    ? `<section aria-labelledby="earlier-h"><h2 id="earlier-h">${escapeHtml(t('results.earlier'))}</h2><ul>${input.earlier
        .map((snapshot) => `<li><a href="${base}?snapshot=${snapshot.id}&amp;lang=${locale}">${escapeHtml(t('results.earlier_item', { date: date.format(snapshot.publishedAt) }))}</a></li>`)
        .join('')}</ul></section>`
    : '';
  const body = `<header>
${languageNav(locale, t, (lang) => (input.isEarlier ? `?snapshot=${input.snapshotId}&lang=${lang}` : `?lang=${lang}`))}
<p><a href="/?lang=${locale}">${escapeHtml(t('web.home'))}</a></p>
</header>
<main>
<h1>${escapeHtml(t('results.heading', { title }))}</h1>
<p>${escapeHtml(t('results.published_on', { date: date.format(input.publishedAt) }))}${input.isEarlier ? ` · <a href="${base}?lang=${locale}">${escapeHtml(t('results.current_link'))}</a>` : ''}</p>
<section aria-labelledby="method-h" class="note">
<h2 id="method-h">${escapeHtml(t('results.method_heading'))}</h2>
<p>${linesHtml(t(content.weighted ? 'results.method_weighted' : 'results.method_unweighted'))}</p>
<p>${linesHtml(t('results.privacy', { k: count.format(content.k), d: count.format(perturbationBound(content.k)) }))}</p>
</section>
${content.items.map((item, index) => itemHtml(item, index, input, t, percent, count)).join('\n')}
${measuresHtml(input, t, date)}
${earlier}
</main>
<footer>${locale === 'de' ? '' : `<p>${linesHtml(t('results.translation_note'))}</p>`}</footer>`;
  return pageShell(locale, t('results.page_title', { title, town: input.townName }), body, { noindex: input.preview });
}

/** The list of surveys with published results. */
export function resultsIndexPage(input: { locale: Locale; townName: string; surveys: { slug: string; title: string; publishedAt: Date }[] }): string {
  const { locale } = input;
  const t = messageFor(locale);
  const date = new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeZone: TIME_ZONE });
  const list = input.surveys.length
    ? `<ul>${input.surveys
        .map((survey) => `<li><a href="/results/${encodeURIComponent(survey.slug)}?lang=${locale}">${escapeHtml(survey.title)}</a> – ${escapeHtml(t('results.published_on', { date: date.format(survey.publishedAt) }))}</li>`)
        .join('')}</ul>`
    : `<p>${linesHtml(t('results.index_none'))}</p>`;
  const body = `<header>${languageNav(locale, t, (lang) => `?lang=${lang}`)}<p><a href="/?lang=${locale}">${escapeHtml(t('web.home'))}</a></p></header>
<main><h1>${escapeHtml(t('results.index_heading'))}</h1>${list}</main>`;
  return pageShell(locale, t('results.index_title', { town: input.townName }), body);
}
