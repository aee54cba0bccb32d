/** Interview photos: what other features may use. */
export { createMediaRoutes, MEDIA_UPLOAD_LIMIT_BYTES } from './routes.ts';
export { CONTENT_HASH_PATTERN } from './media-files.ts';
export { existingMediaHashes, hashesReachableBy } from './repository.ts';
export { deleteUnlinkedPhotosAmong, importLegacyMediaFiles, purgeUnlinkedPhotos, UNLINKED_PHOTO_GRACE_DAYS } from './purge.ts';
export { readImage, storeImage, type MediaDeps, type PhotoReader, type StoredImage } from './service.ts';
