import { t } from '../../i18n/index.ts';
import type { AppContext } from '../app-context.ts';
import { addPhoto, listPhotos, removePhoto } from '../store/conversations.ts';
import { actionButton, el } from './dom.ts';

/**
 * The server takes uploads up to 15 MiB (MEDIA_UPLOAD_LIMIT_BYTES in api/src/media/routes.ts, not
 * imported here: that module pulls the server in). A larger photo is refused at once, not at sync.
 */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

/**
 * Photos of pin boards, posters and flip charts, kept as Blobs in IndexedDB with the conversation
 * and uploaded by the sync. The file picker with `capture` opens the camera on tablets and needs no
 * camera permission. Returns a clean-up that frees the thumbnails' object URLs.
 */
export async function renderPhotosSection(
  context: AppContext,
  container: HTMLElement,
  conversationId: string,
  editable: boolean,
): Promise<() => void> {
  let objectUrls: string[] = [];
  const release = () => {
    for (const url of objectUrls) URL.revokeObjectURL(url);
    objectUrls = [];
  };
  const message = el('p', { class: 'photo-message', role: 'status' });
  const input = el('input', {
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    id: 'photo-input',
    hidden: true,
    'aria-label': t('photos.take'),
  });
  const gallery = el('ul', { class: 'photo-gallery', 'aria-label': t('photos.heading') });

  const renderGallery = async () => {
    release();
    const photos = await listPhotos(context.db, conversationId);
    if (photos.length === 0) {
      gallery.replaceChildren(el('li', { class: 'photo-empty' }, t('photos.none')));
      return;
    }
    gallery.replaceChildren(
      ...photos.map((photo, index) => {
        const url = URL.createObjectURL(photo.blob);
        objectUrls.push(url);
        const number = index + 1;
        return el(
          'li',
          { class: 'photo', 'data-uploaded': photo.uploaded ? 'true' : 'false' },
          el('img', { src: url, alt: t('photos.alt', { number }), width: 160, height: 120, loading: 'lazy' }),
          photo.uploaded ? el('span', { class: 'photo-uploaded' }, t('photos.uploaded')) : null,
          editable
            ? actionButton(
                t('photos.remove', { number }),
                async () => {
                  await removePhoto(context.db, photo.id);
                  await renderGallery();
                },
                { class: 'danger small' },
              )
            : null,
        );
      }),
    );
  };

  input.addEventListener('change', async () => {
    message.textContent = '';
    for (const file of Array.from(input.files ?? [])) {
      if (!file.type.startsWith('image/')) {
        message.textContent = t('photos.notImage');
        continue;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        message.textContent = t('photos.tooLarge', { megabytes: MAX_PHOTO_BYTES / 1024 / 1024 });
        continue;
      }
      try {
        // A plain Blob: the file name (often a timestamp) is not needed anywhere.
        await addPhoto(context.db, conversationId, file.slice(0, file.size, file.type));
      } catch {
        // Storage full (QuotaExceededError) or the conversation was finished in another tab.
        message.textContent = t('conversation.saveFailed');
      }
    }
    input.value = '';
    await renderGallery();
  });

  container.replaceChildren(
    el('h2', { id: 'photos-heading' }, t('photos.heading')),
    el('p', { class: 'hint' }, t('photos.hint')),
    ...(editable ? [el('p', {}, actionButton(t('photos.take'), () => input.click(), { id: 'take-photo' }), input)] : []),
    message,
    gallery,
  );
  await renderGallery();
  return release;
}
