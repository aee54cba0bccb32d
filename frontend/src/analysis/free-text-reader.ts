import './free-text-reader.css';
import type { FreeTextPage } from '../../../api/src/shared/contract.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

type Entry = FreeTextPage['entries'][number];

/** The server refused (message in the reader's language) or could not be reached. */
class ReaderError extends Error {}

async function fetchPage(slug: string, params: Record<string, string>, locale: string): Promise<FreeTextPage> {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ''));
  let response: Response;
  try {
    response = await fetch(`/api/analysis/${encodeURIComponent(slug)}/free-text?${query}`, {
      headers: { accept: 'application/json', 'accept-language': locale },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ReaderError(t('analysis:loadFailed'));
  }
  const body = (await response.json().catch(() => null)) as (FreeTextPage & { error?: { message?: string } }) | null;
  if (!response.ok || !body) throw new ReaderError(body?.error?.message ?? t('analysis:loadFailed'));
  return body;
}

function select(id: string, label: string): { field: HTMLElement; control: HTMLSelectElement } {
  const control = h('select', { id });
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), control), control };
}

function entryItem(entry: Entry): HTMLElement {
  const photos = entry.photos ?? [];
  return h(
    'li',
    { class: 'free-text-entry' },
    h('blockquote', {}, entry.text),
    h('p', { class: 'hint' }, t('freetext:month', { month: entry.month })),
    photos.length > 0
      ? h(
          'ul',
          { class: 'free-text-photos', 'aria-label': t('freetext:photos') },
          ...photos.map((photo, index) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: photo.image, target: '_blank', rel: 'noopener' },
                h('img', { src: photo.thumbnail, alt: t('freetext:photo', { number: index + 1 }), loading: 'lazy', width: Math.min(photo.width, 160), height: Math.round((Math.min(photo.width, 160) / photo.width) * photo.height) }),
              ),
            ),
          ),
        )
      : null,
  );
}

/**
 * "Reading what people wrote": one question's free-text answers or interviewer notes at a time,
 * by district and target group, a page at a time in the server's shuffle. Nothing is fetched until
 * the analyst asks (each view is logged), and the notice that free text can identify a person
 * stays in view above the texts.
 */
export function freeTextReader(slug: string, locale: string): HTMLElement {
  const question = select('free-text-question', t('freetext:question'));
  const district = select('free-text-district', t('freetext:district'));
  const group = select('free-text-group', t('freetext:targetGroup'));
  const controls = h('div', { class: 'free-text-controls', hidden: true }, question.field, district.field, group.field);
  const status = h('p', { class: 'free-text-status', 'aria-live': 'polite' });
  const list = h('ol', { class: 'free-text-list', 'aria-label': t('freetext:entries') });
  const previous = h('button', { type: 'button' }, t('freetext:previous'));
  const next = h('button', { type: 'button' }, t('freetext:next'));
  const paging = h('div', { class: 'free-text-paging', hidden: true }, previous, next);
  const open = h('button', { type: 'button', id: 'free-text-open' }, t('freetext:open'));
  let order = '';
  let page = 1;
  let loaded: FreeTextPage | null = null;

  const fill = (body: FreeTextPage) => {
    if (loaded) return;
    loaded = body;
    const byKind = (kind: string) => body.questions.filter((entry) => entry.kind === kind);
    question.control.replaceChildren(
      ...(['answer', 'other', 'note'] as const)
        .filter((kind) => byKind(kind).length > 0)
        .map((kind) => h('optgroup', { label: t(`freetext:kind.${kind}`) }, ...byKind(kind).map((entry) => h('option', { value: entry.key }, entry.label)))),
    );
    district.control.replaceChildren(h('option', { value: '' }, t('freetext:allDistricts')), ...body.filters.districts.map((entry) => h('option', { value: entry.code }, entry.label)));
    group.control.replaceChildren(h('option', { value: '' }, t('freetext:allGroups')), ...body.filters.targetGroups.map((entry) => h('option', { value: entry.code }, entry.label)));
    if (body.selection.question) question.control.value = body.selection.question;
  };

  const load = async () => {
    status.textContent = t('common:loading');
    status.removeAttribute('role');
    try {
      const params: Record<string, string> = loaded
        ? { question: question.control.value, district: district.control.value, target_group: group.control.value, order, page: String(page) }
        : { order, page: String(page) };
      const body = await fetchPage(slug, params, locale);
      fill(body);
      order = body.order;
      if (body.questions.length === 0) {
        status.textContent = t('freetext:noQuestions');
        return;
      }
      controls.hidden = false;
      list.replaceChildren(...body.entries.map(entryItem));
      status.textContent = body.total === 0 ? t('freetext:none') : t('freetext:count', { total: body.total, page: body.page, pages: body.pages });
      paging.hidden = body.pages <= 1;
      previous.disabled = body.page <= 1;
      next.disabled = body.page >= body.pages;
    } catch (error) {
      list.replaceChildren();
      paging.hidden = true;
      status.setAttribute('role', 'alert');
      status.textContent = error instanceof Error ? error.message : t('analysis:loadFailed');
    }
  };

  open.addEventListener('click', () => {
    open.hidden = true;
    void load();
  });
  for (const control of [question.control, district.control, group.control]) {
    control.addEventListener('change', () => {
      page = 1;
      void load();
    });
  }
  previous.addEventListener('click', () => {
    page = Math.max(1, page - 1);
    void load();
  });
  next.addEventListener('click', () => {
    page += 1;
    void load();
  });

  return h(
    'section',
    { 'aria-labelledby': 'free-text-heading', class: 'free-text-reader' },
    h('h2', { id: 'free-text-heading' }, t('freetext:heading')),
    h('p', { class: 'hint' }, t('freetext:intro')),
    h(
      'div',
      { class: 'confidential-notice', role: 'note', 'aria-labelledby': 'free-text-notice-title' },
      h('p', { id: 'free-text-notice-title', class: 'notice-title' }, t('freetext:noticeTitle')),
      h('p', {}, t('freetext:notice')),
      h('p', {}, t('freetext:exportHint')),
    ),
    open,
    controls,
    status,
    list,
    paging,
  );
}
