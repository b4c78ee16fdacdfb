import { loadNativeStorage } from './zalo';

/**
 * Key-value storage: zmp-sdk nativeStorage inside Zalo, localStorage in a browser, memory when neither works
 * (private mode, storage full). Every key this app writes starts with "bhvs." so "delete my data" can find them.
 */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  keys(): string[];
}

export const KEY_PREFIX = 'bhvs.';

function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    remove: (k) => void map.delete(k),
    keys: () => [...map.keys()],
  };
}

function browserStorage(): KeyValueStorage | undefined {
  try {
    const ls = window.localStorage;
    ls.setItem(`${KEY_PREFIX}probe`, '1');
    ls.removeItem(`${KEY_PREFIX}probe`);
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => {
        try {
          ls.setItem(k, v);
        } catch {
          // Storage full: the data stays in memory for this visit.
        }
      },
      remove: (k) => ls.removeItem(k),
      keys: () => Object.keys(ls),
    };
  } catch {
    return undefined;
  }
}

/** The storage in use; set once at start-up by openStorage(). */
export let storage: KeyValueStorage = browserStorage() ?? memoryStorage();

export async function openStorage(): Promise<KeyValueStorage> {
  const native = await loadNativeStorage();
  if (native) {
    const known = new Set<string>();
    storage = {
      get: (k) => native.getItem(k) || null,
      set: (k, v) => {
        known.add(k);
        native.setItem(k, v);
      },
      remove: (k) => native.removeItem(k),
      // nativeStorage cannot list keys: the app's keys are fixed names plus those written this session.
      keys: () => [...known],
    };
  }
  return storage;
}

export function readJson<T>(key: string, fallback: T): T {
  const raw = storage.get(key);
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export function writeJson(key: string, value: unknown): void {
  storage.set(key, JSON.stringify(value));
}

/** Removes everything this app stored on the device. */
export function removeAllAppData(knownKeys: string[]): void {
  for (const k of new Set([...knownKeys, ...storage.keys().filter((k) => k.startsWith(KEY_PREFIX))])) storage.remove(k);
}
