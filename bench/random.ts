/** mulberry32: small, fast and good enough to make the same directory on every run. */
function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded, so that every run benchmarks the same directory and the same request sequences. */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = randomSource(seed);
  }

  float(): number {
    return this.next();
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[this.int(values.length)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = (8 + this.int(4)).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  shuffle<T>(values: T[]): T[] {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [values[i], values[j]] = [values[j] as T, values[i] as T];
    }
    return values;
  }
}
