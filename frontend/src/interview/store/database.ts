import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ContactBody } from '../../respond/involve-form.ts';
import type {
  Conversation,
  ConversationState,
  StoredDistrict,
  StoredInstrument,
  StoredPhoto,
  StoredSession,
  SyncStatus,
} from './types.ts';

/** What the settings store holds, by key. */
export interface Settings {
  session: StoredSession;
  districts: StoredDistrict[];
  /** slug → the version new conversations use (the current one when last downloaded). */
  currentVersions: Record<string, number>;
}

export interface InterviewDatabaseSchema extends DBSchema {
  instruments: { key: [string, number]; value: StoredInstrument; indexes: { bySlug: string } };
  conversations: { key: string; value: Conversation; indexes: { byState: ConversationState } };
  photos: { key: string; value: StoredPhoto; indexes: { byConversation: string } };
  settings: { key: keyof Settings; value: Settings[keyof Settings] };
  sync: { key: 'status'; value: SyncStatus };
  /**
   * Contact forms an interviewee filled in on the tablet while it had no connection: the body of
   * `POST /api/contacts` and a random key, nothing else — no conversation, no interviewer, no time —
   * sent by their own queue (handover/kept-contacts.ts), never with an interview.
   */
  keptContacts: { key: string; value: { key: string; body: ContactBody } };
}

export type InterviewDatabase = IDBPDatabase<InterviewDatabaseSchema>;

export const DATABASE_NAME = 'vielstimmig-interviews';

/**
 * Schema versions only ever add: an app update must open the data an older app left behind
 * (queued interviews survive updates). Never delete a store or index that holds data here.
 */
const SCHEMA_VERSION = 2;

/**
 * Opens the tablet's database. `onReplaced` runs when a newer app version (in another tab) needs to
 * upgrade the schema: this connection closes so the upgrade can run, and the page should reload.
 */
export function openInterviewDatabase(options: { name?: string; onReplaced?: () => void } = {}): Promise<InterviewDatabase> {
  return openDB<InterviewDatabaseSchema>(options.name ?? DATABASE_NAME, SCHEMA_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const instruments = db.createObjectStore('instruments', { keyPath: ['slug', 'version'] });
        instruments.createIndex('bySlug', 'slug');
        const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
        conversations.createIndex('byState', 'state');
        const photos = db.createObjectStore('photos', { keyPath: 'id' });
        photos.createIndex('byConversation', 'conversationId');
        db.createObjectStore('settings');
        db.createObjectStore('sync');
      }
      if (oldVersion < 2) db.createObjectStore('keptContacts', { keyPath: 'key' });
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      options.onReplaced?.();
    },
  });
}

export async function readSetting<K extends keyof Settings>(db: InterviewDatabase, key: K): Promise<Settings[K] | undefined> {
  return (await db.get('settings', key)) as Settings[K] | undefined;
}

export async function writeSetting<K extends keyof Settings>(db: InterviewDatabase, key: K, value: Settings[K]): Promise<void> {
  await db.put('settings', value, key);
}

export async function deleteSetting(db: InterviewDatabase, key: keyof Settings): Promise<void> {
  await db.delete('settings', key);
}
