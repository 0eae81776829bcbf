import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawConnection, type RawResponse } from './helpers/raw-connection.js';
import { directory, NOW } from './helpers/errors-fixture.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { GENERATED_TRACKING_ID, MESSAGES, type Json } from './helpers/wire.js';

// What the framework and Node's HTTP parser would answer themselves — a malformed URL, an ID longer
// than the router's limit, malformed HTTP, a missing or bad Host, headers too large, a request that is
// not received in time — answered like every other error: the Webex body, a trackingid header equal
// to the body's trackingId, and no framework internals. Raw sockets, since fetch cannot send these.

const MALFORMED = 'The request could not be understood by the server due to malformed syntax.';
const BAD_URL = 'The request URL is not valid: it has a malformed percent-encoding.';
const NO_HOST = 'The request has no Host header.';
const BAD_HOST = 'The Host header must be a host name or an IP address, with an optional port.';
const TOO_LARGE = 'The request headers are too large.';
const TIMEOUT = 'The request was not received in time.';
/** The test server's --request-timeout-ms: short, so that timeouts are quick to see. */
const REQUEST_TIMEOUT_MS = 600;

let server: TestServer;
let port: number;
before(async () => {
  server = await startTestServer(directory, { now: NOW, settings: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
  port = Number(new URL(server.url).port);
});
after(() => server.close());

/** Sends `text` on a new connection and reads one response (bounded). */
async function exchange(
  text: string | Buffer,
): Promise<{ response: RawResponse; connection: RawConnection }> {
  const connection = await RawConnection.open(port);
  connection.write(text);
  const response = await connection.readResponse(5000);
  return { response, connection };
}

/** The Webex error body with `message`, and a trackingid header equal to its trackingId. */
function assertWebexError(response: RawResponse, status: number, message: string, where: string): string {
  const text = response.body.toString('utf8');
  assert.equal(response.status, status, `${where}: ${text}`);
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8', where);
  assert.equal(response.complete, true, where);
  const trackingId = response.headers.trackingid ?? '';
  assert.match(trackingId, /\S/, `${where}: no trackingid header`);
  assert.deepEqual(
    JSON.parse(text) as Json,
    { message, errors: [{ description: message }], trackingId },
    where,
  );
  assert.doesNotMatch(text, /FST_|Client Error|statusCode/, where);
  return trackingId;
}

async function closedWithin(connection: RawConnection, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!connection.closedByPeer && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return connection.closedByPeer;
}

const HOST = () => `Host: 127.0.0.1:${port}\r\n`;
const AUTH = 'Authorization: Bearer token-admin\r\n';

describe('requests the router refuses', () => {
  test('a malformed percent-encoding in the path: 400 with the Webex body', async () => {
    const { response, connection } = await exchange(`GET /v1/people/%zz HTTP/1.1\r\n${HOST()}${AUTH}\r\n`);
    connection.close();
    assert.match(assertWebexError(response, 400, BAD_URL, '%zz'), GENERATED_TRACKING_ID);
  });

  test('a person ID of 5,000 characters: 404 "Person not found.", like any malformed ID', async () => {
    for (const length of [101, 5000]) {
      const { response, connection } = await exchange(
        `GET /v1/people/${'A'.repeat(length)} HTTP/1.1\r\n${HOST()}${AUTH}trackingid: long-id-${length}\r\n\r\n`,
      );
      connection.close();
      assert.equal(
        assertWebexError(response, 404, MESSAGES.personNotFound, `${length}`),
        `long-id-${length}`,
      );
    }
  });
});

describe('HTTP that Node cannot read', () => {
  test('malformed HTTP: a whole 400 response with the Webex body, then the connection closes', async () => {
    const { response, connection } = await exchange('NOT HTTP AT ALL\r\n\r\n');
    assert.match(assertWebexError(response, 400, MALFORMED, 'garbage'), GENERATED_TRACKING_ID);
    assert.equal(response.headers.connection, 'close');
    assert.equal(Number(response.headers['content-length']), response.body.length);
    assert.equal(await closedWithin(connection, 3000), true, 'the connection stays open');
  });

  test('headers over the limit: 431 with the Webex body and a trackingid', async () => {
    const { response, connection } = await exchange(
      `GET /healthz HTTP/1.1\r\n${HOST()}X-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
    );
    assert.match(assertWebexError(response, 431, TOO_LARGE, '431'), GENERATED_TRACKING_ID);
    assert.equal(response.headers.connection, 'close');
    assert.equal(await closedWithin(connection, 3000), true, 'the connection stays open');
  });
});

describe('the Host header', () => {
  test('missing from an HTTP/1.1 request: 400 with the Webex body (Node sent an empty one)', async () => {
    const { response, connection } = await exchange('GET /healthz HTTP/1.1\r\n\r\n');
    connection.close();
    assertWebexError(response, 400, NO_HOST, 'no Host');
  });

  test('not a host[:port], or sent twice: 400, before the request goes anywhere', async () => {
    const bad = ['evil.example/path?x', 'evil.example:80:80', 'evil example', 'a:99999', '@evil', 'x>y', ''];
    for (const host of bad) {
      const { response, connection } = await exchange(
        `GET /v1/people/me HTTP/1.1\r\nHost: ${host}\r\n${AUTH}\r\n`,
      );
      connection.close();
      assertWebexError(response, 400, BAD_HOST, JSON.stringify(host));
    }
    const { response, connection } = await exchange(
      `GET /v1/people/me HTTP/1.1\r\n${HOST()}Host: evil.example\r\n${AUTH}\r\n`,
    );
    connection.close();
    assertWebexError(response, 400, BAD_HOST, 'two Host headers');
  });

  test('valid host names and addresses are taken, and make the pagination link', async () => {
    for (const host of ['example.test', 'example.test:9999', '10.0.0.1:80', '[::1]:8080', 'localhost.']) {
      const { response, connection } = await exchange(
        `GET /v1/people?max=1&displayName=T HTTP/1.1\r\nHost: ${host}\r\n${AUTH}\r\n`,
      );
      connection.close();
      assert.equal(response.status, 200, host);
      assert.match(
        response.headers.link ?? '',
        new RegExp(`^<http://${host.replace(/[.[\]]/g, '\\$&')}/v1/people\\?`),
      );
    }
  });

  test('an HTTP/1.0 request without Host is answered; its link names the address it came in on', async () => {
    const { response, connection } = await exchange(
      `GET /v1/people?max=1&displayName=T HTTP/1.0\r\n${AUTH}\r\n`,
    );
    connection.close();
    assert.equal(response.status, 200);
    assert.match(
      response.headers.link ?? '',
      new RegExp(`^<http://127\\.0\\.0\\.1:${port}/v1/people\\?max=1&`),
    );
  });
});

describe(`a request not received within --request-timeout-ms (${REQUEST_TIMEOUT_MS} ms)`, () => {
  test('a body that never comes: 408 with the request’s tracking ID, the connection closed, nothing created', async () => {
    const before = await server.store.countPeople();
    const connection = await RawConnection.open(port);
    const started = Date.now();
    connection.write(
      `POST /v1/people HTTP/1.1\r\n${HOST()}${AUTH}trackingid: slow-body-1\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"emails": ["slow',
    );
    const response = await connection.readResponse(10_000);
    const elapsed = Date.now() - started;
    assert.equal(assertWebexError(response, 408, TIMEOUT, 'slow body'), 'slow-body-1');
    assert.equal(response.headers.connection, 'close');
    assert.ok(elapsed >= REQUEST_TIMEOUT_MS - 50 && elapsed < 5000, `answered after ${elapsed} ms`);
    assert.equal(await closedWithin(connection, 3000), true, 'the connection stays open');
    assert.equal(await server.store.countPeople(), before);
  });

  test('a head that never ends: 408 with a generated tracking ID', async () => {
    const connection = await RawConnection.open(port);
    connection.write(`GET /healthz HTTP/1.1\r\n${HOST()}X-Slow: 1`);
    const response = await connection.readResponse(10_000);
    assert.match(assertWebexError(response, 408, TIMEOUT, 'slow head'), GENERATED_TRACKING_ID);
    assert.equal(await closedWithin(connection, 3000), true, 'the connection stays open');
  });
});
