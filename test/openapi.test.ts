import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { openApiDocument } from '../src/cli/openapi.js';
import { openApiFacts, type OpenApiFacts } from './helpers/openapi-facts.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// The OpenAPI document: served, committed, complete, and in agreement with Cisco's People schema
// except where Rollcall differs on purpose (the allow-list below, also in docs/compatibility.md).

type Json = Record<string, unknown>;
interface Operation {
  name: string;
  op: Json;
}

const ORG = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const ERROR_REF = '#/components/schemas/Error';

let server: TestServer;
let doc: Json;
before(async () => {
  server = await startTestServer({ orgs: [{ id: ORG, displayName: 'Acme' }], people: [] });
  doc = (await openApiDocument()) as Json;
});
after(() => server.close());

const obj = (value: unknown): Json => (value ?? {}) as Json;
const operations = (): Operation[] =>
  Object.entries(obj(doc.paths)).flatMap(([path, item]) =>
    Object.entries(obj(item))
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: obj(op) })),
  );

describe('the document', () => {
  test('docs/openapi.json is the document the code generates', () => {
    const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as unknown;
    assert.deepEqual(
      committed,
      doc,
      'docs/openapi.json is stale: `npm run openapi` regenerates it (then commit it).',
    );
  });

  test('GET /openapi.json serves it, as JSON', async () => {
    const res = await server.request('/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await res.json(), doc);
  });

  test('OpenAPI 3.0 with title, version, description, servers, bearer security and tags', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(doc.openapi, '3.0.3');
    const info = obj(doc.info);
    assert.equal(info.title, 'Rollcall');
    assert.equal(info.version, pkg.version);
    assert.equal(typeof info.description, 'string');
    assert.deepEqual(
      (doc.servers as Json[]).map((s) => s.url),
      ['/', 'http://127.0.0.1:8080'],
    );
    assert.deepEqual(obj(obj(doc.components).securitySchemes).bearer, {
      type: 'http',
      scheme: 'bearer',
      description: 'An access token of a person: `Authorization: Bearer <token>`.',
    });
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    const tags = (doc.tags as Json[]).map((t) => t.name);
    assert.deepEqual(tags, ['People', 'Operations', 'Control']);
    for (const tag of doc.tags as Json[]) assert.equal(typeof tag.description, 'string', String(tag.name));
  });

  test('Person and Error are shared components', () => {
    const schemas = obj(obj(doc.components).schemas);
    assert.deepEqual(Object.keys(schemas).sort(), ['Error', 'Person']);
    const ref = (name: string, status: string) =>
      obj(obj(obj(obj(obj(obj(doc.paths)[name]).get).responses)[status]).content)['application/json'];
    assert.deepEqual(ref('/v1/people/me', '200'), { schema: { $ref: '#/components/schemas/Person' } });
    assert.deepEqual(ref('/v1/people/me', '401'), { schema: { $ref: ERROR_REF } });
  });

  test('hidden helpers are left out: the 405 catch-alls, HEAD, and the pages of /docs', () => {
    const names = operations().map((o) => o.name);
    assert.deepEqual(
      names.filter((n) => /^(PATCH|HEAD|OPTIONS) /.test(n)),
      [],
    );
    assert.deepEqual(
      names.filter((n) => n.includes('/docs')),
      [],
    );
    assert.deepEqual(Object.keys(obj(obj(doc.paths)['/v1/people/me'])), ['get']);
    for (const path of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/openapi.json',
      '/v1/people',
      '/v1/people/{personId}',
    ]) {
      assert.ok(obj(doc.paths)[path], path);
    }
  });
});

