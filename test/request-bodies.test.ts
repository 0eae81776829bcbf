import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  NOW,
  ok,
  peopleSnapshot,
  type Reply,
  send,
  type SendOptions,
  TEST_SETTINGS,
  uuid,
} from './helpers/people-fixtures.js';
import { assertError, hydra, type Json, MESSAGES } from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Request bodies of POST and PUT /v1/people: JSON only (any other or no content type → 415 with the
// Webex error body), malformed JSON → 400 "The request body is not valid JSON.", more than 1 MiB →
// 413. GET and DELETE may carry `Content-Type: application/json` without a body (the Python SDK sends
// it), and `application/json; charset=utf-8` is JSON. Nothing is written by a refused request.

const ORG = uuid(0xe, 1);
const ADMIN = { id: uuid(0x5, 1), token: 'tok-body-admin' };
const TARGET = uuid(0x5, 2);
const DELETABLE = [uuid(0x5, 3), uuid(0x5, 4), uuid(0x5, 5)];
const MIB = 1024 * 1024;

let server: TestServer;
before(async () => {
  server = await startTestServer(
    {
      orgs: [{ id: ORG, displayName: 'Bodies' }],
      people: [
        {
          id: ADMIN.id,
          orgId: ORG,
          emails: ['admin@bodies.test'],
          displayName: 'Body Admin',
          roles: ['id_full_admin'],
          tokens: [ADMIN.token],
        },
        {
          id: TARGET,
          orgId: ORG,
          emails: ['target@bodies.test'],
          displayName: 'Body Target',
          title: 'Original',
        },
        ...DELETABLE.map((id, i) => ({
          id,
          orgId: ORG,
          emails: [`deletable${i}@bodies.test`],
          displayName: `Deletable ${i}`,
        })),
      ],
    },
    { now: NOW, settings: TEST_SETTINGS },
  );
});
after(() => server.close());

const request = (method: string, path: string, options: Omit<SendOptions, 'token'> = {}) =>
  send(server.url, method, path, { ...options, token: ADMIN.token });
const targetPath = `/v1/people/${hydra('PEOPLE', TARGET)}`;
const createBody = JSON.stringify({ emails: ['created@bodies.test'], displayName: 'Created' });
const updateBody = JSON.stringify({
  emails: ['target@bodies.test'],
  displayName: 'Changed',
  title: 'Changed',
});

/** Runs the requests and asserts that the store's people are the same afterwards (presence aside). */
async function nothingWritten(requests: () => Promise<void>): Promise<void> {
  const before = await peopleSnapshot(server);
  await requests();
  assert.deepEqual(await peopleSnapshot(server), before);
}

const writes = [
  ['POST', '/v1/people', createBody],
  ['PUT', targetPath, updateBody],
] as const;

describe('content types', () => {
  test('text/plain, form data or no content type at all → 415 with the error body', async () => {
    await nothingWritten(async () => {
      for (const [method, path, body] of writes) {
        for (const type of [
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          undefined,
        ]) {
          const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
          const reply = await request(method, path, { body, headers });
          assertError(reply, 415, MESSAGES.unsupportedMediaType, `${method} ${type ?? 'no content type'}`);
        }
      }
    });
  });

  test('application/json with a charset is JSON', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
      const put = await request('PUT', targetPath, {
        body: JSON.stringify({ emails: ['target@bodies.test'], displayName: `Via ${type}` }),
        headers: { 'content-type': type },
      });
      assert.equal((ok(put, type) as Json).displayName, `Via ${type}`);
    }
    const post = await request('POST', '/v1/people', {
      body: JSON.stringify({ emails: ['charset@bodies.test'], displayName: 'Jürgen Charset' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal((ok(post) as Json).displayName, 'Jürgen Charset');
  });
});

describe('malformed and misshapen bodies', () => {
  test('malformed JSON → 400 "The request body is not valid JSON."', async () => {
    await nothingWritten(async () => {
      for (const [method, path] of writes) {
        for (const body of ['{"emails": [', "{'emails': ['x@y.test']}", 'nul', '{"a":1}}', '\u00ff']) {
          const reply = await request(method, path, {
            body,
            headers: { 'content-type': 'application/json' },
          });
          assertError(reply, 400, MESSAGES.invalidJson, `${method} ${body}`);
        }
      }
    });
  });

  test('no body, an empty body or a JSON value that is no object → 400, not 500', async () => {
    await nothingWritten(async () => {
      for (const [method, path] of writes) {
        for (const body of ['', '[]', '"text"', '42', 'null']) {
          const reply = await request(method, path, {
            body,
            headers: { 'content-type': 'application/json' },
          });
          assertError(reply, 400, /body/, `${method} ${JSON.stringify(body)}`);
        }
        // No body and no content type at all.
        assertError(await request(method, path), 400, /body/, `${method} without a body`);
      }
    });
  });
});

describe('body size', () => {
  // Padded with white space, which JSON allows after the value: every field stays within its limit.
  const padded = (size: number, fields: Json) => {
    const base = JSON.stringify(fields);
    return base + ' '.repeat(size - base.length);
  };

  test('a body over 1 MiB → 413, with or without Content-Length', async () => {
    await nothingWritten(async () => {
      for (const [method, path, body] of writes) {
        const big = padded(MIB + 1, JSON.parse(body) as Json);
        assert.equal(Buffer.byteLength(big), MIB + 1);
        assertError(
          await request(method, path, { body: big, headers: { 'content-type': 'application/json' } }),
          413,
          MESSAGES.tooLarge,
          method,
        );
        const huge = padded(3 * MIB, JSON.parse(body) as Json);
        assertError(
          await request(method, path, { body: huge, headers: { 'content-type': 'application/json' } }),
          413,
          MESSAGES.tooLarge,
          `${method} 3 MiB`,
        );
      }
    });
    // Chunked: no Content-Length, so the limit is found while reading.
    await nothingWritten(async () => {
      const big = padded(2 * MIB, JSON.parse(createBody) as Json);
      const reply = await send(server.url, 'POST', '/v1/people', {
        token: ADMIN.token,
        body: big,
        headers: { 'content-type': 'application/json' },
        chunked: true,
      });
      assertError(reply, 413, MESSAGES.tooLarge, 'chunked');
    });
  });

  test('a body of exactly 1 MiB is accepted', async () => {
    const body = padded(MIB, { emails: ['target@bodies.test'], displayName: 'Big Target' });
    assert.equal(Buffer.byteLength(body), MIB);
    const reply = await request('PUT', targetPath, { body, headers: { 'content-type': 'application/json' } });
    const person = ok(reply) as Json;
    assert.equal(person.displayName, 'Big Target');
    assert.deepEqual(person.emails, ['target@bodies.test']);
  });
});

describe('GET and DELETE with a JSON content type and no body', () => {
  const jsonHeaders: Record<string, string>[] = [
    { 'content-type': 'application/json' },
    { 'content-type': 'application/json', 'content-length': '0' },
    { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' },
  ];

  test('GET answers 200', async () => {
    for (const headers of jsonHeaders) {
      for (const path of ['/v1/people', '/v1/people/me', targetPath, '/v1/people?displayName=Body']) {
        const reply = await request('GET', path, { headers });
        ok(reply, `${path} ${JSON.stringify(headers)}`);
      }
      const plain = await request('GET', targetPath);
      assert.deepEqual((await request('GET', targetPath, { headers })).body, plain.body);
    }
  });

  test('DELETE answers 204 with an empty body', async () => {
    for (const [i, headers] of jsonHeaders.entries()) {
      const path = `/v1/people/${hydra('PEOPLE', DELETABLE[i] as string)}`;
      const reply: Reply = await request('DELETE', path, { headers });
      assert.equal(reply.status, 204, `${JSON.stringify(headers)}: ${reply.text}`);
      assert.equal(reply.text, '');
      assert.equal((await request('GET', path)).status, 404);
    }
  });
});
