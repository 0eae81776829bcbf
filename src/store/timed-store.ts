import type { PeopleStore } from '../domain/people-store.js';

/** Told about every query a store answers: the method's name, its duration and whether it succeeded. */
export type StoreQueryObserver = (method: string, seconds: number, outcome: 'ok' | 'error') => void;

/** Not queries: called on every request and synchronous, long-lived, or the end of the store. */
const UNTIMED: ReadonlySet<string> = new Set(['waitingQueries', 'subscribeToChanges', 'setLogger', 'close']);

type Method = (...args: unknown[]) => unknown;

/**
 * The same store, with every query method timed. Transparent: a method the store lacks (the optional
 * ones) stays absent, so `store.method?.()` and `'method' in store` answer as they would without it,
 * and a method added to the interface later is timed without a change here. The wrapper is built once
 * (no Proxy: a trap on every property read costs on every request).
 */
export function timedStore(store: PeopleStore, observe: StoreQueryObserver): PeopleStore {
  const timed: Record<string, unknown> = {};
  for (const name of propertyNames(store)) {
    const value: unknown = Reflect.get(store, name);
    if (typeof value !== 'function') {
      // Read through, never copied: a value the store changes later shows here too.
      Object.defineProperty(timed, name, { get: (): unknown => Reflect.get(store, name), enumerable: true });
      continue;
    }
    const inner = (value as Method).bind(store);
    timed[name] = UNTIMED.has(name) ? inner : timedMethod(name, inner, observe);
  }
  return timed as unknown as PeopleStore;
}

/** Own and inherited property names of a store object, up to (not including) Object.prototype. */
function propertyNames(store: object): Set<string> {
  const names = new Set<string>();
  for (
    let o: object | null = store;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor') names.add(name);
  }
  return names;
}

function timedMethod(name: string, inner: Method, observe: StoreQueryObserver): Method {
  const settle = (start: number, outcome: 'ok' | 'error') =>
    observe(name, (performance.now() - start) / 1000, outcome);
  return async (...args) => {
    const start = performance.now();
    try {
      const value = await inner(...args);
      settle(start, 'ok');
      return value;
    } catch (error) {
      settle(start, 'error');
      throw error;
    }
  };
}
