import { toIso, type ClockMode, type ControllableClock } from '../domain/clock.js';
import { BadRequestError } from '../domain/errors.js';
import { parseDuration, parseIsoTime } from './time-input.js';

export interface ClockChange {
  now?: string;
  advance?: string;
  mode?: ClockMode;
}

export interface ClockView {
  now: string;
  mode: ClockMode;
  offsetMs: number;
}

export function viewClock(clock: ControllableClock): ClockView {
  const state = clock.state();
  return { now: toIso(state.now), mode: state.mode, offsetMs: state.offsetMs };
}

/**
 * `{now}` freezes time there (with `mode: "real"` time runs on from there instead), `{advance}` moves
 * it, frozen or running, `{mode: "frozen"}` stops it where it is, `{mode: "real"}` returns to the
 * machine's time.
 */
export function changeClock(clock: ControllableClock, change: ClockChange): ClockView {
  const { now, advance, mode } = change;
  if (advance !== undefined) {
    if (now !== undefined || mode !== undefined) {
      throw new BadRequestError(
        "Field 'advance' cannot be combined with 'now' or 'mode' in the request body.",
      );
    }
    clock.advance(parseDuration(advance, 'advance'));
  } else if (now !== undefined) {
    const at = parseIsoTime(now, 'now');
    if (mode === 'real') {
      clock.useRealTime();
      clock.advance(at - clock.now());
    } else {
      clock.set(at);
    }
  } else if (mode === 'frozen') {
    clock.set(clock.now());
  } else if (mode === 'real') {
    clock.useRealTime();
  } else {
    throw new BadRequestError(
      "One of the fields 'now', 'advance' or 'mode' is required in the request body.",
    );
  }
  return viewClock(clock);
}
