import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, test } from 'node:test';
import { cleanUp, sleep, startServe } from './helpers/cli-process.js';
import { RawConnection } from './helpers/raw-connection.js';
import { readDatabase, seedDatabase, SMALL, smallDirectory } from './helpers/directory-files.js';
import { createTestDatabase } from './helpers/test-database.js';

// `rollcall serve` stopped by SIGTERM in the middle of write traffic from keep-alive clients (as an SDK's
// connection pool sends it): every request the server executed must have been answered in full, so
// that no client sees its connection drop on a write that was in fact committed (its retry would then
// get a 409 for its own person).

after(cleanUp);

const CLIENTS = 8;
/** Answers before the signal (at most WARM_UP_LIMIT_MS of traffic), and the longest a client loop may
 * run (it stops once refused). */
const WARM_UP_ANSWERS = 2 * CLIENTS;
const WARM_UP_LIMIT_MS = 15_000;
const LOOP_LIMIT_MS = 20_000;
const STOP_MS = 8000;

type Outcome = { email: string; status: number } | { email: string; error: string };

/** One POST on the client's keep-alive agent; never rejects. */
function post(port: number, agent: http.Agent, email: string): Promise<Outcome> {
  const body = JSON.stringify({ emails: [email], displayName: 'Shutdown Test' });
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/people',
        agent,
        headers: {
          authorization: `Bearer ${SMALL.adaToken}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ email, status: response.statusCode ?? 0 }));
        response.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ email, error: `response: ${error.code ?? error.message}` }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ email, error: error.code ?? error.message }),
    );
    request.end(body);
  });
}

/** Posts new people back to back until the server refuses connections (or LOOP_LIMIT_MS pass). */
async function client(port: number, n: number, progress: { answered: number }): Promise<Outcome[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + LOOP_LIMIT_MS;
  try {
    for (let i = 0; Date.now() < deadline; i++) {
      const outcome = await post(port, agent, `c${n}-${i}@acme.test`);
      outcomes.push(outcome);
      if ('status' in outcome) progress.answered += 1;
      if ('error' in outcome && outcome.error === 'ECONNREFUSED') break;
    }
  } finally {
    agent.destroy();
  }
  return outcomes;
}

describe('SIGTERM during keep-alive write traffic', () => {
  test(`${CLIENTS} clients: every committed write was answered; nothing unanswered was committed`, async () => {
    const database = await createTestDatabase();
    await seedDatabase(database.url, smallDirectory());
    const server = await startServe([
      '--port',
      '0',
      '--db',
      database.url,
      '--max-event-loop-delay-ms',
      '0',
      '--rate-limit',
      '1000000',
    ]);
    try {
      const progress = { answered: 0 };
      const clients = Array.from({ length: CLIENTS }, (_, n) => client(server.port, n, progress));
      // Traffic under way before the signal, however busy the machine is.
      const warmUpEnds = Date.now() + WARM_UP_LIMIT_MS;
      while (progress.answered < WARM_UP_ANSWERS && Date.now() < warmUpEnds) await sleep(20);
      const exit = await server.stop('SIGTERM', STOP_MS);
      const outcomes = (await Promise.all(clients)).flat();
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });

      const stored = new Set((await readDatabase(database.url)).people.flatMap((p) => p.emails));
      const answered = outcomes.filter((o) => 'status' in o);
      const failed = outcomes.filter((o): o is { email: string; error: string } => 'error' in o);
      const figures =
        `${outcomes.length} sent, ${answered.length} answered, ${failed.length} failed ` +
        `(${[...new Set(failed.map((o) => o.error))].join(', ')})`;
      assert.ok(answered.length >= CLIENTS, `too little traffic before the signal: ${figures}`);
      assert.deepEqual(
        answered.filter((o) => o.status !== 200),
        [],
        `every answered create is a 200: ${figures}`,
      );
      for (const o of answered) assert.ok(stored.has(o.email), `${o.email} got a 200 but is not stored`);
      const committedButLost = failed.filter((o) => stored.has(o.email)).map((o) => `${o.email}: ${o.error}`);
      assert.deepEqual(committedButLost, [], `committed but not answered: ${figures}`);
      console.log(`# shutdown under traffic: ${figures}`);
    } finally {
      server.child.kill('SIGKILL');
      await database.drop();
    }
  });
});

describe('SIGTERM while a client holds a connection without finishing its request', () => {
  test('a stalled upload is answered 408 at once and a half-sent head is closed: the stop takes no grace period', async () => {
    const database = await createTestDatabase();
    await seedDatabase(database.url, smallDirectory());
    const server = await startServe(['--port', '0', '--db', database.url, '--max-event-loop-delay-ms', '0']);
    const upload = await RawConnection.open(server.port);
    const head = await RawConnection.open(server.port);
    try {
      upload.write(
        `POST /v1/people HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
          `Authorization: Bearer ${SMALL.adaToken}\r\ntrackingid: stalled-upload\r\n` +
          'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"emails": ["stalled@acme.test"',
      );
      head.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
      await sleep(200);
      const stopped = server.stop('SIGTERM', STOP_MS);
      stopped.catch(() => undefined); // awaited below; a failed assertion first must not leave it unhandled
      const response = await upload.readResponse(STOP_MS);
      const body = JSON.parse(response.body.toString('utf8')) as unknown;
      assert.deepEqual(
        { status: response.status, trackingid: response.headers.trackingid, body },
        {
          status: 408,
          trackingid: 'stalled-upload',
          body: {
            message: 'The request was not received in time.',
            errors: [{ description: 'The request was not received in time.' }],
            trackingId: 'stalled-upload',
          },
        },
      );
      const exit = await stopped;
      assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
      assert.ok(exit.elapsedMs < 5000, `stopped after ${exit.elapsedMs} ms (the grace period is 10 s)`);
      assert.equal(head.closedByPeer, true);
      const emails = (await readDatabase(database.url)).people.flatMap((p) => p.emails);
      assert.equal(emails.includes('stalled@acme.test'), false);
    } finally {
      upload.close();
      head.close();
      server.child.kill('SIGKILL');
      await database.drop();
    }
  });
});
