import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { Rng } from '../src/lib/seeded-random.js';
import { NOW, peopleSnapshot, TEST_SETTINGS, uuid } from './helpers/people-fixtures.js';
import { hydra } from './helpers/wire.js';
import { RawConnection, type RawResponse } from './helpers/raw-connection.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// A seeded fuzz of the People API over raw HTTP on loopback: malformed IDs, query strings, headers,
// bodies and request lines. Whatever arrives, Rollcall answers: never a 5xx, every 4xx in the Webex
// error shape with a trackingid header equal to the body's trackingId, no framework codes, stack
// traces or SQL anywhere, and a refused write changes nothing. ROLLCALL_FUZZ_SEED picks another run.

const SEED = Number(process.env.ROLLCALL_FUZZ_SEED ?? 20261204);
const REQUESTS = 2500;

const ORG = uuid(0x9, 1);
const OTHER_ORG = uuid(0x9, 2);
const TOKENS = { admin: 'tok-fuzz-admin', user: 'tok-fuzz-user', readonly: 'tok-fuzz-ro' };
const PEOPLE = Array.from({ length: 12 }, (_, i) => ({
  id: uuid(0x8, i + 1),
  orgId: i < 10 ? ORG : OTHER_ORG,
  emails: [`person${i}@fuzz.test`],
  displayName: `Fuzz Person ${i}`,
  ...(i === 0 && { roles: ['id_full_admin'], tokens: [TOKENS.admin] }),
  ...(i === 1 && { tokens: [TOKENS.user] }),
  ...(i === 2 && { roles: ['id_readonly_admin'], tokens: [TOKENS.readonly] }),
}));

let server: TestServer;
let port: number;
before(async () => {
  server = await startTestServer(
    {
      orgs: [
        { id: ORG, displayName: 'Fuzz' },
        { id: OTHER_ORG, displayName: 'Elsewhere' },
      ],
      people: PEOPLE,
    },
    // No rate limit within reach: this test is about the shape of answers, not about budgets.
    { now: NOW, settings: { ...TEST_SETTINGS, rateLimit: 1_000_000 } },
  );
  port = (server.app.server.address() as AddressInfo).port;
});
after(() => server.close());

interface FuzzRequest {
  kind: string;
  method: string;
  target: string;
  headers: [string, string][];
  body?: string;
  /** A whole request written as is, instead of the parts above. */
  raw?: string;
}

/** Strings that break naive parsers, ID decoders and SQL. */
const NASTY = [
  '',
  ' ',
  '%zz',
  '%',
  '%0',
  '%00',
  '%ff%fe',
  '%c3%28',
  '..',
  '%2e%2e%2f%2e%2e',
  'null',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  'NaN',
  'TRUE',
  ',,,',
  '*',
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  '"; DROP TABLE people; --',
  '<script>alert(1)</script>',
  'é',
  '😀',
  'Y2lzY29zcGFyazovL3VzL1BFT1BMRS8',
  hydra('PEOPLE', 'not-a-uuid'),
  hydra('ORGANIZATION', ORG),
  hydra('PEOPLE', `${PEOPLE[3]?.id ?? ''}\u0000`),
  PEOPLE[4]?.id ?? '',
];
const UNICODE = ['\u0000', '\u0007', '\n', '\u007f', '\ud800', '\udfff', 'é', '漢', '😀', '\u202e', '\ufeff'];

function asciiText(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(33 + rng.int(94));
  return text;
}

function anyText(rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
      return rng.pick(NASTY);
    case 1:
      return asciiText(rng, 1 + rng.int(40));
    case 2:
      return Array.from({ length: 1 + rng.int(8) }, () => rng.pick(UNICODE)).join('');
    case 3:
      return 'x'.repeat(rng.pick([100, 257, 1000, 5000, 20_000]));
    default:
      return rng.pick(NASTY) + asciiText(rng, rng.int(10)) + rng.pick(UNICODE);
  }
}

