import { LOCALE_NATIVE_NAMES, type Locale } from '../../../../api/src/shared/locales.ts';
import { t } from '../../i18n/index.ts';
import type { AppContext, View } from '../app-context.ts';
import { downloadCatalogue } from '../catalogue-download.ts';
import { formatDateTime } from '../format.ts';
import { deleteConversation, listConversations } from '../store/conversations.ts';
import { listDistricts } from '../store/instruments.ts';
import type { Conversation, StoredDistrict, StoredInstrument } from '../store/types.ts';
import { districtLabel, functionChoices, instrumentTitle, type Choice } from '../survey-model.ts';
import { actionButton, el, focusHeading } from './dom.ts';

/** The conversations on this tablet, newest first, each with its state and what can be done with it. */
export const listView: View = async (context, root) => {
  const render = async () => {
    const [conversations, districts, instruments] = await Promise.all([
      listConversations(context.db),
      listDistricts(context.db),
      context.db.getAll('instruments'),
    ]);
    const list =
      conversations.length === 0
        ? el('p', { class: 'empty' }, t('list.empty'))
        : el(
            'ul',
            { class: 'conversation-list' },
            ...conversations.map((conversation) => conversationItem(context, conversation, districts, instruments, render)),
          );
    root.replaceChildren(
      el(
        'section',
        { class: 'conversations', 'aria-labelledby': 'list-heading' },
        el('h2', { id: 'list-heading' }, t('list.heading')),
        el(
          'div',
          { class: 'actions' },
          el('a', { href: '#/new', class: 'button primary', id: 'new-conversation' }, t('list.newConversation')),
          context.session.active
            ? actionButton(
                t('catalogue.refresh'),
                async () => {
                  context.announce(t('catalogue.downloading'));
                  try {
                    const downloaded = await downloadCatalogue(context.db, context.api);
                    context.announce(t('catalogue.downloaded', { count: downloaded.length }));
                  } catch {
                    context.announce(t('catalogue.failed'));
                  }
                },
                { id: 'refresh-catalogue' },
              )
            : null,
        ),
        list,
      ),
    );
  };
  await render();
  focusHeading(root);
  // Sync results change states while the list is open.
  return context.sync.onChange((_status, running) => {
    if (!running) void render();
  });
};

// Building a survey-core model costs milliseconds: once per instrument and language, not per row.
const functionChoiceCache = new WeakMap<StoredInstrument, Map<string, Choice[]>>();
function cachedFunctionChoices(instrument: StoredInstrument, locale: Locale): Choice[] {
  const byLocale = functionChoiceCache.get(instrument) ?? new Map<string, Choice[]>();
  functionChoiceCache.set(instrument, byLocale);
  const cached = byLocale.get(locale) ?? functionChoices(instrument, locale);
  byLocale.set(locale, cached);
  return cached;
}

function conversationItem(
  context: AppContext,
  conversation: Conversation,
  districts: StoredDistrict[],
  instruments: StoredInstrument[],
  rerender: () => Promise<void>,
): HTMLLIElement {
  const locale = context.uiLocale();
  const instrument =
    instruments.find((candidate) => candidate.slug === conversation.slug && candidate.version === conversation.version) ??
    instruments.find((candidate) => candidate.slug === conversation.slug);
  const title = instrument ? instrumentTitle(instrument, locale) : conversation.slug;
  const district = districtLabel(
    districts.find((candidate) => candidate.code === conversation.district),
    conversation.district,
    locale,
  );
  const fn =
    conversation.intervieweeFunction && instrument
      ? (cachedFunctionChoices(instrument, locale).find((choice) => choice.value === conversation.intervieweeFunction)?.text ??
        conversation.intervieweeFunction)
      : conversation.intervieweeFunction;
  const ownedByOther = context.session.current?.user.id !== conversation.userId;
  const open = () => context.navigate({ view: 'conversation', id: conversation.id });

  const actions: HTMLElement[] = [];
  if (conversation.state === 'draft') actions.push(actionButton(t('list.continue'), open));
  if (conversation.state === 'rejected') actions.push(actionButton(t('list.editAndResend'), open));
  if (conversation.state === 'queued') actions.push(actionButton(t('list.show'), open));
  if (conversation.state === 'draft') {
    actions.push(
      actionButton(
        t('list.delete'),
        async () => {
          if (!window.confirm(t('list.deleteConfirm'))) return;
          await deleteConversation(context.db, conversation.id);
          await rerender();
        },
        { class: 'danger' },
      ),
    );
  }
  if (conversation.state === 'synced') {
    actions.push(
      actionButton(t('list.removeSynced'), async () => {
        await deleteConversation(context.db, conversation.id);
        await rerender();
      }),
    );
  }

  const reasons =
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

  return el(
    'li',
    { class: 'conversation', 'data-state': conversation.state, 'data-id': conversation.id },
    el(
      'div',
      { class: 'conversation-head' },
      el('h3', {}, `${title} · ${district}`),
      el('span', { class: `state-badge state-${conversation.state}` }, t(`state.${conversation.state}`)),
    ),
    el(
      'p',
      { class: 'conversation-meta' },
      [
        fn,
        t('list.language', { language: LOCALE_NATIVE_NAMES[conversation.locale] }),
        t('list.startedAt', { date: formatDateTime(conversation.createdAt, locale) }),
        conversation.syncedAt ? t('list.syncedAt', { date: formatDateTime(conversation.syncedAt, locale) }) : null,
        conversation.photoCount > 0 ? t('list.photos', { count: conversation.photoCount }) : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
    ownedByOther ? el('p', { class: 'other-account' }, t('list.otherAccount', { email: conversation.userEmail })) : null,
    reasons,
    actions.length > 0 ? el('div', { class: 'actions' }, ...actions) : null,
  );
}
