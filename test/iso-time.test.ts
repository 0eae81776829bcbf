import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toIso } from '../src/domain/clock.js';
import { parseIsoTime } from '../src/lib/iso-time.js';

// parseIsoTime computes the common forms itself (a directory import parses millions of them); what it
// accepts and the instant it returns must stay exactly what the pattern, a calendar check and
// Date.parse say, which this oracle spells out the slow way.
function oracle(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.exec(
    value,
  );
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  calendar.setUTCFullYear(year);
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const PARTS = {
  year: ['0000', '0004', '0099', '0100', '1900', '1969', '1970', '2000', '2024', '2026', '2100', '9999'],
  month: ['00', '01', '02', '04', '06', '09', '11', '12', '13'],
  day: ['00', '01', '15', '28', '29', '30', '31', '32'],
  hour: ['00', '09', '23', '24', '25'],
  minute: ['00', '30', '59', '60'],
  second: ['', ':00', ':07', ':59', ':60'],
  fraction: ['', '.5', '.05', '.123', '.1239', '.999999999', '.000000001'],
  offset: ['Z', '+00:00', '-00:00', '+05:30', '-08:00', '+23:59', '-23:59', '+24:00', '-05:60', '+99:99'],
};

/** A small seeded generator, so that a failure names a value that comes back on the next run. */
function* samples(count: number): Generator<string> {
  let state = 0x2545f491;
  const pick = (options: readonly string[]) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return options[(state >>> 0) % options.length] as string;
  };
  for (let i = 0; i < count; i++) {
    const second = pick(PARTS.second);
    yield (
      `${pick(PARTS.year)}-${pick(PARTS.month)}-${pick(PARTS.day)}T${pick(PARTS.hour)}:` +
      `${pick(PARTS.minute)}${second}${second ? pick(PARTS.fraction) : ''}${pick(PARTS.offset)}`
    );
  }
}

describe('parseIsoTime', () => {
  test('agrees with the pattern, the calendar and Date.parse on 50,000 generated date-times', () => {
    let accepted = 0;
    for (const value of samples(50_000)) {
      const expected = oracle(value);
      assert.equal(parseIsoTime(value), expected, value);
      if (expected !== undefined) accepted++;
    }
    // Both sides of the line were exercised.
    assert.ok(accepted > 5_000 && accepted < 45_000, `${accepted} accepted`);
  });

  test('exact instants', () => {
    assert.equal(parseIsoTime('2026-01-01T10:00:00.000Z'), Date.UTC(2026, 0, 1, 10));
    assert.equal(parseIsoTime('2026-01-01T10:00Z'), Date.UTC(2026, 0, 1, 10));
    assert.equal(parseIsoTime('2026-01-01T10:00:00.5+01:30'), Date.UTC(2026, 0, 1, 8, 30, 0, 500));
    assert.equal(parseIsoTime('2026-01-01T10:00:00.123456789Z'), Date.UTC(2026, 0, 1, 10, 0, 0, 123));
    assert.equal(parseIsoTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
    assert.equal(parseIsoTime('2026-01-01T24:00:00Z'), Date.UTC(2026, 0, 2));
    assert.equal(parseIsoTime('0050-01-01T00:00:00Z'), Date.parse('0050-01-01T00:00:00Z'));
  });

  test('refuses what is not a full date-time with an offset, or a day that does not exist', () => {
    for (const value of [
      '2026-01-01',
      '2026-01-01T10:00:00',
      '2026-01-01 10:00:00Z',
      '2026-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T10:00:00+05:60',
      '2026-01-01T10:00:00.Z',
      '',
    ]) {
      assert.equal(parseIsoTime(value), undefined, value);
    }
  });
});

describe('toIso', () => {
  test('writes what Date#toISOString writes, from year 0 to 9999 and beyond', () => {
    const instants = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000, 4_107_542_399_999];
    instants.push(-62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000);
    let state = 0x9e3779b9;
    for (let i = 0; i < 100_000; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      // Spread over years 0 to 9999, with the low digits of the milliseconds varied too.
      instants.push(
        -62_167_219_200_000 + Math.floor(((state >>> 0) / 2 ** 32) * 315_569_520_000_000) + (i % 1000),
      );
    }
    for (const ms of instants) assert.equal(toIso(ms), new Date(ms).toISOString(), String(ms));
  });

  test('round-trips through parseIsoTime', () => {
    for (const ms of [0, 1_767_261_600_123, 951_782_400_000, -1]) assert.equal(parseIsoTime(toIso(ms)), ms);
  });
});
