import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { control, controlDirectory, IDLE, TOKEN } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, getOk, hydra, type Json } from './helpers/wire.js';

// PUT /rollcall/v1/clock moves the server's time: presence, token expiry and rate-limit windows follow.

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());

const statusOfIdle = async () =>
  ((await getOk(server, `/v1/people/${hydra('PEOPLE', IDLE)}`, TOKEN.admin)) as Json).status;

async function setClock(body: unknown): Promise<Json> {
  const res = await control(server, 'PUT', '/clock', { body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Json;
}

describe('the clock', () => {
  test('GET answers the frozen time of the test server', async () => {
    const res = await control(server, 'GET', '/clock');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('trackingid') ?? '', /^ROLLCALL_/);
    assert.deepEqual(res.body, { now: '2026-01-15T12:00:00.000Z', mode: 'frozen', offsetMs: 0 });
  });

  test('advancing moves presence across the 10-minute boundary, to the millisecond', async () => {
    await setClock({ now: '2026-01-15T12:00:00.000Z' });
    assert.equal(await statusOfIdle(), 'active'); // last activity 11:55
    assert.deepEqual(await setClock({ advance: '5m' }), {
      now: '2026-01-15T12:05:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
    assert.equal(await statusOfIdle(), 'active'); // exactly 10 minutes
    await setClock({ advance: '1' }); // one millisecond more
    assert.equal(await statusOfIdle(), 'inactive');
    await setClock({ advance: '-1s' });
    assert.equal(await statusOfIdle(), 'active');
  });

  test('now freezes time at the given instant, whatever its zone', async () => {
    assert.deepEqual(await setClock({ now: '2026-03-01T09:30:00+01:00' }), {
      now: '2026-03-01T08:30:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
    assert.deepEqual((await control(server, 'GET', '/clock')).body, {
      now: '2026-03-01T08:30:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
  });

  test('lastModified of a write follows the clock', async () => {
    await setClock({ now: '2026-02-02T10:00:00.000Z' });
    const res = await call(server, `/v1/people/${hydra('PEOPLE', IDLE)}`, {
      method: 'PUT',
      token: TOKEN.admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Ida Idle', emails: ['idle@control.test'] }),
    });
    assert.equal(res.status, 200);
    assert.equal((res.body as Json).lastModified, '2026-02-02T10:00:00.000Z');
  });

  test('token expiry follows the clock', async () => {
    await setClock({ now: '2026-01-15T12:59:59.999Z' });
    assert.equal((await call(server, '/v1/people/me', { token: TOKEN.expiring })).status, 200);
    await setClock({ advance: '1' });
    assertError(
      await call(server, '/v1/people/me', { token: TOKEN.expiring }),
      401,
      'The request requires a valid access token set in the Authorization request header.',
    );
    await setClock({ advance: '-1h' });
    assert.equal((await call(server, '/v1/people/me', { token: TOKEN.expiring })).status, 200);
  });

  test('mode frozen stops a running clock where it is; mode real returns to the machine', async () => {
    const real = await setClock({ mode: 'real' });
    assert.equal(real.mode, 'real');
    assert.equal(real.offsetMs, 0);
    assert.ok(Math.abs(Date.parse(real.now as string) - Date.now()) < 5000, String(real.now));

    const frozen = await setClock({ mode: 'frozen' });
    assert.equal(frozen.mode, 'frozen');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual((await control(server, 'GET', '/clock')).body, frozen);
  });

  test('advancing a running clock keeps it running, ahead by the offset', async () => {
    await setClock({ mode: 'real' });
    const ahead = await setClock({ advance: '1h' });
    assert.equal(ahead.mode, 'real');
    assert.equal(ahead.offsetMs, 3_600_000);
    assert.ok(Math.abs(Date.parse(ahead.now as string) - (Date.now() + 3_600_000)) < 5000);
    assert.equal((await setClock({ mode: 'real' })).offsetMs, 0);
  });

  test('now with mode real runs on from the given instant', async () => {
    const started = await setClock({ now: '2030-01-01T00:00:00.000Z', mode: 'real' });
    assert.equal(started.mode, 'real');
    assert.ok(Math.abs(Date.parse(started.now as string) - Date.parse('2030-01-01T00:00:00.000Z')) < 5000);
    assert.ok(
      Math.abs((started.offsetMs as number) - (Date.parse('2030-01-01T00:00:00Z') - Date.now())) < 5000,
    );
    await setClock({ now: '2026-01-15T12:00:00.000Z' });
  });

  test('a bad change is a 400 with the Webex error body, and changes nothing', async () => {
    await setClock({ now: '2026-01-15T12:00:00.000Z' });
    const cases: [unknown, string][] = [
      [{}, "One of the fields 'now', 'advance' or 'mode' is required in the request body."],
      [
        { advance: 'soon' },
        `Invalid field 'advance' in the request body: "soon" is not a duration such as 15m, 90s, 2h or -5m.`,
      ],
      [
        { now: '2026-01-15T12:00:00' },
        `Invalid field 'now' in the request body: "2026-01-15T12:00:00" is not an ISO-8601 date-time with a time zone, e.g. 2026-01-15T12:00:00Z.`,
      ],
      [
        { now: '2026-13-45T12:00:00Z' },
        `Invalid field 'now' in the request body: "2026-13-45T12:00:00Z" is not an ISO-8601 date-time with a time zone, e.g. 2026-01-15T12:00:00Z.`,
      ],
      [
        { advance: '5m', now: '2026-01-15T12:00:00Z' },
        "Field 'advance' cannot be combined with 'now' or 'mode' in the request body.",
      ],
      [
        { mode: 'paused' },
        "Invalid field 'mode' in the request body: must be equal to one of the allowed values.",
      ],
      [{ speed: 2 }, "Unknown field 'speed' in the request body."],
    ];
    for (const [body, message] of cases) {
      assertError(await control(server, 'PUT', '/clock', { body }), 400, message, JSON.stringify(body));
    }
    assert.deepEqual((await control(server, 'GET', '/clock')).body, {
      now: '2026-01-15T12:00:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
  });
});

describe('rate-limit windows', () => {
  let limited: TestServer;
  before(async () => {
    limited = await startTestServer(controlDirectory(), { settings: { rateLimit: 2 } });
  });
  after(() => limited.close());

  test('follow the clock: a frozen window stays shut, advancing past it opens the next', async () => {
    const me = () => call(limited, '/v1/people/me', { token: TOKEN.user });
    assert.equal((await me()).status, 200);
    assert.equal((await me()).status, 200);
    const shut = await me();
    assertError(
      shut,
      429,
      'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
    );
    assert.equal(shut.headers.get('retry-after'), '60');

    // Control calls are never rate limited.
    for (let i = 0; i < 5; i++) assert.equal((await control(limited, 'GET', '/clock')).status, 200);

    await control(limited, 'PUT', '/clock', { body: { advance: '59s' } });
    const stillShut = await me();
    assert.equal(stillShut.status, 429);
    assert.equal(stillShut.headers.get('retry-after'), '1');

    await control(limited, 'PUT', '/clock', { body: { advance: '1s' } });
    const open = await me();
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('x-ratelimit-remaining'), '1');
  });
});
