import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

/** The server's bounds for the reason (api/src/analysis/admin-export.ts). */
const REASON_MIN = 10;
const REASON_MAX = 500;

/**
 * The files only admins may download, each with a reason the server writes to the audit log: the
 * full raw data (CSV, XLSX, its codebook) and weights.csv (a weight tells the respondent's district
 * × age band × gender cell). The links exist only once a reason is entered.
 */
export function adminDownloads(slug: string, locale: string, dialect: () => string): { element: HTMLElement; update: () => void } {
  const reason = h('input', { type: 'text', id: 'download-reason', minlength: REASON_MIN, maxlength: REASON_MAX, 'aria-describedby': 'download-reason-hint', size: 50 });
  const links = h('ul', { class: 'download-list' });
  const update = () => {
    const text = reason.value.trim();
    if (text.length < REASON_MIN) {
      links.replaceChildren();
      return;
    }
    const base = `/api/analysis/${encodeURIComponent(slug)}`;
    const common = `dialect=${dialect()}&lang=${encodeURIComponent(locale)}&reason=${encodeURIComponent(text)}`;
    const link = (href: string, label: string) => h('li', {}, h('a', { href, download: '' }, label));
    links.replaceChildren(
      link(`${base}/responses.csv?variant=full&${common}`, t('downloads.responsesFull')),
      link(`${base}/responses.xlsx?variant=full&lang=${encodeURIComponent(locale)}&reason=${encodeURIComponent(text)}`, t('downloads.responsesFullXlsx')),
      link(`${base}/codebook.csv?variant=full&${common}`, t('downloads.codebookFull')),
      link(`${base}/weights.csv?${common}`, t('downloads.weights')),
    );
  };
  reason.addEventListener('input', update);
  const element = h(
    'fieldset',
    { class: 'admin-downloads' },
    h('legend', {}, t('downloads.adminHeading')),
    h('div', { class: 'field' }, h('label', { for: 'download-reason' }, t('downloads.reason')), reason),
    h('p', { class: 'hint', id: 'download-reason-hint' }, t('downloads.reasonHint')),
    links,
  );
  return { element, update };
}
