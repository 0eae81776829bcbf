import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { call, cleanUp, lines, startServe, writeTempFile, type ServeProcess } from './helpers/cli-process.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { createTestDatabase } from './helpers/test-database.js';

// A Redis outage under a running `rollcall serve --redis`: a Redis of the test's own (redis-server on a
// free loopback port, no persistence), killed and started again. Rate limits fail open while it is away
// (the API keeps answering), and the outage is visible: one structured warn line when it is lost, one
// when it is back, and the rollcall_redis_* metrics. The shared Redis on 6379 is not touched.

const run = randomBytes(6).toString('hex');
const ORG = '0b300000-0000-4000-8000-000000000001';
const USER = {
  id: '0b300000-0000-4000-8000-000000000301',
  orgId: ORG,
  emails: ['user@redis-faults.test'],
  displayName: 'user',
  created: '2025-06-01T00:00:00.000Z',
  tokens: [`user-${run}`],
};
const TOKEN = USER.tokens[0] as string;
const DIRECTORY: DirectoryFile = { orgs: [{ id: ORG, displayName: 'Redis faults' }], people: [USER] };
const LIMIT = 5;
const LOST = 'Redis cannot be reached: rate limits are not enforced until it is back';
const BACK = 'Redis is back: rate limits are enforced again';

const redisServers = new Set<ChildProcess>();

after(async () => {
  for (const child of redisServers) child.kill('SIGKILL');
  await cleanUp();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** redis-server on 127.0.0.1:`port`, without persistence; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  redisServers.add(child);
  child.once('exit', () => redisServers.delete(child));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return child;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await sleep(50);
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

async function metric(server: ServeProcess, name: string): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const families = parsePrometheusText(await res.text());
  const present = [...families.values()].some((family) => family.samples.some((s) => s.name === name));
  assert.ok(present, `${name} is exposed`);
  return sampleValue(families, name);
}

const logged = (server: ServeProcess, msg: string) =>
  lines(server.stderr())
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);

/** Sends `count` requests with the one token; their statuses. */
async function statuses(server: ServeProcess, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++)
    seen.push((await call(server.url, 'GET', '/v1/people/me', { token: TOKEN })).status);
  return seen;
}

describe('a Redis outage', () => {
  test('rate limits fail open, and the outage is logged once each way and measured', async (t) => {
    const database = await createTestDatabase();
    const port = await freePort();
    let redis = await startRedis(port);
    try {
      const server = await startServe([
        '--port',
        '0',
        '--db',
        database.url,
        '--seed',
        writeTempFile('directory.json', DIRECTORY),
        '--redis',
        `redis://127.0.0.1:${port}`,
        '--rate-limit',
        String(LIMIT),
        '--max-event-loop-delay-ms',
        '0',
      ]);
      assert.deepEqual(await statuses(server, LIMIT + 1), [...Array<number>(LIMIT).fill(200), 429]);
      assert.equal(await metric(server, 'rollcall_redis_connected'), 1);

      await stopRedis(redis);
      const lostAt = Date.now();
      // The same token, over its budget: answered all the same while Redis is away (and for ~2 s of
      // reconnection attempts, which must not each be logged).
      const during: number[] = [];
      while (Date.now() - lostAt < 2500) during.push(...(await statuses(server, 5)));
      assert.deepEqual([...new Set(during)], [200], 'fail open');
      assert.doesNotMatch(server.stderr(), /\[ioredis\]/, 'no unstructured ioredis output');
      const lost = logged(server, LOST);
      assert.equal(lost.length, 1, `one line for the outage: ${server.stderr()}`);
      assert.equal(lost[0]?.level, 40, 'at warn');
      assert.equal(typeof (lost[0]?.err as { message?: unknown } | undefined)?.message, 'string');
      assert.equal(await metric(server, 'rollcall_redis_connected'), 0);
      const errors = await metric(server, 'rollcall_redis_errors_total');
      assert.ok(errors >= 2, `every failed attempt is counted: ${errors}`);

      redis = await startRedis(port);
      const restartedAt = Date.now();
      for (;;) {
        if (logged(server, BACK).length > 0) break;
        assert.ok(Date.now() - restartedAt < 5000, `no recovery line: ${server.stderr()}`);
        await sleep(20);
      }
      const backMs = Date.now() - restartedAt;
      assert.equal(logged(server, BACK).length, 1);
      assert.equal(logged(server, BACK)[0]?.level, 40);
      assert.equal(await metric(server, 'rollcall_redis_connected'), 1);
      // Counting again (the restarted Redis starts from zero).
      assert.deepEqual(await statuses(server, LIMIT + 1), [...Array<number>(LIMIT).fill(200), 429]);
      t.diagnostic(
        `Redis down ${restartedAt - lostAt} ms: ${during.length} requests answered 200, ${errors} errors ` +
          `counted, 1 warn line; recovery logged ${backMs} ms after redis-server was back`,
      );
    } finally {
      await stopRedis(redis);
      await database.drop();
    }
  });
});
