import { RTL_LOCALES } from '../../../../api/src/shared/locales.ts';
import { renderSurvey } from 'survey-js-ui';
import { t } from '../../i18n/index.ts';
import { loadSurveyStrings } from '../../respond/survey-strings.ts';
import type { View } from '../app-context.ts';
import { formatTime } from '../format.ts';
import { finishConversation, getConversation, isEditable, saveProgress } from '../store/conversations.ts';
import { getInstrument, listDistricts } from '../store/instruments.ts';
import { buildModel, districtLabel, instrumentTitle, progressOf } from '../survey-model.ts';
import { el, focusHeading } from './dom.ts';
import { renderPhotosSection } from './photos-section.ts';
import { openContactHandover } from '../handover/contact-handover.ts';

/**
 * One conversation with the guide: every change is written to IndexedDB at once (a tablet may run
 * flat mid-sentence); completing the guide queues it for the upload. A queued conversation is shown
 * read-only, a synced one only as a note (its answers have left the tablet).
 */
export const conversationView: View = async (context, root, route) => {
  const id = route.view === 'conversation' ? route.id : '';
  const conversation = await getConversation(context.db, id);
  const back = el('p', {}, el('a', { href: '#/', class: 'button', id: 'back-to-list' }, t('conversation.back')));
  if (!conversation) {
    root.replaceChildren(el('section', {}, el('h2', {}, t('conversation.notFound')), back));
    focusHeading(root);
    return;
  }
  const uiLocale = context.uiLocale();
  const [instrument, districts] = await Promise.all([
    getInstrument(context.db, conversation.slug, conversation.version),
    listDistricts(context.db),
  ]);
  const heading = el(
    'h2',
    { id: 'conversation-heading' },
    `${instrument ? instrumentTitle(instrument, uiLocale) : conversation.slug} · ${districtLabel(
      districts.find((district) => district.code === conversation.district),
      conversation.district,
      uiLocale,
    )}`,
  );
  const badge = el('span', { class: `state-badge state-${conversation.state}` }, t(`state.${conversation.state}`));

  if (conversation.state === 'synced' || !instrument) {
    root.replaceChildren(
      el(
        'section',
        { 'aria-labelledby': 'conversation-heading' },
        heading,
        badge,
        el('p', {}, conversation.state === 'synced' ? t('conversation.syncedPurged') : t('conversation.instrumentMissing')),
        back,
      ),
    );
    focusHeading(root);
    return;
  }

  const editable = isEditable(conversation);
  // Not a live region: "saved" after every keystroke would drown a screen reader; a failure is an alert.
  const saveState = el('p', { class: 'save-state', id: 'save-state' });
  const rejection =
    conversation.state === 'rejected' && conversation.rejection
      ? el(
          'div',
          { class: 'rejection', role: 'note' },
          el('p', {}, t('list.rejectedBecause')),
          el(
            'ul',
            {},
            ...conversation.rejection.reasons.map((reason) =>
              el(
                'li',
                {},
                reason.question ? t('list.reasonForQuestion', { question: reason.question, message: reason.message }) : reason.message,
              ),
            ),
          ),
        )
      : null;

  // survey-core's own strings (buttons, required-answer messages) in the conversation's language.
  // Offline without the service worker's cache they may not load: the guide still works (in
  // survey-core's built-in English for those few strings), which beats showing nothing.
  await loadSurveyStrings(conversation.locale).catch(() => {});
  const model = buildModel(instrument, districts, conversation.locale);
  model.data = conversation.answers;
  model.checkErrorsMode = 'onComplete'; // interviewers move freely between sections; checks at the end
  model.textUpdateMode = 'onTyping'; // every keystroke reaches IndexedDB, not only on leaving a field
  model.showCompletedPage = false;
  if (conversation.pageNo > 0 && conversation.pageNo < model.visiblePageCount) model.currentPageNo = conversation.pageNo;
  // A rejected conversation opens where the first refused answer is (`offers[1].title` → `offers`).
  const refused = conversation.rejection?.reasons
    .map((reason) => reason.question?.split(/[.[]/)[0])
    .map((name) => (name ? model.getQuestionByName(name) : null))
    .find((question) => question?.page);
  if (conversation.state === 'rejected' && refused && model.visiblePages.some((page) => page === refused.page)) {
    model.currentPage = refused.page;
  }
  if (!editable) model.mode = 'display';

  const save = () => {
    saveProgress(context.db, conversation.id, progressOf(model))
      .then(() => {
        saveState.textContent = t('conversation.saved', { time: formatTime(new Date(), uiLocale) });
      })
      .catch(() => {
        saveState.setAttribute('role', 'alert');
        saveState.textContent = t('conversation.saveFailed');
        saveState.classList.add('error');
      });
  };
  if (editable) {
    model.onValueChanged.add(save);
    model.onCurrentPageChanged.add(save);
    model.onComplete.add(async () => {
      try {
        await finishConversation(context.db, conversation.id, progressOf(model));
      } catch {
        saveState.setAttribute('role', 'alert');
        saveState.textContent = t('conversation.saveFailed');
        return;
      }
      context.announce(t('conversation.finished'));
      context.navigate({ view: 'list' });
      void context.sync.run();
    });
  }

  // The questions are read in the conversation's language, which may differ from the interface's.
  const surveyContainer = el('div', {
    class: 'survey-container',
    lang: conversation.locale,
    dir: RTL_LOCALES.has(conversation.locale) ? 'rtl' : 'ltr',
  });
  const photos = el('section', { class: 'photos', 'aria-labelledby': 'photos-heading' });
  // The interviewee's own sign-up for invitations, on this tablet but never in this conversation.
  const handoverButton = el('button', { type: 'button', class: 'button', id: 'handover-open' }, t('handover.open'));
  const handover = el(
    'section',
    { class: 'handover', 'aria-labelledby': 'handover-heading' },
    el('h3', { id: 'handover-heading' }, t('handover.heading')),
    el('p', {}, t('handover.explain')),
    handoverButton,
  );
  const conversationSection = el(
    'section',
    { class: 'conversation-view', 'aria-labelledby': 'conversation-heading' },
    back,
    heading,
    badge,
    rejection,
    editable ? null : el('p', {}, t('conversation.queuedReadOnly')),
    saveState,
    surveyContainer,
    photos,
    handover,
  );
  handoverButton.addEventListener('click', () => {
    void openContactHandover({
      db: context.db,
      host: root,
      conversation: conversationSection,
      locale: conversation.locale,
      districts,
      onClosed: () => handoverButton.focus(),
    });
  });
  root.replaceChildren(conversationSection);
  renderSurvey(model, surveyContainer);
  const releasePhotos = await renderPhotosSection(context, photos, conversation.id, editable);
  focusHeading(root);
  return () => {
    releasePhotos();
    model.dispose();
  };
};