describe('every route is documented', () => {
  test('with a unique operationId, a description and declared tags', () => {
    const declared = new Set((doc.tags as Json[]).map((t) => t.name));
    const ids = new Set<string>();
    for (const { name, op } of operations()) {
      assert.equal(typeof op.operationId, 'string', `${name}: operationId`);
      assert.equal(ids.has(op.operationId as string), false, `${name}: duplicate operationId`);
      ids.add(op.operationId as string);
      assert.ok(typeof op.description === 'string' && op.description.length > 10, `${name}: description`);
      assert.ok(Array.isArray(op.tags) && op.tags.length === 1, `${name}: one tag`);
      for (const tag of op.tags as string[]) assert.ok(declared.has(tag), `${name}: tag ${tag} not declared`);
    }
  });

  test('with its error responses, each with a description and the Error body', () => {
    for (const { name, op } of operations()) {
      const responses = obj(op.responses);
      const errors = Object.keys(responses).filter((code) => Number(code) >= 400);
      assert.ok(errors.includes('500') && errors.includes('503'), `${name}: 500 and 503`);
      for (const code of errors) {
        const response = obj(responses[code]);
        assert.equal(typeof response.description, 'string', `${name} ${code}: description`);
        assert.deepEqual(
          response.content,
          { 'application/json': { schema: { $ref: ERROR_REF } } },
          `${name} ${code}`,
        );
      }
      // Whatever can fail validation documents 400; whatever needs a token documents 401.
      if (
        op.requestBody !== undefined ||
        (op.parameters as Json[] | undefined)?.some((p) => p.in === 'query')
      ) {
        assert.ok(errors.includes('400'), `${name}: 400`);
      }
      const security = (op.security ?? doc.security) as unknown[];
      if (security.length > 0) assert.ok(errors.includes('401'), `${name}: 401`);
      if (op.requestBody !== undefined) assert.ok(errors.includes('415'), `${name}: 415`);
    }
  });

  test('every response, parameter and schema property has a description', () => {
    const missing: string[] = [];
    const visitSchema = (schema: unknown, where: string): void => {
      const node = obj(schema);
      for (const [key, property] of Object.entries(obj(node.properties))) {
        if (obj(property).$ref === undefined && typeof obj(property).description !== 'string') {
          missing.push(`${where}.${key}`);
        }
        visitSchema(property, `${where}.${key}`);
      }
      if (node.items !== undefined) visitSchema(node.items, `${where}[]`);
      for (const [i, member] of ((node.anyOf ?? []) as unknown[]).entries())
        visitSchema(member, `${where}|${i}`);
    };
    for (const [name, schema] of Object.entries(obj(obj(doc.components).schemas))) {
      if (typeof obj(schema).description !== 'string') missing.push(`components.${name}`);
      visitSchema(schema, `components.${name}`);
    }
    for (const { name, op } of operations()) {
      for (const parameter of (op.parameters ?? []) as Json[]) {
        if (typeof parameter.description !== 'string') missing.push(`${name} ${String(parameter.name)}`);
      }
      const body = obj(op.requestBody);
      if (op.requestBody !== undefined && typeof body.description !== 'string') missing.push(`${name} body`);
      visitSchema(obj(obj(body.content)['application/json']).schema, `${name} body`);
      for (const [code, response] of Object.entries(obj(op.responses))) {
        const description = obj(response).description;
        if (typeof description !== 'string' || description === 'Default Response') {
          missing.push(`${name} ${code}`);
        }
        for (const media of Object.values(obj(obj(response).content))) {
          visitSchema(obj(media).schema, `${name} ${code}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });
});

// ---------------------------------------------------------------------------------------------------
// Cisco's People schema, as facts (test/fixtures/webex-people-openapi-facts.json), against ours.

type Section = Exclude<keyof OpenApiFacts, 'source'>;

interface Difference {
  section: Section;
  key: string;
  /** Cisco's value and ours; undefined where one side lacks the key. */
  webex: string | undefined;
  rollcall: string | undefined;
}

/** Every deliberate difference, with its reason. Each must still be a difference (no stale entries). */
const DELIBERATE: (Difference & { reason: string })[] = [
  {
    section: 'person',
    key: 'userName',
    webex: undefined,
    rollcall: 'string',
    reason: 'The live service sends userName (the primary email) on lists by id=; the SDKs read it.',
  },
  {
    section: 'person',
    key: 'invitePending',
    webex: 'string enum(false|true)',
    rollcall: 'boolean | string enum(false|true)',
    reason: 'Documented as strings, sent as JSON booleans by the live service: --flags-as-booleans.',
  },
  {
    section: 'person',
    key: 'loginEnabled',
    webex: 'string enum(false|true)',
    rollcall: 'boolean | string enum(false|true)',
    reason: 'As invitePending.',
  },
  {
    section: 'successes',
    key: 'PUT /people/{personId}',
    webex: '200,204',
    rollcall: '200',
    reason:
      'minResponse=true answers 200 with {"id"}, not 204: the Python SDK and wxc_sdk parse a JSON body.',
  },
  {
    section: 'parameters',
    key: 'GET /people query max',
    webex: 'number',
    rollcall: 'integer',
    reason: 'A page size is a whole number: max=2.5 is a 400.',
  },
  {
    section: 'parameters',
    key: 'GET /people query showAllTypes',
    webex: undefined,
    rollcall: 'boolean',
    reason: 'The JS SDK sends it on every list by id=; accepted (every account type is always listed).',
  },
  {
    section: 'parameters',
    key: 'GET /people query after',
    webex: undefined,
    rollcall: 'string',
    reason: 'The cursor of the rel="next" Link (pagination); clients follow the Link and never build it.',
  },
  {
    section: 'requestBodies',
    key: 'PUT /people/{personId} nickName',
    webex: 'string',
    rollcall: undefined,
    reason: 'nickName cannot be written: it follows firstName (accepted in a body and ignored).',
  },
  {
    section: 'requestBodies',
    key: 'PUT /people/{personId} loginEnabled',
    webex: 'boolean',
    rollcall: 'boolean | string enum(false|true)',
    reason: 'A Person read back and sent again carries the strings "true"/"false": accepted too.',
  },
  ...(['POST /people', 'PUT /people/{personId}'] as const).flatMap((operation) => [
    {
      section: 'requestBodies' as const,
      key: `${operation} phoneNumbers[].type`,
      webex: 'string enum(work)',
      rollcall: 'string enum(fax|mobile|work|work_extension)',
      reason: 'Every type a Person can carry is accepted, so a Person read back can be sent again.',
    },
    {
      section: 'requestBodies' as const,
      key: `${operation} phoneNumbers[].primary`,
      webex: undefined,
      rollcall: 'boolean',
      reason: 'As phoneNumbers[].type: the field of a Person read back is accepted.',
    },
  ]),
];

function differences(webex: OpenApiFacts, ours: OpenApiFacts): Difference[] {
  const found: Difference[] = [];
  const sections: Section[] = ['operations', 'parameters', 'successes', 'requestBodies', 'person'];
  for (const section of sections) {
    const asRecord = (facts: OpenApiFacts): Record<string, string> => {
      const value = facts[section];
      return Array.isArray(value) ? Object.fromEntries(value.map((op) => [op, 'present'])) : value;
    };
    const a = asRecord(webex);
    const b = asRecord(ours);
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[key] !== b[key]) found.push({ section, key, webex: a[key], rollcall: b[key] });
    }
  }
  return found;
}

describe("agreement with Cisco's People schema", () => {
  const webex = JSON.parse(
    readFileSync('test/fixtures/webex-people-openapi-facts.json', 'utf8'),
  ) as OpenApiFacts;

  test('the fixture holds the facts of every People operation', () => {
    assert.equal(webex.operations.length, 6);
    assert.equal(Object.keys(webex.person).length, 48);
  });

  test('every difference is a deliberate one, and every deliberate one is still a difference', () => {
    const ours = openApiFacts(doc, '/v1', 'Rollcall');
    const found = differences(webex, ours);
    const listed = DELIBERATE.map(({ reason, ...difference }) => {
      assert.ok(reason.length > 10);
      return difference;
    });
    const key = (d: Difference) => `${d.section} ${d.key}`;
    const sort = (list: Difference[]) => [...list].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    assert.deepEqual(sort(found), sort(listed));
  });

  test('the facts that agree: operations, parameters and every other Person field', () => {
    const ours = openApiFacts(doc, '/v1', 'Rollcall');
    assert.deepEqual(ours.operations, webex.operations);
    assert.equal(ours.person.status, webex.person.status);
    assert.equal(ours.person.type, webex.person.type);
    assert.equal(ours.person['phoneNumbers[].type'], webex.person['phoneNumbers[].type']);
    assert.equal(ours.person['sipAddresses[].type'], webex.person['sipAddresses[].type']);
  });
});

describe('GET /docs', () => {
  test('a browsable page whose scripts and styles are served here, not from a CDN', async () => {
    for (const page of ['/docs', '/docs/']) {
      const res = await server.request(page);
      assert.equal(res.status, 200, page);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const html = await res.text();
      assert.doesNotMatch(html, /https?:\/\//);
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
      assert.equal(assets.length, 7, html);
      for (const asset of assets) {
        assert.doesNotMatch(asset, /^(https?:)?\/\//, asset);
        const loaded = await server.request(new URL(asset, `${server.url}${page}`).pathname);
        assert.equal(loaded.status, 200, `${page}: ${asset}`);
        await loaded.arrayBuffer();
      }
    }
  });

  test('its initializer reads the document from this server', async () => {
    const res = await server.request('/docs/static/swagger-initializer.js');
    assert.equal(res.status, 200);
    // Comments aside (one links to a Stack Overflow answer), no address: the document is ./json.
    const code = (await res.text()).replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /https?:/);
    assert.match(code, /url: resolveUrl\('\.\/json'\)/);
    const json = await server.request('/docs/json');
    assert.equal(json.status, 200);
    assert.deepEqual(obj(await json.json()).paths, doc.paths);
  });
});
