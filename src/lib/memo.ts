/**
 * `fn` remembering its results for up to `size` distinct arguments; when full it starts afresh (the
 * values that repeat come back at once). For pure functions of a few values that repeat on every
 * response: IDs and dates of the same people, orgs and roles.
 */
export function boundedMemo<K, V>(fn: (key: K) => V, size: number): (key: K) => V {
  let known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = fn(key);
      if (known.size >= size) known = new Map();
      known.set(key, value);
    }
    return value;
  };
}
