import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportDirectory } from '../src/directory/export-directory.js';
import { hashToken } from '../src/domain/tokens.js';
import { openStore } from '../src/store/open-store.js';
import {
  cleanEnv,
  cleanUp,
  getJson,
  lines,
  LISTENING,
  runCli,
  signalOnListeningLine,
  sleep,
  startServe,
  tempDir,
  type ServeProcess,
} from './helpers/cli-process.js';
import { RawConnection } from './helpers/raw-connection.js';
import {
  ALICE,
  readDatabase,
  RICH_TOKENS,
  richDirectory,
  seedDatabase,
  SMALL,
  smallDirectory,
  writeJson,
} from './helpers/directory-files.js';
import { hydra } from './helpers/wire.js';

// `node bin/rollcall.js …` as a user runs it: real child processes, real SQLite files in temp dirs,
// real HTTP on 127.0.0.1. Every child is killed in `after`, and every wait is bounded.

after(cleanUp);

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const TOKEN = /^rollcall-[0-9a-f]{64}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** A graceful stop must not take longer than this. */
const STOP_MS = 5000;
/**
 * Appended to every `serve`: no 503s from the event-loop-lag guard, which a busy test machine can trip
 * and which these tests are not about.
 */
const NO_LAG_GUARD = ['--max-event-loop-delay-ms', '0'];

function listening(server: ServeProcess): string {
  return `Rollcall listening on http://127.0.0.1:${server.port}`;
}

/** What `GET /v1/people/me` says about who the token belongs to. */
async function whoAmI(
  server: ServeProcess,
  token: string,
): Promise<{ status: number; id?: unknown; email?: unknown }> {
  const reply = await getJson(`${server.url}/v1/people/me`, token);
  if (reply.status !== 200) return { status: reply.status };
  const body = reply.body as { id: unknown; emails: unknown[] };
  return { status: 200, id: body.id, email: body.emails[0] };
}

async function assertStopsCleanly(server: ServeProcess, signal: NodeJS.Signals): Promise<void> {
  const exit = await server.stop(signal, STOP_MS);
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
}

