import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, test } from 'node:test';
import type { DirectoryFile, DirectoryPersonEntry } from '../src/directory/directory-file-schema.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { getOk, hydra, iso, ISO_MS, type Json } from './helpers/wire.js';

// Presence status, derived at read time with the server's clock (docs/people-api.md Part A):
// explicit states win; never signed in → pending; active within the last 10 minutes; else inactive;
// unknown for a bot without activity. A request made with a person's own token is activity.

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const ORG = '0e000000-0000-4000-8000-000000000001';
const EXPLICIT = ['call', 'meeting', 'presenting', 'DoNotDisturb', 'OutOfOffice', 'unknown'] as const;
/** Last activity of the boundary person: the ten-minute window is measured from here. */
const LAST = Date.parse('2026-01-15T11:00:00.000Z');

let n = 0;
const person = (name: string, extra: Partial<DirectoryPersonEntry> = {}) => ({
  id: `0e000000-0000-4000-8000-0000000001${String(++n).padStart(2, '0')}`,
  orgId: ORG,
  emails: [`${name}@presence.test`],
  displayName: name,
  created: '2025-06-01T00:00:00.000Z',
  ...extra,
});

const P = {
  viewer: person('viewer', { tokens: ['token-viewer'] }),
  ...Object.fromEntries(
    EXPLICIT.map((state) => [state, person(state, { presence: { state, lastActivity: iso(NOW - 60_000) } })]),
  ),
  outNoActivity: person('out-no-activity', { presence: { state: 'OutOfOffice' } }),
  never: person('never'),
  bot: person('bot', { type: 'bot' }),
  activeBot: person('active-bot', { type: 'bot', presence: { lastActivity: iso(NOW - 120_000) } }),
  boundary: person('boundary', { presence: { lastActivity: iso(LAST) } }),
  newcomer: person('newcomer', { tokens: ['token-newcomer'] }),
  regular: person('regular', { presence: { lastActivity: iso(NOW - 3600_000) }, tokens: ['token-regular'] }),
  noMillis: person('no-millis', { presence: { lastActivity: '2026-01-15T11:58:00Z' } }),
  offset: person('offset', { presence: { lastActivity: '2026-01-15T13:55:30.5+02:00' } }),
} as Record<string, DirectoryPersonEntry & { id: string }>;
const pick = (key: string) => {
  const entry = P[key];
  assert.ok(entry, key);
  return entry;
};

const directory = (): DirectoryFile => ({
  orgs: [{ id: ORG, displayName: 'Presence' }],
  people: Object.values(P),
});

/** What everyone in the org sees of a person who has nothing but the required fields. */
const view = (
  entry: DirectoryPersonEntry & { id: string },
  presence: { status: string; lastActivity?: string },
): Json => ({
  id: hydra('PEOPLE', entry.id),
  emails: entry.emails,
  displayName: entry.displayName,
  orgId: hydra('ORGANIZATION', ORG),
  created: '2025-06-01T00:00:00.000Z',
  lastModified: '2025-06-01T00:00:00.000Z',
  type: entry.type ?? 'person',
  ...presence,
});

let server: TestServer;
const seen = (key: string) => getOk(server, `/v1/people/${hydra('PEOPLE', pick(key).id)}`, 'token-viewer');

before(async () => {
  server = await startTestServer(directory(), { now: NOW });
});
afterEach(() => server.clock.set(NOW));
after(() => server.close());

describe('explicit states win over activity', () => {
  for (const state of EXPLICIT) {
    test(`${state}, with activity a minute ago, and still a day later`, async () => {
      const expected = view(pick(state), { status: state, lastActivity: '2026-01-15T11:59:00.000Z' });
      assert.deepEqual(await seen(state), expected);
      server.clock.advance(24 * 3600_000);
      assert.deepEqual(await seen(state), expected);
    });
  }

  test('an explicit state wins over "never signed in", and no lastActivity is invented', async () => {
    assert.deepEqual(await seen('outNoActivity'), view(pick('outNoActivity'), { status: 'OutOfOffice' }));
  });
});

