import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const ORG = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
let server: TestServer;

before(async () => {
  server = await startTestServer({
    orgs: [{ id: ORG, displayName: 'Acme' }],
    people: [
      {
        id: 'f5b36187-c8dd-4727-8b2f-f9c447f29046',
        orgId: ORG,
        emails: ['a@acme.test'],
        displayName: 'A',
        tokens: ['tok-a'],
      },
    ],
  });
});
after(() => server.close());

test('GET /healthz answers 200', async () => {
  const res = await server.request('/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});
