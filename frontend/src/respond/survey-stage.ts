import 'survey-core/survey-core.fontless.css';
import './easy-language.css';
import { Model, settings, type Question, type SurveyModel } from 'survey-core';
import { renderSurvey } from 'survey-js-ui';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { surveyJsLocale } from '../../../api/src/shared/survey-core-setup.ts';
import type { LinkContext } from './link-context.ts';
import type { SurveyResource } from './survey-resource.ts';
import { visitElements, withDistrictChoices } from './survey-definition.ts';
import { loadSurveyStrings } from './survey-strings.ts';

/**
 * The survey itself: survey-core's model rendered by survey-js-ui. This module (and with it the
 * survey code, the larger part of the page's weight) loads only after the welcome page shows.
 * It knows nothing of storage or the network: it reports changes and the wish to submit, and the
 * page decides what to do with them.
 */
export interface SurveyStageOptions {
  container: HTMLElement;
  survey: SurveyResource;
  locale: Locale;
  /** Answers to start from (this device's draft, or a resumed server draft). */
  answers: Record<string, unknown> | null;
  pageNo: number | null;
  link: LinkContext;
  /** The label of the final button, in the current locale (unless the instrument names its own). */
  completeText: () => string;
  onChange: (state: { answers: Record<string, unknown>; pageNo: number }) => void;
  /** The person pressed the final button and the last page passed the questionnaire's own checks. */
  onCompleteRequested: (answers: Record<string, unknown>) => void;
}

export interface SurveyStage {
  readonly model: SurveyModel;
  setLocale(locale: Locale): Promise<void>;
  /** Puts the server's per-question messages on the questions and moves to the first of them. */
  showServerErrors(errors: { question: string; message: string }[]): { question: string; message: string }[];
  answers(): Record<string, unknown>;
}

const COMMENT_SUFFIX = '-Comment';

// A heading outline screen-reader users can jump through: survey, page, then each question
// (survey-core 2 renders plain divs by default).
settings.titleTags.survey = 'h1';
settings.titleTags.page = 'h2';
settings.titleTags.panel = 'h3';
settings.titleTags.question = 'h3';

export async function openSurveyStage(options: SurveyStageOptions): Promise<SurveyStage> {
  const { container, survey, link } = options;
  await loadSurveyStrings(options.locale);
  const definition = prepareDefinition(survey);
  const model = new Model(definition);
  model.locale = surveyJsLocale(options.locale);
  // Our own thank-you page follows the server's answer; survey-core's would show before it.
  model.showCompletePage = false;
  // Typed text is kept (and saved on this device) while typing, not only when the field is left.
  model.textUpdateMode = 'onTyping';
  // We move focus to the new page's heading ourselves (screen readers then read where they are).
  model.autoFocusFirstQuestion = false;
  if (!definition.showProgressBar) model.showProgressBar = true;
  if (!definition.progressBarLocation) model.progressBarLocation = 'top';
  const instrumentNamesItsButton = definition.completeText !== undefined;
  const applyCompleteText = () => {
    if (!instrumentNamesItsButton) model.completeText = options.completeText();
  };
  applyCompleteText();

  if (options.answers) model.data = answersForThisVersion(model, options.answers);
  presetDistrictFromLink(model, survey, link.district);
  if (options.pageNo !== null) goToPage(model, options.pageNo);
  else if (options.answers) goToPage(model, lastPageWithAnswers(model));

  // The first page's heading takes the focus too: the person just pressed "start" on the welcome page.
  let focusPageHeadingAfterRender = true;
  const report = () => options.onChange({ answers: model.data, pageNo: model.currentPageNo });
  model.onValueChanged.add(report);
  // The survey's introduction (nine lines in Leichte Sprache) belongs to the first page; repeated
  // above every page it pushed each page's questions below the fold.
  const markFirstPage = () => container.classList.toggle('survey--past-first-page', model.currentPageNo > 0);
  markFirstPage();
  model.onCurrentPageChanged.add(() => {
    markFirstPage();
    report();
    focusPageHeadingAfterRender = true;
  });

  // survey-js-ui's native <select> carries no name when the question has a title; point it at the title.
  model.onAfterRenderQuestion.add((_, { question, htmlElement }) => {
    for (const select of htmlElement.querySelectorAll('select')) {
      if (!select.hasAttribute('aria-label') && !select.hasAttribute('aria-labelledby')) select.setAttribute('aria-labelledby', question.ariaTitleId);
    }
  });
  model.onAfterRenderPage.add((_, { htmlElement }) => {
    if (!focusPageHeadingAfterRender) return;
    focusPageHeadingAfterRender = false;
    focusPageHeading(htmlElement);
  });

  model.onCompleting.add((_, event) => {
    // The survey is never "completed" locally: it is completed when the server has it.
    event.allow = false;
    options.onCompleteRequested(visibleAnswers(model));
  });

  renderSurvey(model, container);
  report();

  return {
    model,
    async setLocale(locale) {
      await loadSurveyStrings(locale);
      model.locale = surveyJsLocale(locale);
      applyCompleteText();
    },
    showServerErrors(errors) {
      const unplaced: { question: string; message: string }[] = [];
      let first: Question | null = null;
      for (const error of errors) {
        const question = model.getQuestionByName(error.question) ?? model.getQuestionByValueName(error.question);
        if (!question || !question.isVisible) {
          unplaced.push(error);
          continue;
        }
        first ??= question;
      }
      if (first?.page) model.currentPage = first.page;
      // After the page change, so that switching pages does not clear them.
      for (const error of errors) {
        const question = model.getQuestionByName(error.question) ?? model.getQuestionByValueName(error.question);
        if (question?.isVisible) question.addError(error.message);
      }
      if (first) setTimeout(() => first.focus(true), 0);
      return unplaced;
    },
    answers: () => visibleAnswers(model),
  };
}

