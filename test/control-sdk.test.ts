import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type * as Sdk from '@webex/webex-core';
import { control, controlDirectory, TOKEN, USER } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { hydra, type Json } from './helpers/wire.js';

// The official Webex JS SDK (3.12.0) against a fault rule: it sees the 429 as Webex sends it, with
// `retryAfter` on its error. Built as test/webex-sdk.test.ts builds it (that file also checks that
// such a client, with a token of no Webex format, never connects anywhere but the test server).

const load = createRequire(import.meta.url);
load('@webex/plugin-logger');
load('@webex/plugin-people');
const { default: WebexCore, WebexHttpError } = load('@webex/webex-core') as typeof Sdk;

const TIMEOUT = { timeout: 15_000 };
let server: TestServer;
const clients: Sdk.default[] = [];

function newWebex(token: string): Sdk.default {
  const hydraUrl = `${server.url}/v1`;
  const webex = new WebexCore({
    credentials: { access_token: token },
    config: {
      sdkType: 'webex',
      hydra: hydraUrl,
      hydraServiceUrl: hydraUrl,
      credentials: { clientType: 'confidential' },
      services: { override: { hydra: hydraUrl } },
      logger: { level: process.env.WEBEX_LOG_LEVEL ?? 'silent' },
    },
  });
  clients.push(webex);
  return webex;
}

/** The rejection of `promise` (which must reject within `ms`). */
async function rejectionOf(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled after ${ms} ms`)), ms);
  });
  try {
    const outcome = await Promise.race([
      promise.then(
        (value) => ({ rejected: false, value }),
        (reason: unknown) => ({ rejected: true, value: reason }),
      ),
      expired,
    ]);
    assert.ok(outcome.rejected, `resolved with ${JSON.stringify(outcome.value)}`);
    return outcome.value;
  } finally {
    clearTimeout(timer);
  }
}

before(async () => {
  server = await startTestServer(controlDirectory());
}, TIMEOUT);

after(async () => {
  for (const webex of clients) webex.stopListening();
  await server.close();
});

describe('the Webex JS SDK under a fault rule', () => {
  test("a 429 reaches people.get('me') as a WebexHttpError with retryAfter", TIMEOUT, async () => {
    await control(server, 'DELETE', '/requests');
    const rule = await control(server, 'POST', '/faults', {
      body: { method: 'GET', path: '/v1/people/*', status: 429, retryAfter: 2, count: 1 },
    });
    assert.equal(rule.status, 200);
    const webex = newWebex(TOKEN.user);

    const reason = await rejectionOf(webex.people.get('me'), 5_000);
    assert.ok(reason instanceof WebexHttpError, String(reason));
    assert.equal(reason.statusCode, 429);
    assert.equal((reason as unknown as { retryAfter?: unknown }).retryAfter, '2');
    assert.equal(reason.headers['retry-after'], '2');
    const trackingId = reason.headers.trackingid;
    assert.match(String(trackingId), /^webex-js-sdk_/);
    assert.deepEqual(reason.body, {
      message:
        'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
      errors: [
        {
          description:
            'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
        },
      ],
      trackingId,
    });

    // The rule is used up: the SDK's next call (its own retry, after Retry-After) succeeds.
    const me = await webex.people.get('me');
    assert.equal(me.id, hydra('PEOPLE', USER));
    const log = (await control(server, 'GET', '/requests')).body as { items: Json[] };
    assert.deepEqual(
      log.items.map((r) => [r.method, r.path, r.status, r.personId]),
      [
        ['GET', '/v1/people/me', 429, hydra('PEOPLE', USER)],
        ['GET', '/v1/people/me', 200, hydra('PEOPLE', USER)],
      ],
    );
  });
});