async function tokenIsStored(db: string, token: string): Promise<boolean> {
  const store = openStore(db);
  try {
    return (await store.findToken(hashToken(token))) !== undefined;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------------

describe('serve: start, answer, stop on a signal', () => {
  const BIG = '5a11b16b-0000-4000-8000-000000000003';
  const BIG_TOKEN = 'tok-big-title';
  // Far more than the kernel's socket buffers hold, so most of the response is still in the server.
  const BIG_TITLE_LENGTH = 24_000_000;
  let dir: string;
  let seed: string;
  let bigDb: string;

  before(async () => {
    dir = tempDir();
    seed = writeJson(dir, 'seed.json', smallDirectory());
    bigDb = join(dir, 'big.db');
    const directory = smallDirectory();
    directory.people.push({
      id: BIG,
      orgId: SMALL.acme,
      emails: ['big@acme.test'],
      displayName: 'Big Title',
      title: 'x'.repeat(BIG_TITLE_LENGTH),
      tokens: [BIG_TOKEN],
    });
    await seedDatabase(bigDb, directory);
  });

  for (const signal of SIGNALS) {
    test(`serve --port 0 --db --seed prints its address, answers, and exits 0 on ${signal}`, async () => {
      const db = join(dir, `lifecycle-${signal}.db`);
      const server = await startServe(['--port', '0', '--db', db, '--seed', seed, ...NO_LAG_GUARD]);
      try {
        assert.notEqual(server.port, 0);
        assert.deepEqual(lines(server.stdout()), [`Loaded 2 people from ${seed}`, listening(server)]);
        assert.deepEqual(await getJson(`${server.url}/healthz`), { status: 200, body: { status: 'ok' } });

        const me = await getJson(`${server.url}/v1/people/me`, SMALL.bobToken);
        assert.equal(me.status, 200);
        const { id, emails, displayName, firstName, lastName, orgId, type } = me.body as Record<
          string,
          unknown
        >;
        assert.deepEqual(
          { id, emails, displayName, firstName, lastName, orgId, type },
          {
            id: hydra('PEOPLE', SMALL.bob),
            emails: ['bob@northwind.test'],
            displayName: 'Bob Builder',
            firstName: 'Bob',
            lastName: 'Builder',
            orgId: hydra('ORGANIZATION', SMALL.northwind),
            type: 'person',
          },
        );
        assert.equal((await getJson(`${server.url}/v1/people/me`, 'not-a-token')).status, 401);

        const exit = await server.stop(signal, STOP_MS);
        assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
        assert.ok(exit.elapsedMs < STOP_MS, `stopped after ${exit.elapsedMs} ms`);
        await assert.rejects(fetch(`${server.url}/healthz`));
      } finally {
        server.child.kill('SIGKILL');
      }
    });

    test(`${signal} sent the moment the listening line is out stops the server cleanly`, async () => {
      // The line promises that the server is ready, signals included (see signalOnListeningLine).
      const db = join(dir, `early-${signal}.db`);
      const { printed, status } = await signalOnListeningLine(
        ['--port', '0', '--db', db, ...NO_LAG_GUARD],
        signal,
      );
      assert.equal(printed.length, 1, printed.join('\n'));
      assert.match(printed[0] ?? '', /^Rollcall listening on http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(
        status,
        0,
        `exit status ${status}${status > 128 ? ` (killed by signal ${status - 128})` : ''}`,
      );
    });

    test(`a response still being sent when ${signal} arrives is sent in full`, async () => {
      const server = await startServe(['--port', '0', '--db', bigDb, ...NO_LAG_GUARD]);
      const connection = await RawConnection.open(server.port);
      try {
        connection.write(
          `GET /v1/people/me HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
            `Authorization: Bearer ${BIG_TOKEN}\r\n\r\n`,
        );
        // The response has begun; the client stops reading, so the rest waits in the server.
        await connection.waitForBytes(1);
        connection.pause();
        const stopped = server.stop(signal);
        stopped.catch(() => undefined); // awaited below; a failed assertion first must not leave it unhandled
        await sleep(500);
        connection.resume();
        const response = await connection.readResponse();
        connection.close();

        assert.equal(response.status, 200);
        assert.equal(
          response.complete,
          true,
          `received ${response.body.length} of ${response.headers['content-length'] ?? '?'} body bytes`,
        );
        const body = JSON.parse(response.body.toString('utf8')) as { emails: string[]; title: string };
        assert.deepEqual(body.emails, ['big@acme.test']);
        assert.equal(body.title.length, BIG_TITLE_LENGTH);
        const exit = await stopped;
        assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
      } finally {
        connection.close();
        server.child.kill('SIGKILL');
      }
    });

    test(`a request still being uploaded when ${signal} arrives is answered, then the server exits`, async () => {
      const db = join(dir, `upload-${signal}.db`);
      await seedDatabase(db, smallDirectory());
      const server = await startServe(['--port', '0', '--db', db, ...NO_LAG_GUARD]);
      const connection = await RawConnection.open(server.port);
      const email = `uploaded-${signal.toLowerCase()}@acme.test`;
      const body = JSON.stringify({ emails: [email], displayName: 'Uploaded Late' });
      try {
        connection.write(
          `POST /v1/people HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
            `Authorization: Bearer ${SMALL.adaToken}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
        );
        // 100 Continue: the server has read the head and routed the request; the body is still to come.
        assert.equal(await connection.expectPrefix('HTTP/1.1 100 Continue\r\n\r\n'), true);
        const stopped = server.stop(signal, STOP_MS);
        stopped.catch(() => undefined); // awaited below; a failed assertion first must not leave it unhandled
        await sleep(300);
        connection.write(body);
        const response = await connection.readResponse();
        assert.equal(response.status, 200, response.body.toString('utf8'));
        assert.deepEqual((JSON.parse(response.body.toString('utf8')) as { emails: unknown }).emails, [email]);

        // The client keeps its connection open, as an SDK's keep-alive pool does.
        let exit;
        try {
          exit = await stopped;
        } catch (error) {
          assert.fail(
            `${(error as Error).message.split('\n')[0] ?? ''}; the answer said ` +
              `Connection: ${response.headers.connection ?? '-'}, Keep-Alive: ${response.headers['keep-alive'] ?? '-'}`,
          );
        }
        assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
        const people = (await readDatabase(db)).people.map((p) => p.emails[0]);
        assert.deepEqual(people, ['ada@acme.test', 'bob@northwind.test', email]);
      } finally {
        connection.close();
        server.child.kill('SIGKILL');
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------

describe('serve: settings from the environment', () => {
  test('PORT=0, ROLLCALL_DB and ROLLCALL_SEED stand in for --port, --db and --seed', async () => {
    const cwd = tempDir();
    const data = tempDir();
    const seed = writeJson(data, 'seed.json', smallDirectory());
    const db = join(data, 'env.db');

    const first = await startServe([...NO_LAG_GUARD], {
      cwd,
      env: cleanEnv({ PORT: '0', ROLLCALL_DB: db, ROLLCALL_SEED: seed }),
    });
    assert.deepEqual(lines(first.stdout()), [`Loaded 2 people from ${seed}`, listening(first)]);
    assert.deepEqual(await whoAmI(first, SMALL.adaToken), {
      status: 200,
      id: hydra('PEOPLE', SMALL.ada),
      email: 'ada@acme.test',
    });
    await assertStopsCleanly(first, 'SIGTERM');
    assert.equal(existsSync(db), true);
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false);

    // ROLLCALL_DB names the database, so without a seed it is served as it is: no demo.
    const second = await startServe([...NO_LAG_GUARD], {
      cwd,
      env: cleanEnv({ PORT: '0', ROLLCALL_DB: db }),
    });
    assert.deepEqual(lines(second.stdout()), [listening(second)]);
    assert.deepEqual(await whoAmI(second, SMALL.bobToken), {
      status: 200,
      id: hydra('PEOPLE', SMALL.bob),
      email: 'bob@northwind.test',
    });
    await assertStopsCleanly(second, 'SIGTERM');
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false);
  });

  test('PORT=abc is refused like --port abc, each message naming where the value came from', async () => {
    const cwd = tempDir();
    const message = (source: string) =>
      `rollcall: Invalid setting port (${source}): "abc" is not a whole number\n`;
    assert.deepEqual(await runCli(['serve'], { cwd, env: cleanEnv({ PORT: 'abc' }) }), {
      code: 1,
      signal: null,
      stdout: '',
      stderr: message('environment variable PORT'),
    });
    assert.deepEqual(await runCli(['serve', '--port', 'abc'], { cwd }), {
      code: 1,
      signal: null,
      stdout: '',
      stderr: message('flag --port'),
    });
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('serve: the demo directory', () => {
  const HOLDERS = [
    'alice@acme.test',
    'bob@acme.test',
    'carol@acme.test',
    'pat@northwind.test',
    'helper-bot@acme.test',
  ];
  const LOADED = 'Loaded the demo directory (Acme, managed by Northwind Partners).';

  /** Checks the "Demo tokens" block and returns the tokens in the order of HOLDERS. */
  function demoTokens(printed: string[], startedAfter: number, startedBefore: number): string[] {
    const header = /^Demo tokens \(valid until (.+)\):$/.exec(printed[0] ?? '');
    assert.ok(header, `no "Demo tokens" line: ${JSON.stringify(printed)}`);
    const validUntil = header[1] ?? '';
    assert.match(validUntil, ISO_MS);
    assert.ok(Date.parse(validUntil) >= startedAfter + DAY_MS, validUntil);
    assert.ok(Date.parse(validUntil) <= startedBefore + DAY_MS, validUntil);
    return HOLDERS.map((email, i) => {
      const line = printed[i + 1] ?? '';
      const token = /^ {2}\S+ +(\S+)$/.exec(line)?.[1] ?? '';
      assert.match(token, TOKEN, line);
      assert.equal(line, `  ${email.padEnd(22)} ${token}`);
      return token;
    });
  }

  test('without --db: ./rollcall.db, the demo and working tokens; a restart prints fresh ones and keeps the people', async () => {
    const cwd = tempDir();
    const db = join(cwd, 'rollcall.db');

    const t0 = Date.now();
    const first = await startServe(['--port', '0', ...NO_LAG_GUARD], { cwd });
    const t1 = Date.now();
    const printed = lines(first.stdout());
    assert.equal(printed.length, 8, printed.join('\n'));
    assert.equal(printed[0], LOADED);
    const tokens = demoTokens(printed.slice(1, 7), t0, t1);
    assert.equal(printed[7], listening(first));
    assert.equal(existsSync(db), true);
    for (const [i, token] of tokens.entries()) {
      assert.deepEqual((await whoAmI(first, token)).email, HOLDERS[i], token);
    }
    await assertStopsCleanly(first, 'SIGTERM');
    const people = await readDatabase(db);
    assert.equal(people.people.length, 9);
    assert.deepEqual(
      people.orgs.map((o) => o.displayName),
      ['Acme', 'Northwind Partners'],
    );

    const t2 = Date.now();
    const second = await startServe(['--port', '0', ...NO_LAG_GUARD], { cwd });
    const t3 = Date.now();
    const again = lines(second.stdout());
    assert.equal(again.length, 7, again.join('\n'));
    const fresh = demoTokens(again.slice(0, 6), t2, t3);
    assert.equal(again[6], listening(second));
    assert.deepEqual(
      fresh.filter((token) => tokens.includes(token)),
      [],
    );
    // Read while it runs, before any request records activity: the directory was not reloaded.
    assert.deepEqual(await readDatabase(db), people);
    for (const [i, token] of fresh.entries()) {
      assert.deepEqual((await whoAmI(second, token)).email, HOLDERS[i], token);
    }
    await assertStopsCleanly(second, 'SIGINT');
  });

  test('a database named with --db gets no demo unless --demo, and --demo leaves a non-empty one alone', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');

    const plain = await startServe(['--port', '0', '--db', empty, ...NO_LAG_GUARD]);
    assert.deepEqual(lines(plain.stdout()), [listening(plain)]);
    await assertStopsCleanly(plain, 'SIGTERM');
    assert.deepEqual(await readDatabase(empty), { orgs: [], people: [] });

    const t0 = Date.now();
    const demo = await startServe(['--port', '0', '--db', empty, '--demo', ...NO_LAG_GUARD]);
    const t1 = Date.now();
    const printed = lines(demo.stdout());
    assert.equal(printed.length, 8, printed.join('\n'));
    assert.equal(printed[0], LOADED);
    const tokens = demoTokens(printed.slice(1, 7), t0, t1);
    assert.equal((await whoAmI(demo, tokens[0] ?? '')).email, 'alice@acme.test');
    await assertStopsCleanly(demo, 'SIGTERM');

    const seeded = join(dir, 'seeded.db');
    await seedDatabase(seeded, smallDirectory());
    const previous = await readDatabase(seeded);
    const notDemo = await startServe(['--port', '0', '--db', seeded, '--demo', ...NO_LAG_GUARD]);
    assert.deepEqual(lines(notDemo.stdout()), [listening(notDemo)]);
    await assertStopsCleanly(notDemo, 'SIGTERM');
    assert.deepEqual(await readDatabase(seeded), previous);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('token create', () => {
  let dir: string;
  let db: string;
  let server: ServeProcess | undefined;

  before(async () => {
    dir = tempDir();
    db = join(dir, 'tokens.db');
    await seedDatabase(db, smallDirectory());
    server = await startServe(['--port', '0', '--db', db, ...NO_LAG_GUARD]);
  });

  after(async () => {
    if (server) await assertStopsCleanly(server, 'SIGTERM');
  });

  function running(): ServeProcess {
    assert.ok(server, 'the server did not start');
    return server;
  }

  async function create(...args: string[]): Promise<string> {
    const result = await runCli(['token', 'create', ...args, '--db', db]);
    assert.deepEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' });
    assert.match(result.stdout, /^rollcall-[0-9a-f]{64}\n$/);
    return result.stdout.trimEnd();
  }

  test('--person by email (any case), hydra ID or UUID prints one token that works against a server on that db', async () => {
    const cases: [string, string, string][] = [
      ['bob@northwind.test', SMALL.bob, 'bob@northwind.test'],
      ['BOB@Northwind.TEST', SMALL.bob, 'bob@northwind.test'],
      [hydra('PEOPLE', SMALL.ada), SMALL.ada, 'ada@acme.test'],
      [SMALL.bob.toUpperCase(), SMALL.bob, 'bob@northwind.test'],
    ];
    const made: string[] = [];
    for (const [person, id, email] of cases) {
      const token = await create('--person', person);
      assert.deepEqual(
        await whoAmI(running(), token),
        { status: 200, id: hydra('PEOPLE', id), email },
        person,
      );
      made.push(token);
    }
    assert.equal(new Set(made).size, made.length);
  });

  test('--expires 1h: the token works and expires an hour after it was made', async () => {
    const t0 = Date.now();
    const token = await create('--person', 'ada@acme.test', '--expires', '1h');
    const t1 = Date.now();
    assert.deepEqual(await whoAmI(running(), token), {
      status: 200,
      id: hydra('PEOPLE', SMALL.ada),
      email: 'ada@acme.test',
    });
    const store = openStore(db);
    try {
      const stored = await store.findToken(hashToken(token));
      assert.equal(stored?.personId, SMALL.ada);
      const expiresAt = stored?.expiresAt ?? 0;
      assert.ok(expiresAt >= t0 + HOUR_MS && expiresAt <= t1 + HOUR_MS, String(expiresAt));
    } finally {
      await store.close();
    }
  });

  test('--expires in the past is refused', async () => {
    assert.deepEqual(
      await runCli([
        'token',
        'create',
        '--person',
        'ada@acme.test',
        '--expires',
        '2000-01-01T00:00:00Z',
        '--db',
        db,
      ]),
      {
        code: 1,
        signal: null,
        stdout: '',
        stderr: 'rollcall: --expires: "2000-01-01T00:00:00Z" is not in the future\n',
      },
    );
  });

  test('--expires that is neither a date-time nor a duration is refused', async () => {
    assert.deepEqual(
      await runCli(['token', 'create', '--person', 'ada@acme.test', '--expires', 'tomorrow', '--db', db]),
      {
        code: 1,
        signal: null,
        stdout: '',
        stderr:
          'rollcall: --expires: "tomorrow" is neither an ISO date-time with an offset nor a duration like 12h\n',
      },
    );
  });

  test('an unknown person is refused', async () => {
    for (const person of [
      'nobody@acme.test',
      '0dd0dd00-0000-4000-8000-000000000009',
      hydra('PEOPLE', '0dd0dd00-0000-4000-8000-000000000009'),
      hydra('ORGANIZATION', SMALL.acme),
    ]) {
      assert.deepEqual(await runCli(['token', 'create', '--person', person, '--db', db]), {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `rollcall: No person with id or email "${person}".\n`,
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------

describe('export', () => {
  let dir: string;
  let db: string;
  let expected: string;

  before(async () => {
    dir = tempDir();
    db = join(dir, 'export.db');
    await seedDatabase(db, richDirectory());
    expected = `${JSON.stringify(exportDirectory(await readDatabase(db)), null, 2)}\n`;
  });

  test('export --db prints the directory file of the database, without tokens', async () => {
    const result = await runCli(['export', '--db', db]);
    assert.deepEqual(result, { code: 0, signal: null, stdout: expected, stderr: '' });
    const file = JSON.parse(result.stdout) as { people: Record<string, unknown>[] };
    assert.deepEqual(
      file.people.filter((p) => 'tokens' in p),
      [],
    );
    for (const token of Object.values(RICH_TOKENS)) assert.equal(result.stdout.includes(token), false, token);
    assert.equal(await tokenIsStored(db, RICH_TOKENS.alice), true);
  });

  test('export --output writes the same text to the file and prints nothing', async () => {
    const output = join(dir, 'out.json');
    assert.deepEqual(await runCli(['export', '--db', db, '--output', output]), {
      code: 0,
      signal: null,
      stdout: '',
      stderr: '',
    });
    assert.equal(readFileSync(output, 'utf8'), expected);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('bad input', () => {
  const UNKNOWN_ORG = '0dd0dd00-0000-4000-8000-000000000009';
  let dir: string;

  before(() => {
    dir = tempDir();
  });

  test('serve --seed with a bad file exits 1 naming the entry and field, and leaves the database as it was', async () => {
    const db = join(dir, 'kept.db');
    await seedDatabase(db, richDirectory());
    const kept = await readDatabase(db);

    const unknownOrg = smallDirectory();
    (unknownOrg.people[1] as { orgId: string }).orgId = UNKNOWN_ORG;
    const badEnum = smallDirectory();
    (badEnum.people[0] as Record<string, unknown>).type = 'robot';
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"orgs": [');
    let jsonError = '';
    try {
      JSON.parse('{"orgs": [');
    } catch (error) {
      jsonError = (error as Error).message;
    }

    const cases: [string, string][] = [
      [
        writeJson(dir, 'unknown-org.json', unknownOrg),
        `people[1] (bob@northwind.test).orgId: unknown organization "${UNKNOWN_ORG}"`,
      ],
      [
        writeJson(dir, 'bad-enum.json', badEnum),
        'people[0] (ada@acme.test).type: "robot" is not one of person, bot, appuser',
      ],
      [badJson, `Directory file is not valid JSON: ${jsonError}`],
    ];
    for (const [seed, message] of cases) {
      assert.deepEqual(await runCli(['serve', '--port', '0', '--db', db, '--seed', seed]), {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `rollcall: ${message}\n`,
      });
      assert.deepEqual(await readDatabase(db), kept);
      assert.equal(await tokenIsStored(db, RICH_TOKENS.alice), true);
      assert.equal(await tokenIsStored(db, SMALL.adaToken), false);
    }
    // And the database still serves.
    const server = await startServe(['--port', '0', '--db', db, ...NO_LAG_GUARD]);
    assert.deepEqual(await whoAmI(server, RICH_TOKENS.alice), {
      status: 200,
      id: hydra('PEOPLE', ALICE),
      email: 'alice@acme.test',
    });
    await assertStopsCleanly(server, 'SIGTERM');
  });

  test('serve --seed with a file that does not exist exits 1 with a one-line message naming it', async () => {
    const missing = join(dir, 'missing.json');
    const result = await runCli([
      'serve',
      '--port',
      '0',
      '--db',
      join(dir, 'missing-seed.db'),
      '--seed',
      missing,
    ]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^rollcall: [^\n]*missing\.json[^\n]*\n$/);
  });

  test('serve --port abc exits 1 naming the setting, and opens no database', async () => {
    const cwd = tempDir();
    assert.deepEqual(await runCli(['serve', '--port', 'abc'], { cwd }), {
      code: 1,
      signal: null,
      stdout: '',
      stderr: 'rollcall: Invalid setting port (flag --port): "abc" is not a whole number\n',
    });
    assert.deepEqual(await runCli(['serve', '--port', '65536'], { cwd }), {
      code: 1,
      signal: null,
      stdout: '',
      stderr:
        'rollcall: Invalid setting port (flag --port): 65536 Expected integer to be less or equal to 65535\n',
    });
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false);
  });

  test('serve --port 0.5 is refused, not rounded down to a port', async () => {
    const result = await runCli(
      ['serve', '--port', '0.5', '--db', join(dir, 'fraction.db'), ...NO_LAG_GUARD],
      {
        until: LISTENING,
      },
    );
    assert.equal(result.stdout, '', 'it started instead of refusing the port');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^rollcall: Invalid setting port \(flag --port\): [^\n]+\n$/);
  });

  test('an unknown command or option exits 2 with the usage on stderr', async () => {
    const command = await runCli(['frobnicate']);
    assert.deepEqual({ code: command.code, stdout: command.stdout }, { code: 2, stdout: '' });
    assert.equal(command.stderr.split('\n')[0], "error: unknown command 'frobnicate'");
    assert.match(command.stderr, /\nUsage: rollcall \[options\] \[command\]\n/);

    const option = await runCli(['serve', '--bogus']);
    assert.deepEqual({ code: option.code, stdout: option.stdout }, { code: 2, stdout: '' });
    assert.equal(option.stderr.split('\n')[0], "error: unknown option '--bogus'");
    assert.match(option.stderr, /\nUsage: rollcall serve \[options\]\n/);
  });
});