/** Percent-encoded, raw where that stays a valid request-target, or with broken escapes. */
function inTarget(rng: Rng, text: string): string {
  switch (rng.int(3)) {
    case 0:
      return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''));
    case 1:
      return text.replace(/[^\x21-\x7e]/g, (c) => `%${(c.charCodeAt(0) & 0xff).toString(16)}`);
    default:
      return `${encodeURIComponent(text.slice(0, 20).replace(/[\ud800-\udfff]/g, ''))}%${asciiText(rng, 2)}`;
  }
}

function anyJsonValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
    case 4:
      return anyText(rng);
    case 5:
      return Array.from({ length: rng.int(4) }, () => anyJsonValue(rng, depth + 1));
    case 6:
      return { [anyText(rng).slice(0, 20)]: anyJsonValue(rng, depth + 1), type: anyText(rng) };
    default:
      return [{ type: 'work', value: anyText(rng), [rng.pick(['extra', '__proto__', 'primary'])]: 1 }];
  }
}

const BODY_FIELDS = [
  'emails',
  'displayName',
  'firstName',
  'lastName',
  'nickName',
  'avatar',
  'orgId',
  'roles',
  'licenses',
  'department',
  'manager',
  'managerId',
  'title',
  'phoneNumbers',
  'addresses',
  'siteUrls',
  'extension',
  'locationId',
  'loginEnabled',
  '__proto__',
  'constructor',
];

