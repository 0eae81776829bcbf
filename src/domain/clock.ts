/** Milliseconds since the epoch. Passed in everywhere time matters, so presence and expiry are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Timestamps on the wire are ISO-8601 UTC with milliseconds, e.g. 2015-10-18T14:26:16.000Z. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
