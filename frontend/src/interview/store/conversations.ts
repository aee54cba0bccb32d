import type { InterviewDatabase } from './database.ts';
import type { Conversation, RejectionReason, StoredPhoto, UploadedPhoto } from './types.ts';

export type NewConversation = Pick<
  Conversation,
  'id' | 'userId' | 'userEmail' | 'slug' | 'version' | 'locale' | 'district' | 'intervieweeFunction' | 'answers'
>;

/** Only the fields that are set: a missing district must not erase the one chosen at the start. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function nowIso(): string {
  return new Date().toISOString();
}

export async function createConversation(db: InterviewDatabase, fields: NewConversation): Promise<Conversation> {
  const now = nowIso();
  const conversation: Conversation = {
    ...fields,
    pageNo: 0,
    state: 'draft',
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    syncedAt: null,
    rejection: null,
    purged: false,
    photoCount: 0,
  };
  await db.add('conversations', conversation);
  return conversation;
}

export async function listConversations(db: InterviewDatabase): Promise<Conversation[]> {
  const all = await db.getAll('conversations');
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function getConversation(db: InterviewDatabase, id: string): Promise<Conversation | undefined> {
  return db.get('conversations', id);
}

/**
 * Changes a conversation inside one transaction, so two quick saves (a value change and a page
 * change) never overwrite each other with stale copies. Returns the stored result, or undefined when
 * `change` declines (returns null) or the conversation is gone.
 */
export async function updateConversation(
  db: InterviewDatabase,
  id: string,
  change: (current: Conversation) => Conversation | null,
): Promise<Conversation | undefined> {
  const tx = db.transaction('conversations', 'readwrite');
  const current = await tx.store.get(id);
  const next = current ? change(current) : null;
  if (next) await tx.store.put({ ...next, updatedAt: nowIso() });
  await tx.done;
  return next ?? undefined;
}

export interface Progress {
  answers: Record<string, unknown>;
  pageNo: number;
  /** The district and function as currently answered in the survey (they may change on the way). */
  district?: string;
  intervieweeFunction?: string | null;
}

/** Saves the state of a conversation still being edited; a queued or synced one is never changed. */
export function saveProgress(db: InterviewDatabase, id: string, progress: Progress): Promise<Conversation | undefined> {
  return updateConversation(db, id, (current) => (isEditable(current) ? { ...current, ...defined(progress) } : null));
}

export function isEditable(conversation: Conversation): boolean {
  return conversation.state === 'draft' || conversation.state === 'rejected';
}

/** The interviewer finished: from now on the conversation waits for the upload, unchanged. */
export function finishConversation(db: InterviewDatabase, id: string, progress: Progress): Promise<Conversation | undefined> {
  return updateConversation(db, id, (current) =>
    isEditable(current) ? { ...current, ...defined(progress), state: 'queued', finishedAt: nowIso() } : null,
  );
}

export function markRejected(db: InterviewDatabase, id: string, reasons: RejectionReason[]): Promise<Conversation | undefined> {
  return updateConversation(db, id, (current) =>
    current.state === 'queued' ? { ...current, state: 'rejected', rejection: { at: nowIso(), reasons } } : null,
  );
}

/**
 * The server holds the conversation: answers and photos leave the tablet (a lost tablet then leaks
 * nothing already uploaded); the list keeps a stub so the interviewer sees it arrived.
 */
export async function markSynced(db: InterviewDatabase, id: string): Promise<void> {
  const tx = db.transaction(['conversations', 'photos'], 'readwrite');
  const conversations = tx.objectStore('conversations');
  const current = await conversations.get(id);
  if (current && current.state === 'queued') {
    const now = nowIso();
    await conversations.put({
      ...current,
      state: 'synced',
      syncedAt: now,
      updatedAt: now,
      answers: {},
      rejection: null,
      purged: true,
    });
    const photos = tx.objectStore('photos');
    for (const key of await photos.index('byConversation').getAllKeys(id)) await photos.delete(key);
  }
  await tx.done;
}

/** Removes a conversation and its photos from the tablet (drafts, or stubs of synced ones). */
export async function deleteConversation(db: InterviewDatabase, id: string): Promise<void> {
  const tx = db.transaction(['conversations', 'photos'], 'readwrite');
  await tx.objectStore('conversations').delete(id);
  const photos = tx.objectStore('photos');
  for (const key of await photos.index('byConversation').getAllKeys(id)) await photos.delete(key);
  await tx.done;
}

export async function addPhoto(db: InterviewDatabase, conversationId: string, blob: Blob): Promise<StoredPhoto> {
  const photo: StoredPhoto = { id: crypto.randomUUID(), conversationId, blob, takenAt: nowIso(), uploaded: null };
  const tx = db.transaction(['conversations', 'photos'], 'readwrite');
  const conversation = await tx.objectStore('conversations').get(conversationId);
  if (!conversation || !isEditable(conversation)) {
    tx.abort();
    await tx.done.catch(() => {});
    throw new Error('photos can only be added to a conversation that is still being edited');
  }
  await tx.objectStore('photos').add(photo);
  await tx.objectStore('conversations').put({ ...conversation, photoCount: conversation.photoCount + 1, updatedAt: nowIso() });
  await tx.done;
  return photo;
}

export async function removePhoto(db: InterviewDatabase, photoId: string): Promise<void> {
  const tx = db.transaction(['conversations', 'photos'], 'readwrite');
  const photo = await tx.objectStore('photos').get(photoId);
  if (photo) {
    const conversation = await tx.objectStore('conversations').get(photo.conversationId);
    if (conversation && isEditable(conversation)) {
      await tx.objectStore('photos').delete(photoId);
      await tx.objectStore('conversations').put({
        ...conversation,
        photoCount: Math.max(0, conversation.photoCount - 1),
        updatedAt: nowIso(),
      });
    }
  }
  await tx.done;
}

export async function listPhotos(db: InterviewDatabase, conversationId: string): Promise<StoredPhoto[]> {
  const photos = await db.getAllFromIndex('photos', 'byConversation', conversationId);
  return photos.sort((a, b) => a.takenAt.localeCompare(b.takenAt));
}

export async function recordPhotoUpload(db: InterviewDatabase, photoId: string, uploaded: UploadedPhoto): Promise<void> {
  const tx = db.transaction('photos', 'readwrite');
  const photo = await tx.store.get(photoId);
  if (photo) await tx.store.put({ ...photo, uploaded });
  await tx.done;
}

/** Marks every photo of a conversation as not uploaded, so the next sync sends them again. */
export async function forgetPhotoUploads(db: InterviewDatabase, conversationId: string): Promise<void> {
  const tx = db.transaction('photos', 'readwrite');
  for (const photo of await tx.store.index('byConversation').getAll(conversationId)) {
    await tx.store.put({ ...photo, uploaded: null });
  }
  await tx.done;
}