function anyBody(rng: Rng): string {
  const body: Record<string, unknown> = {
    emails: [`fuzzed${rng.int(1_000_000)}@fuzz.test`],
    displayName: 'Fuzzed',
  };
  for (let i = 0; i <= rng.int(4); i++) {
    const field = rng.pick(BODY_FIELDS);
    if (rng.chance(0.2)) Reflect.deleteProperty(body, field);
    // An own property even for __proto__, so that the key is in the JSON sent.
    else
      Object.defineProperty(body, field, {
        value: anyJsonValue(rng),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  const json = JSON.stringify(body);
  switch (rng.int(10)) {
    case 0:
      return json.slice(0, rng.int(json.length)); // truncated
    case 1:
      return '['.repeat(2000) + ']'.repeat(2000); // deep
    case 2:
      return rng.pick(['', 'null', '"text"', '42', 'true', '{"emails":', '\u0000', '{"a":1}{"b":2}']);
    default:
      return json;
  }
}

const PERSON_IDS = [hydra('PEOPLE', PEOPLE[5]?.id ?? ''), PEOPLE[6]?.id ?? ''];

function anyRequest(rng: Rng): FuzzRequest {
  const token = rng.pick([TOKENS.admin, TOKENS.admin, TOKENS.user, TOKENS.readonly, 'made-up', '']);
  const auth: [string, string][] = token === '' ? [] : [['Authorization', `Bearer ${token}`]];
  const json: [string, string][] = [['Content-Type', 'application/json']];
  switch (rng.int(6)) {
    case 0: {
      const id = rng.chance(0.2) ? rng.pick(PERSON_IDS) : anyText(rng);
      const method = rng.pick(['GET', 'GET', 'PUT', 'DELETE', 'POST', 'PATCH']);
      const body = method === 'PUT' || method === 'POST' ? anyBody(rng) : undefined;
      return {
        kind: 'person id',
        method,
        target: `/v1/people/${inTarget(rng, id)}${rng.chance(0.1) ? '/' : ''}`,
        headers: [...auth, ...(body === undefined ? [] : json)],
        ...(body !== undefined && { body }),
      };
    }
    case 1: {
      const keys = ['email', 'displayName', 'id', 'orgId', 'roles', 'callingData', 'locationId', 'max'];
      keys.push('excludeStatus', 'showAllTypes', 'after', 'minResponse', 'unknown', '', '%zz');
      const params = Array.from(
        { length: rng.int(5) },
        () =>
          `${rng.pick(keys)}=${inTarget(rng, rng.chance(0.2) ? rng.pick(['1', '1000', '1001', 'True', 'person1@fuzz.test', 'Fuzz']) : anyText(rng))}`,
      );
      return {
        kind: 'query',
        method: 'GET',
        target: `/v1/people?${params.join(rng.pick(['&', '&&', ';']))}`,
        headers: auth,
      };
    }
    case 2: {
      const headers: [string, string][] = [
        rng.pick<[string, string]>([
          ['Authorization', `Bearer ${anyText(rng).replace(/[\r\n]/g, '')}`],
          [
            'Authorization',
            rng.pick([
              'Bearer',
              'Bearer ',
              'Basic dXNlcjpwYXNz',
              `bearer ${TOKENS.admin}`,
              `Bearer  ${TOKENS.admin}  `,
            ]),
          ],
          ['Authorization', `Bearer ${'t'.repeat(rng.pick([1000, 8000]))}`],
          ['trackingid', anyText(rng).replace(/[\r\n]/g, '')],
          ['Accept', anyText(rng).replace(/[\r\n]/g, '')],
          ['Content-Type', anyText(rng).replace(/[\r\n]/g, '')],
          ['X-Forwarded-Host', anyText(rng).replace(/[\r\n]/g, '')],
          ['X-Forwarded-Proto', anyText(rng).replace(/[\r\n]/g, '')],
          ['Cookie', 'x'.repeat(rng.pick([100, 20_000]))],
        ]),
        ...(rng.chance(0.5) ? auth : []),
      ];
      const target = rng.pick([
        '/v1/people/me',
        '/v1/people?email=person1%40fuzz.test',
        '/v1/people?displayName=Fuzz&max=2',
      ]);
      return { kind: 'headers', method: 'GET', target, headers };
    }
    case 3:
    case 4: {
      const method = rng.pick(['POST', 'PUT']);
      const target = method === 'POST' ? '/v1/people' : `/v1/people/${hydra('PEOPLE', PEOPLE[7]?.id ?? '')}`;
      return { kind: 'body', method, target, headers: [...auth, ...json], body: anyBody(rng) };
    }
    default: {
      const lines = [
        `${rng.pick(['GET', 'get', 'G ET', 'FOO', 'POST', '', 'GET GET'])} ${rng.pick(['/v1/people/me', '/v1/people/%zz', '*', 'http://x/v1/people', '/v1/people me', '//v1//people', '/v1/people/\u0000'])} ${rng.pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '', 'HTTP/9'])}`,
        rng.chance(0.7) ? `Host: 127.0.0.1:${port}` : rng.pick(['Host:', 'Host: a b', 'Host: x\u0000y', '']),
        rng.pick([
          'Authorization: Bearer tok-fuzz-admin',
          'Bad Header: x',
          'NoColon',
          'X-\u0001: y',
          ': empty',
          `X-Long: ${'y'.repeat(rng.pick([10, 20_000]))}`,
        ]),
        rng.pick([
          'Transfer-Encoding: chunked',
          'Transfer-Encoding: gzip',
          'Content-Length: abc',
          'Content-Length: -1',
          'Content-Length: 0',
          'Connection: close',
        ]),
        'Connection: close',
      ];
      // A chunked request gets its last chunk: a request that promises more body than it sends is the
      // slow-body case, which times out instead (see the shutdown and timeout tests).
      const body = lines.includes('Transfer-Encoding: chunked') ? '0\r\n\r\n' : '';
      return {
        kind: 'request line',
        method: '',
        target: '',
        headers: [],
        raw: `${lines.join('\r\n')}\r\n\r\n${body}`,
      };
    }
  }
}

function render(request: FuzzRequest): string {
  if (request.raw !== undefined) return request.raw;
  const body = request.body ?? '';
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...(request.body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]),
    'Connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

const LEAKS =
  /FST_|SQLITE|sqlite|postgres|syntax error|relation "|\bat [\w.<>]+ \(|node:internal|ECONN|Error: /;

/** Sends one request on a connection of its own and reads the answer (bounded). */
async function exchange(
  text: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const connection = await RawConnection.open(port);
  try {
    connection.write(text);
    const reply: RawResponse = await connection.readResponse(5000);
    return { status: reply.status, headers: reply.headers, body: reply.body.toString('utf8') };
  } finally {
    connection.close();
  }
}

type Reply = Awaited<ReturnType<typeof exchange>>;

/** What is wrong with a reply, or undefined when it is a proper Webex answer. */
function problemOf(reply: Reply): string | undefined {
  if (reply.status >= 500) return `status ${reply.status}`;
  if (LEAKS.test(reply.body)) return `leak in body: ${reply.body.slice(0, 200)}`;
  if (reply.status < 400) return undefined;
  const trackingId = reply.headers.trackingid;
  if (!trackingId) return 'no trackingid header';
  if (!/^application\/json/.test(reply.headers['content-type'] ?? '')) return 'not JSON';
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return `body is not JSON: ${reply.body.slice(0, 200)}`;
  }
  const { message, errors, trackingId: bodyTrackingId, ...rest } = body as Record<string, unknown>;
  const [first, ...more] = Array.isArray(errors) ? (errors as unknown[]) : [];
  const description = (first as { description?: unknown } | undefined)?.description;
  if (
    typeof message !== 'string' ||
    message === '' ||
    typeof description !== 'string' ||
    more.length > 0 ||
    Object.keys(first as object).length !== 1 ||
    Object.keys(rest).length > 0 ||
    bodyTrackingId !== trackingId
  ) {
    return `not the Webex error shape: ${reply.body.slice(0, 200)}`;
  }
  return undefined;
}

test(`${REQUESTS} fuzzed requests (seed ${SEED}): no 5xx, every error in the Webex shape, refused writes change nothing`, async (t) => {
  const rng = new Rng(SEED);
  const statuses = new Map<string, number>();
  const problems: string[] = [];
  let baseline = await peopleSnapshot(server);
  let refusedWrites = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const request = anyRequest(rng);
    const text = render(request);
    let reply: Reply;
    try {
      reply = await exchange(text);
    } catch (error) {
      problems.push(
        `#${i} ${request.kind}: ${(error as Error).message}: ${JSON.stringify(text.slice(0, 200))}`,
      );
      continue;
    }
    const status = String(reply.status);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const problem = problemOf(reply);
    if (problem !== undefined)
      problems.push(`#${i} ${request.kind}: ${problem}: ${JSON.stringify(text.slice(0, 200))}`);
    if (['POST', 'PUT', 'DELETE', 'PATCH'].includes(request.method) || request.raw !== undefined) {
      const now = await peopleSnapshot(server);
      if (reply.status < 300) baseline = now;
      else {
        refusedWrites += 1;
        try {
          assert.deepEqual(now, baseline);
        } catch {
          problems.push(
            `#${i} ${request.kind}: a refused request changed the directory: ${JSON.stringify(text.slice(0, 200))}`,
          );
          baseline = now;
        }
      }
    }
  }
  const tally = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
  t.diagnostic(
    `fuzz seed ${SEED}: ${REQUESTS} requests; statuses ${tally.map(([s, n]) => `${s}×${n}`).join(' ')}`,
  );
  t.diagnostic(
    `fuzz: ${refusedWrites} refused writes checked; ${problems.length} answers outside the Webex shape`,
  );
  assert.deepEqual(problems.slice(0, 15), [], `${problems.length} problems`);
  // The server is still there and still right.
  const me = await exchange(
    render({
      kind: 'me',
      method: 'GET',
      target: '/v1/people/me',
      headers: [['Authorization', `Bearer ${TOKENS.user}`]],
    }),
  );
  assert.equal(me.status, 200);
});
