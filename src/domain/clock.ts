/** Milliseconds since the epoch. Passed in everywhere time matters, so presence and expiry are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type ClockMode = 'real' | 'frozen';

/**
 * The server's clock, which the control API can freeze, move and give back to real time. Real mode
 * may run ahead of or behind the machine's time by an offset (after an `advance`).
 */
export class ControllableClock implements Clock {
  private mode: ClockMode = 'real';
  private frozenAt = 0;
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.mode === 'frozen' ? this.frozenAt : this.realNow() + this.offsetMs;
  }

  state(): { now: number; mode: ClockMode; offsetMs: number } {
    return { now: this.now(), mode: this.mode, offsetMs: this.mode === 'frozen' ? 0 : this.offsetMs };
  }

  /** Stops time at `ms`. */
  set(ms: number): void {
    this.mode = 'frozen';
    this.frozenAt = ms;
  }

  /** Moves time forward (or back, with a negative amount), frozen or not. */
  advance(ms: number): void {
    if (this.mode === 'frozen') this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Back to the machine's time. */
  useRealTime(): void {
    this.mode = 'real';
    this.offsetMs = 0;
  }
}

/** A clock that only moves when told to (tests). */
export class ManualClock extends ControllableClock {
  constructor(start: number) {
    super();
    this.set(start);
  }
}

/** Timestamps on the wire are ISO-8601 UTC with milliseconds, e.g. 2015-10-18T14:26:16.000Z. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
