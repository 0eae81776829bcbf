import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cleanEnv,
  cleanUp,
  getJson,
  runCli,
  startServe,
  tempDir,
  type ServeProcess,
} from './helpers/cli-process.js';
import { controlDirectory, IDLE, TOKEN } from './helpers/control.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';
import { hydra, type Json } from './helpers/wire.js';

// `rollcall clock|presence|faults|requests|directory … --url` against a `rollcall serve` child process.

const NO_LAG_GUARD = ['--max-event-loop-delay-ms', '0'];
const SECRET = 'cli-control-secret';
const databases: TestDatabase[] = [];
let seed: string;

async function serve(...extra: string[]): Promise<ServeProcess> {
  const database = await createTestDatabase();
  databases.push(database);
  return startServe(['--port', '0', '--db', database.url, '--seed', seed, ...NO_LAG_GUARD, ...extra]);
}

/** Runs `rollcall <args> --url <server>` and returns its parsed JSON output (it must exit 0). */
async function rollcall(server: ServeProcess, ...args: string[]): Promise<unknown> {
  const result = await runCli([...args, '--url', server.url]);
  assert.equal(result.code, 0, `rollcall ${args.join(' ')}: ${result.stderr}`);
  return result.stdout === '' ? undefined : (JSON.parse(result.stdout) as unknown);
}

before(() => {
  seed = join(tempDir(), 'seed.json');
  writeFileSync(seed, JSON.stringify(controlDirectory()));
});
after(async () => {
  await cleanUp();
  for (const database of databases) await database.drop();
});

