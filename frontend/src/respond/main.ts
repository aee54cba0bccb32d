import '../styles/base.css';
import { SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { changeLocale, initI18n, setPageVariables, t, translateDocument } from '../i18n/index.ts';
import { renderLanguageButtons, renderLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage, rememberLocale } from '../shared/locale-choice.ts';
import { deviceStorage } from '../shared/device-storage.ts';
import { formatDate, loadTown, showTownLogo, townSettings, townVariables } from '../shared/town.ts';
import { readLinkContext, surveySlugFromPath } from './link-context.ts';
import { LocalDraftStore, PendingSubmissionStore, type LocalDraft, type ResponsePayload } from './local-draft.ts';
import { showPageError } from './page-error.ts';
import { openResumePanel } from './resume-panel.ts';
import { loadServerDraft } from './server-draft.ts';
import { submitResponse, type SubmissionResult } from './submission.ts';
import type { SurveyStage } from './survey-stage.ts';
import { loadSurvey, type SurveyResource } from './survey-resource.ts';
import { loadResultsSummary } from './results-links.ts';
import { showThankYou } from './thank-you.ts';
import { byId } from '../shared/dom.ts';
import { renderWelcome, setWelcomeNotice, type WelcomeState } from './welcome.ts';

/**
 * The respondent page `/s/:slug`. Order matters for a cheap phone on a slow network: the strings
 * for one locale arrive first and the welcome page shows; the survey's JSON is fetched at the same
 * time; the survey code (survey-core and its renderer) loads after the welcome page has painted.
 */
const slug = surveySlugFromPath(location.pathname);
const link = readLinkContext(location.search, location.hash);
let locale: Locale = chooseLocaleForThisPage();
const surveyLoad = slug ? loadSurvey(slug) : Promise.resolve({ kind: 'not-found' as const });
const townLoad = loadTown();
if (slug) loadResultsSummary(slug);

const storage = deviceStorage();
let stage: SurveyStage | null = null;
let survey: SurveyResource | null = null;
let drafts: LocalDraftStore | null = null;
const pending = slug ? new PendingSubmissionStore(storage, slug) : null;
let draft: LocalDraft | null = null;
let submitting = false;
let welcomeReady: Promise<void> = Promise.resolve();
let lastStatus: { key: string; detail: string; kind: 'info' | 'error' } | null = null;

await boot();

async function boot(): Promise<void> {
  try {
    await townLoad;
    await initI18n(locale, ['common', 'respond'], pageVariables(locale));
  } catch {
    byId('boot-status').textContent = 'Die Seite konnte nicht geladen werden. Bitte laden Sie sie neu. · The page could not be loaded. Please reload it.';
    return;
  }
  translateDocument();
  for (const element of document.querySelectorAll<HTMLElement>('.skip-link, .site-header')) element.hidden = false;
  showTownLogo();
  renderLanguageSelect(byId<HTMLSelectElement>('language-select'), locale, SUPPORTED_LOCALES, switchLocale);

  if (!slug) return showPageError('respond:errors.surveyNotFound', 'home');
  // Without the data-protection contact and deletion dates the welcome text would be false.
  if (!townSettings()) return showPageError('respond:errors.townNotSetUp', 'home');
  if (pending?.load()) return resendPendingSubmission();

  renderWelcome({ locale, onLocaleChosen: switchLocale, onStart: startSurvey, onStartOver: startOver });
  // The survey code starts loading once the welcome page is on screen, not before.
  requestAnimationFrame(() => setTimeout(() => void import('./survey-stage.ts'), 0));
  welcomeReady = prepareWelcome();
  await welcomeReady;
}

/**
 * The values the strings use: the town's, with this survey's own answers deletion date in place of
 * the town's when it is earlier (the server refuses a later one), so the welcome page names the day
 * this survey's answers really go.
 */
function pageVariables(forLocale: Locale): Record<string, string> {
  const variables = townVariables(forLocale);
  const own = survey?.answersDeletedBy;
  const town = townSettings()?.answersDeletedBy;
  if (own && town && own < town) variables.answersDeletedBy = formatDate(own, forLocale);
  return variables;
}

/** Once the survey is known: offer to continue a draft of this device or one from a resume code. */
async function prepareWelcome(): Promise<void> {
  const load = await surveyLoad;
  if (load.kind === 'not-found') return showPageError('respond:errors.surveyNotFound', 'home');
  if (load.kind === 'closed') return showPageError('respond:errors.surveyClosed', 'home');
  if (load.kind === 'failed') return showPageError('respond:errors.loadFailed', 'reload');
  survey = load.survey;
  // The welcome page's "at the latest on": this survey's own date once known, when it is earlier.
  setPageVariables(pageVariables(locale));
  translateDocument(byId('welcome-deletion').parentElement!);
  drafts = new LocalDraftStore(storage, survey.slug, survey.version);
  draft = drafts.load() ?? carryOverEarlierVersion(drafts);
  updateDocumentTitle();

  let state: WelcomeState = draft && Object.keys(draft.answers).length > 0 ? 'has-draft' : 'fresh';
  if (link.resumeCode) {
    const resumed = await loadServerDraft(link.resumeCode, survey);
    // The code has done its job; it should not stay in the address bar or the history.
    const url = new URL(location.href);
    url.searchParams.delete('resume');
    url.hash = '';
    history.replaceState(null, '', url);
    if (resumed) {
      draft = {
        answers: resumed.answers,
        // Where the person stopped on the other device (survey-stage keeps it within the pages).
        pageNo: resumed.page ?? -1,
        locale,
        linkDistrict: draft?.linkDistrict ?? link.district,
        channel: draft?.channel ?? link.channel,
        responseId: resumed.responseId ?? draft?.responseId ?? null,
        serverDraftCode: link.resumeCode,
        updatedAt: Date.now(),
      };
      drafts.save(draft);
      state = 'resumed';
      // Continue in the language the answers were saved in, unless this link asks for another.
      if (resumed.locale !== locale && !new URLSearchParams(location.search).has('lang')) await switchLocale(resumed.locale);
    } else {
      state = 'resume-not-found';
    }
  }
  setWelcomeNotice(state);
}

function carryOverEarlierVersion(store: LocalDraftStore): LocalDraft | null {
  const earlier = store.findEarlierVersion();
  if (!earlier) return null;
  store.removeVersion(earlier.version);
  // Answers are filtered to the questions this version still has when the survey opens.
  return { ...earlier.draft, pageNo: -1, responseId: null };
}

async function startSurvey(): Promise<void> {
  await welcomeReady;
  const load = await surveyLoad;
  if (load.kind !== 'loaded' || !drafts) return;
  let openSurveyStage: typeof import('./survey-stage.ts').openSurveyStage;
  try {
    ({ openSurveyStage } = await import('./survey-stage.ts'));
  } catch {
    // The survey code did not arrive (connection lost on the way): say so and let them try again.
    setWelcomeNotice('load-failed');
    return;
  }
  const current = load.survey;
  draft ??= {
    answers: {},
    pageNo: 0,
    locale,
    linkDistrict: link.district,
    channel: link.channel,
    responseId: null,
    serverDraftCode: null,
    updatedAt: Date.now(),
  };
  // A later link's district or channel counts (a new QR code scanned); otherwise the first one stays.
  draft.linkDistrict = link.district ?? draft.linkDistrict;
  draft.channel = link.channel ?? draft.channel;

  byId('welcome').hidden = true;
  byId('header-language').hidden = false;
  byId('survey-stage').hidden = false;
  byId('translation-notice').hidden = current.locales.includes(locale);
  stage = await openSurveyStage({
    container: byId('survey'),
    survey: current,
    locale,
    answers: draft.answers,
    pageNo: draft.pageNo >= 0 ? draft.pageNo : null,
    link: { ...link, district: draft.linkDistrict },
    completeText: () => t('respond:survey.complete'),
    onChange: ({ answers, pageNo }) => saveDraft({ answers, pageNo }),
    onCompleteRequested: (answers) => void submit(answers),
  });
  byId('save-for-later').onclick = () => {
    if (!survey || !drafts || !draft || !stage) return;
    void openResumePanel({ survey, locale, answers: stage.model.data, draft, save: saveDraft, responseId: fixResponseId });
  };
}

/**
 * The response id, made once and kept with the answers: every retry, every later visit and every
 * device that continues with the resume code sends this id, so the server stores one response.
 */
function fixResponseId(): string {
  const responseId = draft!.responseId ?? crypto.randomUUID();
  saveDraft({ responseId });
  return responseId;
}

function saveDraft(changes: Partial<LocalDraft>): void {
  if (!drafts || !draft) return;
  draft = { ...draft, ...changes, locale };
  drafts.save(draft);
}

function startOver(): void {
  if (!window.confirm(t('respond:welcome.startOverConfirm'))) return;
  drafts?.clear();
  draft = null;
  setWelcomeNotice('fresh');
  void startSurvey();
}

async function submit(answers: Record<string, unknown>): Promise<void> {
  if (submitting || !survey || !draft) return;
  submitting = true;
  const responseId = fixResponseId();
  const payload: ResponsePayload = {
    id: responseId,
    version: survey.version,
    locale,
    answers,
    ...districtAndChannel(answers, draft),
  };
  setSubmitStatus('respond:submit.sending');
  const result = await submitResponse({
    slug: survey.slug,
    payload,
    pending: pending!,
    serverDraftCode: draft.serverDraftCode,
    onRetry: ({ reason }) => setSubmitStatus(reason === 'offline' ? 'respond:submit.offline' : 'respond:submit.retrying'),
  });
  submitting = false;
  handleSubmissionResult(result);
}

/** The district answered wins over the one from the link; the channel only ever comes from the link. */
function districtAndChannel(answers: Record<string, unknown>, from: LocalDraft): Pick<ResponsePayload, 'district' | 'channel'> {
  const answered = typeof answers.district === 'string' ? answers.district : null;
  const district = answered ?? from.linkDistrict;
  return { ...(district ? { district } : {}), ...(from.channel ? { channel: from.channel } : {}) };
}

function handleSubmissionResult(result: SubmissionResult): void {
  if (result.kind === 'stored') {
    drafts?.clear();
    draft = null;
    stage = null;
    byId('survey').replaceChildren();
    byId('survey-stage').hidden = true;
    setSubmitStatus(null);
    showThankYou({ survey: survey!, locale: () => locale, sentElsewhere: result.sentElsewhere });
    return;
  }
  if (result.kind === 'invalid') {
    const unplaced = stage?.showServerErrors(result.errors) ?? result.errors;
    const details = unplaced.map((error) => error.message).join(' ');
    setSubmitStatus('respond:submit.invalid', details, 'error');
    return;
  }
  setSubmitStatus('respond:submit.refused', result.message ?? t('common:unexpectedError'), 'error');
}

/** A submission from an earlier visit that never got an answer: send it again, unchanged. */
async function resendPendingSubmission(): Promise<void> {
  const stored = pending!.load()!;
  byId('survey-stage').hidden = false;
  byId('save-for-later').hidden = true;
  setSubmitStatus('respond:submit.pending');
  const load = await surveyLoad;
  if (load.kind === 'loaded') survey = load.survey;
  const result = await submitResponse({
    slug: slug!,
    payload: stored.payload,
    pending: pending!,
    serverDraftCode: stored.serverDraftCode,
    onRetry: ({ reason }) => setSubmitStatus(reason === 'offline' ? 'respond:submit.offline' : 'respond:submit.retrying'),
  });
  if (result.kind === 'stored' && survey) {
    new LocalDraftStore(storage, slug!, stored.payload.version).clear();
    handleSubmissionResult(result);
    return;
  }
  // Refused (e.g. the survey closed meanwhile, or answers no longer valid): back to the answers.
  if (survey) {
    drafts = new LocalDraftStore(storage, survey.slug, survey.version);
    draft = drafts.load();
    byId('save-for-later').hidden = false;
    await startSurvey();
    handleSubmissionResult(result);
  } else {
    setSubmitStatus('respond:submit.refused', t('common:unexpectedError'), 'error');
  }
}

/** The live region under the survey; remembered so that a language switch re-translates it. */
function setSubmitStatus(key: string | null, detail = '', kind: 'info' | 'error' = 'info'): void {
  const status = byId('submit-status');
  lastStatus = key ? { key, detail, kind } : null;
  status.dataset.kind = kind;
  status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  status.textContent = key ? t(key, { message: detail }) : '';
}

let localeSwitches: Promise<void> = Promise.resolve();

/**
 * The respondent's language choice. Switches run one after another and a superseded one stops
 * early, so the survey's own strings (loaded per locale) always end in the language chosen last.
 */
function switchLocale(next: Locale): Promise<void> {
  if (next === locale) return localeSwitches;
  locale = next;
  rememberLocale(next);
  localeSwitches = localeSwitches.then(() => applyLocale(next)).catch(() => undefined);
  return localeSwitches;
}

async function applyLocale(next: Locale): Promise<void> {
  if (next !== locale || !(await changeLocale(next, pageVariables(next)))) return;
  renderLanguageSelect(byId<HTMLSelectElement>('language-select'), locale, SUPPORTED_LOCALES, switchLocale);
  renderWelcome({ locale, onLocaleChosen: switchLocale, onStart: startSurvey, onStartOver: startOver });
  updateDocumentTitle();
  if (survey) byId('translation-notice').hidden = survey.locales.includes(locale) || byId('survey-stage').hidden;
  if (draft) saveDraft({});
  if (lastStatus) setSubmitStatus(lastStatus.key, lastStatus.detail, lastStatus.kind);
  await stage?.setLocale(next);
}

function updateDocumentTitle(): void {
  const title = survey?.definition.title;
  const key = locale === 'de' ? 'default' : locale;
  const text =
    typeof title === 'string' ? title : title && typeof title === 'object' ? ((title as Record<string, string>)[key] ?? (title as Record<string, string>).default) : null;
  document.title = text ? t('respond:pageTitle', { survey: text }) : t('common:municipality');
}
