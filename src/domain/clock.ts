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

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z: where toISOString writes four-digit years. */
const YEAR_0_MS = -62_167_219_200_000;
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * Timestamps on the wire are ISO-8601 UTC with milliseconds, e.g. 2015-10-18T14:26:16.000Z: what
 * Date#toISOString writes, computed without a Date (a list page formats a few hundred of them).
 */
export function toIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < YEAR_0_MS || ms >= YEAR_10000_MS) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${civilDate(days)}T${two(hour)}:${two(minute)}:${two(second)}.${milli < 100 ? (milli < 10 ? '00' : '0') : ''}${milli}Z`;
}

/** YYYY-MM-DD of a count of days since 1970-01-01 (the proleptic Gregorian calendar, years 0–9999). */
function civilDate(days: number): string {
  // Howard Hinnant's days-to-civil: eras of 400 years starting on 0000-03-01.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