describe('the control commands', () => {
  let server: ServeProcess;
  before(async () => {
    server = await serve();
  });
  after(async () => {
    await server.stop();
  });

  test('clock advance 15m moves the running clock of the server', async () => {
    const printed = (await rollcall(server, 'clock', 'advance', '15m')) as Json;
    assert.equal(printed.mode, 'real');
    assert.equal(printed.offsetMs, 900_000);
    const clock = await getJson(`${server.url}/rollcall/v1/clock`);
    assert.equal(clock.status, 200);
    const body = clock.body as Json;
    assert.deepEqual([body.mode, body.offsetMs], ['real', 900_000]);
    assert.ok(Math.abs(Date.parse(body.now as string) - (Date.now() + 900_000)) < 5000);
  });

  test('clock set, get, freeze and real', async () => {
    const frozen = { now: '2026-01-15T12:00:00.000Z', mode: 'frozen', offsetMs: 0 };
    assert.deepEqual(await rollcall(server, 'clock', 'set', '2026-01-15T12:00:00Z'), frozen);
    assert.deepEqual(await rollcall(server, 'clock'), frozen);
    assert.deepEqual(await rollcall(server, 'clock', 'get'), frozen);
    assert.deepEqual(await rollcall(server, 'clock', 'freeze'), frozen);
    const real = (await rollcall(server, 'clock', 'real')) as Json;
    assert.deepEqual([real.mode, real.offsetMs], ['real', 0]);
  });

  test('presence set and get', async () => {
    await rollcall(server, 'clock', 'set', '2026-01-15T12:00:00Z');
    assert.deepEqual(
      await rollcall(
        server,
        'presence',
        'set',
        'idle@control.test',
        '--state',
        'meeting',
        '--sharing',
        'off',
      ),
      {
        personId: hydra('PEOPLE', IDLE),
        state: 'meeting',
        lastActivity: '2026-01-15T11:55:00.000Z',
        sharing: false,
        status: 'meeting',
      },
    );
    const cleared = (await rollcall(
      server,
      'presence',
      'set',
      IDLE,
      '--state',
      'none',
      '--last-activity',
      'none',
      '--sharing',
      'on',
    )) as Json;
    assert.deepEqual(
      [cleared.state, cleared.lastActivity, cleared.sharing, cleared.status],
      [null, null, true, 'pending'],
    );
    assert.equal(((await rollcall(server, 'presence', 'get', IDLE)) as Json).status, 'pending');
  });

  test('faults add, list and clear; requests shows what the client saw', async () => {
    await rollcall(server, 'requests', 'clear');
    const rule = (await rollcall(
      server,
      'faults',
      'add',
      '--method',
      'GET',
      '--path',
      '/v1/people/*',
      '--status',
      '429',
      '--retry-after',
      '3',
      '--count',
      '1',
    )) as Json;
    assert.deepEqual(
      { ...rule, id: 'x' },
      {
        id: 'x',
        method: 'GET',
        path: '/v1/people/*',
        status: 429,
        retryAfter: 3,
        count: 1,
        remaining: 1,
        fired: 0,
      },
    );
    assert.equal((await getJson(`${server.url}/v1/people/me`, TOKEN.user)).status, 429);
    assert.equal((await getJson(`${server.url}/v1/people/me`, TOKEN.user)).status, 200);
    assert.deepEqual(await rollcall(server, 'faults'), { items: [{ ...rule, remaining: 0, fired: 1 }] });
    assert.equal(await rollcall(server, 'faults', 'clear'), undefined);
    assert.deepEqual(await rollcall(server, 'faults', 'list'), { items: [] });

    const log = (await rollcall(server, 'requests', '--limit', '5')) as { items: Json[] };
    assert.deepEqual(
      log.items.map((r) => [r.method, r.path, r.status]),
      [
        ['GET', '/v1/people/me', 429],
        ['GET', '/v1/people/me', 200],
      ],
    );
  });

  test('directory export, load and reset', async () => {
    const file = join(tempDir(), 'export.json');
    assert.equal(await rollcall(server, 'directory', 'export', '--output', file), undefined);
    const exported = (await rollcall(server, 'directory', 'export')) as { people: Json[] };
    assert.equal(exported.people.length, 3);

    const smaller = join(tempDir(), 'smaller.json');
    writeFileSync(smaller, JSON.stringify({ ...exported, people: exported.people.slice(0, 1) }));
    assert.deepEqual(await rollcall(server, 'directory', 'load', smaller), { orgs: 1, people: 1, tokens: 0 });
    // serve deletes tokens that expired before it started (the one expiring at 2026-01-15T13:00Z).
    const tokens = Date.now() < Date.parse('2026-01-15T13:00:00Z') ? 3 : 2;
    assert.deepEqual(await rollcall(server, 'directory', 'reset'), { orgs: 1, people: 3, tokens });
    assert.equal((await getJson(`${server.url}/v1/people/me`, TOKEN.user)).status, 200);

    const bad = join(tempDir(), 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ orgs: [], people: [{ orgId: 'nowhere', emails: ['a@b.test'], displayName: 'A' }] }),
    );
    const result = await runCli(['directory', 'load', bad, '--url', server.url]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^rollcall: POST http:\/\/127\.0\.0\.1:\d+\/rollcall\/v1\/directory: 400 Invalid directory file: people\[0\] \(a@b\.test\)\.orgId: unknown organization "nowhere"\n$/,
    );
  });
});

describe('the control commands against a server with a control token', () => {
  let server: ServeProcess;
  before(async () => {
    server = await serve('--control-token', SECRET);
  });
  after(async () => {
    await server.stop();
  });

  test('need the token, from --control-token or ROLLCALL_CONTROL_TOKEN', async () => {
    const refused = await runCli(['clock', '--url', server.url]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, / 401 The control API requires Authorization: Bearer <control token>/);

    const flag = await runCli([
      'clock',
      'set',
      '2026-01-15T12:00:00Z',
      '--url',
      server.url,
      '--control-token',
      SECRET,
    ]);
    assert.equal(flag.code, 0, flag.stderr);
    const env = await runCli(['clock', '--url', server.url], {
      env: cleanEnv({ ROLLCALL_CONTROL_TOKEN: SECRET }),
    });
    assert.equal(env.code, 0, env.stderr);
    assert.deepEqual(JSON.parse(env.stdout), {
      now: '2026-01-15T12:00:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
  });
});

test('a server that is not there is a clear error', async () => {
  // A port that was free a moment ago.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const result = await runCli(['clock', '--url', `http://127.0.0.1:${port}`]);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `rollcall: cannot reach http://127.0.0.1:${port}/rollcall/v1/clock: ECONNREFUSED\n`,
  );
});