describe('derived states', () => {
  test('a person who never signed in is pending', async () => {
    assert.deepEqual(await seen('never'), view(pick('never'), { status: 'pending' }));
  });

  test('a bot without activity is unknown, a bot with recent activity is active', async () => {
    assert.deepEqual(await seen('bot'), view(pick('bot'), { status: 'unknown' }));
    assert.deepEqual(
      await seen('activeBot'),
      view(pick('activeBot'), { status: 'active', lastActivity: '2026-01-15T11:58:00.000Z' }),
    );
  });

  for (const [offset, label, status] of [
    [10 * 60_000 - 1, '9:59.999', 'active'],
    [10 * 60_000, 'exactly 10 minutes', 'active'],
    [10 * 60_000 + 1, '10 minutes + 1 ms', 'inactive'],
  ] as const) {
    test(`last activity ${label} ago is ${status}`, async () => {
      server.clock.set(LAST + offset);
      assert.deepEqual(await seen('boundary'), view(pick('boundary'), { status, lastActivity: iso(LAST) }));
    });
  }

  test('time passing (clock.advance) turns an active person inactive', async () => {
    server.clock.set(LAST + 5 * 60_000);
    assert.equal(((await seen('boundary')) as Json).status, 'active');
    server.clock.advance(5 * 60_000);
    assert.equal(((await seen('boundary')) as Json).status, 'active');
    server.clock.advance(1);
    assert.deepEqual(
      await seen('boundary'),
      view(pick('boundary'), { status: 'inactive', lastActivity: iso(LAST) }),
    );
  });

  test('lastActivity always has milliseconds and is in UTC', async () => {
    const noMillis = (await seen('noMillis')) as Json;
    assert.deepEqual(
      noMillis,
      view(pick('noMillis'), { status: 'active', lastActivity: '2026-01-15T11:58:00.000Z' }),
    );
    const offset = (await seen('offset')) as Json;
    assert.deepEqual(
      offset,
      view(pick('offset'), { status: 'active', lastActivity: '2026-01-15T11:55:30.500Z' }),
    );
  });
});

describe('activity from requests', () => {
  test("a pending person's own request makes them active, with lastActivity = the clock's now", async () => {
    assert.deepEqual(await seen('newcomer'), view(pick('newcomer'), { status: 'pending' }));
    server.clock.set(Date.parse('2026-01-15T12:34:56.000Z'));
    const me = await getOk(server, '/v1/people/me', 'token-newcomer');
    const active = view(pick('newcomer'), { status: 'active', lastActivity: '2026-01-15T12:34:56.000Z' });
    assert.deepEqual(me, active);
    assert.match(me.lastActivity as string, ISO_MS);
    // Others see it too, before it is written to the store...
    assert.deepEqual(await seen('newcomer'), active);
    // ... and it ages like any other activity; the viewer's requests are not the newcomer's.
    server.clock.advance(10 * 60_000 + 1);
    assert.deepEqual(
      await seen('newcomer'),
      view(pick('newcomer'), { status: 'inactive', lastActivity: '2026-01-15T12:34:56.000Z' }),
    );
  });

  test('requests do not write to the store one by one; the latest time per person is kept in memory', async () => {
    const writes: ReadonlyMap<string, number>[] = [];
    const store = server.store;
    const recordActivity = store.recordActivity.bind(store);
    store.recordActivity = (batch) => {
      writes.push(new Map(batch));
      return recordActivity(batch);
    };
    try {
      const regular = pick('regular');
      for (let i = 0; i < 5; i++) {
        server.clock.advance(1000);
        await getOk(server, '/v1/people/me', 'token-regular');
      }
      assert.deepEqual(writes, []);
      assert.equal((await store.getPerson(regular.id))?.lastActivity, NOW - 3600_000);
      assert.deepEqual(
        await seen('regular'),
        view(regular, { status: 'active', lastActivity: iso(NOW + 5000) }),
      );
    } finally {
      store.recordActivity = recordActivity;
    }
  });
});

describe('activity reaches the store after the flush interval', () => {
  let fast: TestServer;
  before(async () => {
    fast = await startTestServer(directory(), { now: NOW, settings: { activityFlushMs: 50 } });
  });
  after(() => fast.close());

  test('activity is written within a few flush intervals, with the latest time per person', async () => {
    const newcomer = pick('newcomer');
    const viewer = pick('viewer');
    assert.equal((await fast.store.getPerson(newcomer.id))?.lastActivity, undefined);
    fast.clock.set(Date.parse('2026-01-15T12:00:01.234Z'));
    await getOk(fast, '/v1/people/me', 'token-viewer');
    fast.clock.set(Date.parse('2026-01-15T12:00:02.000Z'));
    await getOk(fast, '/v1/people/me', 'token-newcomer');
    fast.clock.set(Date.parse('2026-01-15T12:00:03.456Z'));
    await getOk(fast, '/v1/people/me', 'token-newcomer');
    const deadline = Date.now() + 3000;
    while ((await fast.store.getPerson(newcomer.id))?.lastActivity === undefined && Date.now() < deadline) {
      await sleep(25);
    }
    await sleep(150);
    assert.equal(
      (await fast.store.getPerson(newcomer.id))?.lastActivity,
      Date.parse('2026-01-15T12:00:03.456Z'),
    );
    assert.equal(
      (await fast.store.getPerson(viewer.id))?.lastActivity,
      Date.parse('2026-01-15T12:00:01.234Z'),
    );
  });
});
