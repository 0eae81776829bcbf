// What people type into a people picker, as a displayName prefix: a few letters, a first name, a first
// name and the start of a last name, mostly in lower case. Shared by `npm run bench` and
// `npm run bench:scale`.

/** The random source both benchmarks' generators provide. */
export interface RandomSource {
  float(): number;
  int(maxExclusive: number): number;
  chance(p: number): boolean;
}

export function prefixOf(rng: RandomSource, displayName: string): string {
  const [first = displayName, second = ''] = displayName.split(' ');
  const r = rng.float();
  const prefix =
    r < 0.05
      ? displayName.slice(0, 1)
      : r < 0.2
        ? displayName.slice(0, 2)
        : r < 0.4
          ? displayName.slice(0, 3)
          : r < 0.55
            ? displayName.slice(0, 4)
            : r < 0.65
              ? displayName.slice(0, 5)
              : r < 0.8
                ? first
                : r < 0.95
                  ? `${first} ${second.slice(0, 1 + rng.int(3))}`
                  : displayName;
  return rng.chance(0.7) ? prefix.toLowerCase() : prefix;
}
