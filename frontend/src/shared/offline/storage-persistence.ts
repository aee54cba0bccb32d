export type PersistenceState = 'persisted' | 'not-persisted' | 'unsupported';

/**
 * Asks the browser not to evict this origin's storage under pressure. Browsers decide by their own
 * rules (installed app, engagement, a prompt in Firefox); the answer is shown to the interviewer,
 * who then knows whether to sync more often.
 */
export async function requestPersistentStorage(): Promise<PersistenceState> {
  const storage = navigator.storage;
  if (!storage?.persist) return 'unsupported';
  try {
    if (await storage.persisted()) return 'persisted';
    return (await storage.persist()) ? 'persisted' : 'not-persisted';
  } catch {
    return 'unsupported';
  }
}

export async function persistenceState(): Promise<PersistenceState> {
  const storage = navigator.storage;
  if (!storage?.persisted) return 'unsupported';
  try {
    return (await storage.persisted()) ? 'persisted' : 'not-persisted';
  } catch {
    return 'unsupported';
  }
}

export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  try {
    const estimate = await navigator.storage?.estimate?.();
    return estimate?.usage !== undefined && estimate.quota !== undefined ? { usage: estimate.usage, quota: estimate.quota } : null;
  } catch {
    return null;
  }
}
