/**
 * localStorage when the browser allows it; otherwise (storage disabled, some private modes: the
 * getter itself throws) a store in memory, so the page still works — it only cannot keep answers
 * across a reload.
 */
export function deviceStorage(): Storage {
  try {
    const storage = window.localStorage;
    const probe = '__vielstimmig_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return memoryStorage();
  }
}

function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    key: (index) => [...values.keys()][index] ?? null,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, String(value)),
    removeItem: (key) => void values.delete(key),
    clear: () => values.clear(),
  };
}
