import type { PeopleStore } from './people-store.js';

/** Told about every query a store answers: the method's name, its duration and whether it succeeded. */
export type StoreQueryObserver = (method: string, seconds: number, outcome: 'ok' | 'error') => void;

/** Not queries: called on every request and synchronous, long-lived, or the end of the store. */
const UNTIMED: ReadonlySet<PropertyKey> = new Set(['waitingQueries', 'subscribeToChanges', 'close']);

type Method = (...args: unknown[]) => unknown;

/**
 * The same store, with every query method timed. Transparent: a method the store lacks (the optional
 * ones) stays absent, so `store.method?.()` and `'method' in store` answer as they would without it,
 * and a method added to the interface later is timed without a change here.
 */
export function timedStore(store: PeopleStore, observe: StoreQueryObserver): PeopleStore {
  const methods = new Map<PropertyKey, Method>();
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      let method = methods.get(key);
      if (method === undefined) {
        const inner = (value as Method).bind(target);
        method = UNTIMED.has(key) ? inner : timed(String(key), inner, observe);
        methods.set(key, method);
      }
      return method;
    },
  });
}

function timed(name: string, inner: Method, observe: StoreQueryObserver): Method {
  return (...args) => {
    const start = performance.now();
    const settle = (outcome: 'ok' | 'error') => observe(name, (performance.now() - start) / 1000, outcome);
    let result: unknown;
    try {
      result = inner(...args);
    } catch (error) {
      settle('error');
      throw error;
    }
    if (!(result instanceof Promise)) {
      settle('ok');
      return result;
    }
    return result.then(
      (value: unknown) => {
        settle('ok');
        return value;
      },
      (error: unknown) => {
        settle('error');
        throw error;
      },
    );
  };
}
