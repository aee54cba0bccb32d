import { describe, expect, it } from 'vitest';
import { LOCAL_DRAFT_MAX_AGE_MS, LocalDraftStore, PendingSubmissionStore, draftKey, type LocalDraft } from './local-draft.ts';

/** A Storage over a Map: the browser's localStorage contract, nothing more. */
function mapStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    key: (index) => [...values.keys()][index] ?? null,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
    clear: () => values.clear(),
  };
}

const draft: Omit<LocalDraft, 'updatedAt'> = {
  answers: { district: 'worfelden', age_band: '30-44' },
  pageNo: 3,
  locale: 'tr',
  linkDistrict: 'worfelden',
  channel: 'poster',
  responseId: null,
  serverDraftCode: null,
};

describe('LocalDraftStore', () => {
  it('keeps a draft per survey version and gives it back', () => {
    const storage = mapStorage();
    const store = new LocalDraftStore(storage, 'resident-baseline', 2, () => 1000);
    expect(store.save(draft)).toBe(true);
    expect(store.load()).toEqual({ ...draft, updatedAt: 1000 });
    expect(new LocalDraftStore(storage, 'resident-baseline', 3).load()).toBeNull();
    expect(new LocalDraftStore(storage, 'other-survey', 2).load()).toBeNull();
    store.clear();
    expect(store.load()).toBeNull();
  });

  it('forgets a draft older than 30 days (a shared library computer should not keep answers forever)', () => {
    const storage = mapStorage();
    new LocalDraftStore(storage, 's', 1, () => 0).save(draft);
    expect(new LocalDraftStore(storage, 's', 1, () => LOCAL_DRAFT_MAX_AGE_MS - 1).load()).not.toBeNull();
    expect(new LocalDraftStore(storage, 's', 1, () => LOCAL_DRAFT_MAX_AGE_MS + 1).load()).toBeNull();
    expect(storage.getItem(draftKey('s', 1))).toBeNull();
  });

  it('ignores what is not a draft', () => {
    const storage = mapStorage();
    storage.setItem(draftKey('s', 1), '{not json');
    expect(new LocalDraftStore(storage, 's', 1).load()).toBeNull();
    storage.setItem(draftKey('s', 1), '"a string"');
    expect(new LocalDraftStore(storage, 's', 1).load()).toBeNull();
  });

  it('finds the newest draft of an earlier version, never of a later one', () => {
    const storage = mapStorage();
    new LocalDraftStore(storage, 's', 1).save({ ...draft, pageNo: 1 });
    new LocalDraftStore(storage, 's', 2).save({ ...draft, pageNo: 2 });
    new LocalDraftStore(storage, 's', 5).save({ ...draft, pageNo: 5 });
    const earlier = new LocalDraftStore(storage, 's', 4).findEarlierVersion();
    expect(earlier?.version).toBe(2);
    expect(earlier?.draft.pageNo).toBe(2);
  });

  it('reports a device that refuses to store (full or blocked) instead of throwing', () => {
    const storage = mapStorage();
    storage.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    expect(new LocalDraftStore(storage, 's', 1).save(draft)).toBe(false);
  });
});

describe('PendingSubmissionStore', () => {
  it('keeps the exact payload of a submission under way, per survey', () => {
    const storage = mapStorage();
    const store = new PendingSubmissionStore(storage, 'resident-baseline');
    const payload = { id: '8f1c1f7e-5a1b-4c0e-9f57-2b7b6a3c9d10', version: 1, locale: 'de' as const, answers: { a: 1 } };
    expect(store.load()).toBeNull();
    store.save({ payload, serverDraftCode: 'AB12-CD34-EF56' });
    expect(new PendingSubmissionStore(storage, 'resident-baseline').load()).toEqual({ payload, serverDraftCode: 'AB12-CD34-EF56' });
    expect(new PendingSubmissionStore(storage, 'stakeholder-inventory').load()).toBeNull();
    store.clear();
    expect(store.load()).toBeNull();
  });
});
