import '../styles/base.css';
import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, isLocale, type Locale } from '../../../api/src/shared/locales.ts';
import { changeLocale, initI18n, onLocaleChanged, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { requestJson } from '../shared/http.ts';
import { renderLanguageButtons } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage, rememberLocale } from '../shared/locale-choice.ts';
import { loadTown, showTownLogo, townVariables } from '../shared/town.ts';
import { createWithdrawForm } from '../shared/withdraw-form.ts';

/** The start page: the open surveys for residents, and withdrawal of consent to be contacted. */
interface SurveySummary {
  slug: string;
  kind: string;
  title: Record<string, string> | string;
  locales: string[];
}

let locale: Locale = chooseLocaleForThisPage();
const townLoad = loadTown();
const surveysRequest = requestJson<{ surveys: SurveySummary[] }>('GET', '/api/surveys').catch(() => null);

await townLoad;
await initI18n(locale, ['common', 'landing'], townVariables(locale));
translateDocument();
updateTitle();
for (const element of document.querySelectorAll<HTMLElement>('.skip-link, .site-header, main')) element.hidden = false;
showTownLogo();
renderChooser();
const prefill = new URLSearchParams(location.search).get('withdraw');
byId('withdraw-slot').replaceChildren(createWithdrawForm({ locale: () => locale, prefill }));
if (prefill && location.hash === '#withdraw') byId('withdraw-code').focus();

const answer = await surveysRequest;
const surveys = answer?.ok ? answer.body.surveys.filter((survey) => survey.kind !== 'interview') : null;
renderSurveys();
onLocaleChanged(() => {
  renderSurveys();
  updateTitle();
});

function renderChooser(): void {
  renderLanguageButtons(byId('language-buttons'), locale, SUPPORTED_LOCALES, async (next) => {
    locale = next;
    rememberLocale(next);
    if (await changeLocale(next, townVariables(next))) renderChooser();
  });
}

function renderSurveys(): void {
  const status = byId('surveys-status');
  const list = byId('survey-list');
  if (!surveys) {
    status.textContent = t('landing:loadFailed');
    return;
  }
  status.textContent = surveys.length === 0 ? t('landing:none') : '';
  const key = locale === 'de' ? 'default' : locale;
  list.replaceChildren(
    ...surveys.map((survey) => {
      const title = typeof survey.title === 'string' ? survey.title : (survey.title[key] ?? survey.title.default ?? survey.slug);
      // Each language's name in its own language, marked so that screen readers pronounce it right.
      const [before = '', after = ''] = t('landing:languages', { languages: '\u0000' }).split('\u0000');
      const names = survey.locales.filter(isLocale).flatMap((code, index) => [
        ...(index > 0 ? [' · '] : []),
        h('span', { lang: code, dir: RTL_LOCALES.has(code) ? 'rtl' : 'ltr' }, LOCALE_NATIVE_NAMES[code]),
      ]);
      return h('li', {},
        h('a', { href: `/s/${encodeURIComponent(survey.slug)}` }, title),
        h('p', { class: 'hint' }, before, ...names, after),
      );
    }),
  );
}

function updateTitle(): void {
  document.title = t('landing:pageTitle');
  // The directory is a server-rendered page: it takes the language from the address. (The HTML's
  // relative `./offers`: a root-relative link to a page outside the build would fail its completeness check.)
  byId<HTMLAnchorElement>('offers-link').href = `/offers?lang=${encodeURIComponent(locale)}`;
}
