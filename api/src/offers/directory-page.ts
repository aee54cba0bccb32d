import { messageFor } from '../i18n/messages.ts';
import { escapeHtml, linesHtml } from '../results/html.ts';
import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import type { NormalisedOffer } from '../shared/offers.ts';
import { EVERYONE, labelIn, type OfferLabels } from './codes.ts';
import type { DistrictName } from './repository.ts';

/** The directory's stylesheet (served at OFFERS_CSS_PATH: the CSP allows no inline <style>). */
export const OFFERS_CSS_PATH = '/offers/offers.css';
export const OFFERS_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.5}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .25rem}
a{color:#0b4f9c}
nav ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
form{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));background:#f3f6fa;padding:.75rem;margin:1rem 0}
label{display:block;font-weight:600}
input,select,button{font:inherit;padding:.35rem;width:100%;box-sizing:border-box;border:1px solid #555;border-radius:.25rem}
button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;cursor:pointer}
article{border-top:1px solid #ccc;padding:.5rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.25rem 0}
dt{font-weight:600}
dd{margin:0}
.easy{font-size:1.15rem;line-height:1.7}
`;

export interface DirectoryQuery {
  q: string;
  field: string;
  district: string;
  language: string;
  targetGroup: string;
}

export interface DirectoryPageInput {
  locale: Locale;
  townName: string;
  offers: NormalisedOffer[];
  /** Every code any public offer uses, for the filters. */
  choices: { fields: string[]; districts: string[]; languages: string[]; targetGroups: string[] };
  query: DirectoryQuery;
  labels: OfferLabels;
  districts: DistrictName[];
}

function districtName(districts: DistrictName[], code: string, locale: Locale): string {
  const name = districts.find((district) => district.code === code)?.name;
  if (!name) return code;
  return (locale === 'de' ? name.default : name[locale]) ?? name.default ?? name.de ?? code;
}

/** The public directory of offers: readable without JavaScript, filters as a plain GET form, every locale. */
export function directoryPage(input: DirectoryPageInput): string {
  const { locale, labels, query } = input;
  const t = messageFor(locale);
  const dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  const district = (code: string) => districtName(input.districts, code, locale);
  const select = (name: keyof DirectoryQuery, label: string, codes: string[], text: (code: string) => string) => {
    const options = [`<option value="">${escapeHtml(t('offers.any'))}</option>`, ...codes.map((code) => `<option value="${escapeHtml(code)}"${query[name] === code ? ' selected' : ''}>${escapeHtml(text(code))}</option>`)];
    return `<div><label for="f-${name}">${escapeHtml(label)}</label><select id="f-${name}" name="${name}">${options.join('')}</select></div>`;
  };
  const form = `<form method="get" action="/offers" role="search" aria-label="${escapeHtml(t('offers.search_heading'))}">
<input type="hidden" name="lang" value="${locale}">
<div><label for="f-q">${escapeHtml(t('offers.search_label'))}</label><input id="f-q" name="q" type="search" value="${escapeHtml(query.q)}"></div>
${select('field', t('offers.field'), input.choices.fields, (code) => labelIn(labels.field, code, locale))}
${select('district', t('offers.district'), input.choices.districts, district)}
${select('language', t('offers.language'), input.choices.languages, (code) => labelIn(labels.language, code, locale))}
${select('targetGroup', t('offers.target_group'), input.choices.targetGroups, (code) => labelIn(labels.targetGroup, code, locale))}
<div><button type="submit">${escapeHtml(t('offers.submit'))}</button></div>
</form>`;
  const row = (term: string, value: string) => (value ? `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>` : '');
  const items = input.offers.map((offer, index) => {
    const organisation = offer.actor?.name ?? offer.organisationName ?? '';
    const groups = offer.targetGroups.map((code) => escapeHtml(labelIn(labels.targetGroup, code, locale))).join(', ');
    const places = offer.townWide ? escapeHtml(t('offers.town_wide')) : offer.districts.map((code) => escapeHtml(district(code))).join(', ');
    // Organisations write their offers in German: the title and place are marked as such.
    return `<article aria-labelledby="o${index}">
<h2 id="o${index}" lang="de" dir="ltr">${escapeHtml(offer.title)}</h2>
<dl>
${row(t('offers.organisation'), organisation ? `<span lang="de" dir="ltr">${escapeHtml(organisation)}</span>` : '')}
${row(t('offers.field'), offer.fieldOfAction ? escapeHtml(labelIn(labels.field, offer.fieldOfAction, locale)) : '')}
${row(t('offers.target_group'), groups)}
${row(t('offers.district'), places)}
${row(t('offers.where'), offer.where ? `<span lang="de" dir="ltr">${escapeHtml(offer.where)}</span>` : '')}
${row(t('offers.language'), offer.languages.map((code) => escapeHtml(labelIn(labels.language, code, locale))).join(', '))}
${row(t('offers.frequency'), offer.frequency ? escapeHtml(labelIn(labels.frequency, offer.frequency, locale)) : '')}
${row(t('offers.times'), (offer.times ?? []).map((code) => escapeHtml(labelIn(labels.times, code, locale))).join(', '))}
${row(t('offers.cost'), offer.cost ? escapeHtml(labelIn(labels.cost, offer.cost, locale)) : '')}
${row(t('offers.accessibility'), (offer.accessibility ?? []).map((code) => escapeHtml(labelIn(labels.accessibility, code, locale))).join(', '))}
${row(t('offers.capacity'), offer.capacity !== null ? String(offer.capacity) : '')}
</dl>
</article>`;
  });
  const languages = SUPPORTED_LOCALES.map(
    (lang) =>
      `<li><a href="/offers?lang=${lang}" lang="${lang}" hreflang="${lang}"${lang === locale ? ' aria-current="page"' : ''}>${escapeHtml(LOCALE_NATIVE_NAMES[lang])}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t('offers.page_title', { town: input.townName }))}</title><link rel="stylesheet" href="${OFFERS_CSS_PATH}"></head>
<body${locale === 'de-x-easy' ? ' class="easy"' : ''}>
<header><nav aria-label="${escapeHtml(t('results.language'))}"><ul>${languages}</ul></nav><p><a href="/?lang=${locale}">${escapeHtml(t('web.home'))}</a></p></header>
<main>
<h1>${escapeHtml(t('offers.heading'))}</h1>
<p>${linesHtml(t('offers.intro'))}</p>
${form}
<p role="status">${escapeHtml(t('offers.count', { count: input.offers.length }))}</p>
${items.length ? items.join('\n') : `<p>${linesHtml(t('offers.none'))}</p>`}
</main>
<footer>${locale === 'de' ? '' : `<p>${linesHtml(t('offers.translation_note'))}</p>`}</footer>
</body>
</html>
`;
}

/** The public offers that pass the directory's search: free text over title, organisation and place. */
export function searchDirectory(offers: readonly NormalisedOffer[], query: DirectoryQuery): NormalisedOffer[] {
  const words = query.q.toLocaleLowerCase('de').split(/\s+/).filter(Boolean);
  return offers.filter((offer) => {
    const haystack = [offer.title, offer.actor?.name ?? offer.organisationName ?? '', offer.where ?? ''].join(' ').toLocaleLowerCase('de');
    return (
      words.every((word) => haystack.includes(word)) &&
      (!query.field || offer.fieldOfAction === query.field) &&
      (!query.district || offer.districts.includes(query.district)) &&
      (!query.language || offer.languages.includes(query.language)) &&
      (!query.targetGroup || offer.targetGroups.includes(query.targetGroup) || offer.targetGroups.includes(EVERYONE))
    );
  });
}
