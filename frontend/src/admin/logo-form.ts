import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type PublicTown } from './api.ts';
import { statusLine } from './form-fields.ts';

/** The town's logo: upload (the server re-encodes and caps it), preview, remove. */
export function logoForm(api: AdminApi, town: PublicTown, onSaved: (town: PublicTown) => void): HTMLElement {
  const preview = h('div', { id: 'logo-preview' });
  const file = h('input', { type: 'file', id: 'logo-file', accept: 'image/png,image/jpeg,image/webp,image/gif,image/avif,image/tiff' });
  const error = h('p', { class: 'field-error', id: 'logo-file-error' });
  file.setAttribute('aria-describedby', 'logo-hint logo-file-error');
  const status = statusLine('logo-status');
  const remove = h('button', { type: 'button', class: 'button button--secondary', id: 'logo-remove' }, t('admin:logo.remove'));
  const show = (current: PublicTown) => {
    preview.replaceChildren(current.logoUrl ? h('img', { src: current.logoUrl, alt: t('admin:logo.current'), class: 'logo-preview' }) : h('p', {}, t('admin:logo.none')));
    remove.hidden = !current.logoUrl;
  };
  const form = h('form', { id: 'logo-form', novalidate: true, 'aria-labelledby': 'logo-heading' },
    h('h3', { id: 'logo-heading' }, t('admin:logo.heading')),
    preview,
    h('div', { class: 'form-field' }, h('label', { for: 'logo-file' }, t('admin:logo.file')), h('p', { class: 'hint', id: 'logo-hint' }, t('admin:logo.hint')), file, error),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button button--primary' }, t('admin:logo.upload')), remove),
    status);
  const done = (saved: PublicTown, message: string) => {
    status.textContent = message;
    show(saved);
    onSaved(saved);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    status.textContent = '';
    file.removeAttribute('aria-invalid');
    const chosen = file.files?.[0];
    try {
      if (!chosen) throw new Error(t('admin:logo.chooseFile'));
      done(await api.uploadLogo(await chosen.arrayBuffer(), chosen.type || 'application/octet-stream'), t('admin:logo.saved'));
    } catch (failure) {
      error.textContent = failure instanceof AdminRequestError || failure instanceof Error ? failure.message : t('admin:loadFailed');
      file.setAttribute('aria-invalid', 'true');
      file.focus();
    }
  });
  remove.addEventListener('click', async () => {
    try {
      done(await api.removeLogo(), t('admin:logo.removed'));
    } catch (failure) {
      error.textContent = failure instanceof Error ? failure.message : t('admin:loadFailed');
    }
  });
  show(town);
  return form;
}