/**
 * District choices from the town; native `<select>`s for dropdowns and buttons for rating scales:
 * both work with every keyboard and screen reader, where survey-core's own pop-up list (which a
 * rating scale turns into on a narrow phone) does not behave like a form control.
 */
function prepareDefinition(survey: SurveyResource): Record<string, unknown> {
  const definition = withDistrictChoices(survey.definition, survey.districts);
  visitElements(definition, (element) => {
    if (element.type === 'dropdown' && element.renderAs === undefined) element.renderAs = 'select';
    if (element.type === 'rating' && element.displayMode === undefined) element.displayMode = 'buttons';
  });
  return definition;
}

/** Answers saved for another version keep only what this version still asks. */
function answersForThisVersion(model: SurveyModel, answers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).filter(([key]) => {
      const name = key.endsWith(COMMENT_SUFFIX) ? key.slice(0, -COMMENT_SUFFIX.length) : key;
      return model.getQuestionByValueName(name) !== null;
    }),
  );
}

function presetDistrictFromLink(model: SurveyModel, survey: SurveyResource, district: string | null): void {
  if (!district || !survey.districts.some((d) => d.code === district)) return;
  const question = model.getQuestionByName('district');
  if (question && question.isEmpty()) question.value = district;
}

/** Only answers to questions that are visible now: hidden branches are not sent (the server drops them too). */
function visibleAnswers(model: SurveyModel): Record<string, unknown> {
  const visible = new Set(
    model
      .getAllQuestions(false)
      .filter((question) => question.isVisible && question.isParentVisible)
      .map((question) => question.getValueName()),
  );
  return Object.fromEntries(
    Object.entries(model.data as Record<string, unknown>).filter(([key]) =>
      visible.has(key.endsWith(COMMENT_SUFFIX) ? key.slice(0, -COMMENT_SUFFIX.length) : key),
    ),
  );
}

function goToPage(model: SurveyModel, pageNo: number): void {
  const last = model.visiblePages.length - 1;
  model.currentPageNo = Math.max(0, Math.min(pageNo, last));
}

/** Someone resuming on another device continues where their answers stop. */
function lastPageWithAnswers(model: SurveyModel): number {
  let last = 0;
  model.visiblePages.forEach((page, index) => {
    if (page.questions.some((question) => !question.isEmpty())) last = index;
  });
  return last;
}

function focusPageHeading(pageElement: HTMLElement): void {
  const heading =
    pageElement.querySelector<HTMLElement>('.sd-page__title') ?? pageElement.querySelector<HTMLElement>('.sd-question__title');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  heading.scrollIntoView({ block: 'start' });
}
