import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DirectoryModel,
  headerValues,
  nextLink,
  NOW,
  ok,
  pathOf,
  type PersonEntry,
  type Reply,
  send,
  sortPeople,
  TEST_SETTINGS,
  tokenOf,
  uuid,
} from './helpers/people-fixtures.js';
import { assertError, hydra, type Json, unhydra } from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Pagination of List People (docs/people-api.md Part A, "Lists", and Part B §4): items in a stable
// order; one absolute `Link: <url>; rel="next"` header built from the request's own scheme and Host
// (X-Forwarded-* only behind a trusted proxy), repeating every original parameter, percent-encoded;
// no Link on the last page; an opaque `after` cursor that a client cannot forge.

const ORG = { A: uuid(0xc, 1), P: uuid(0xc, 2) };

let n = 0;
const person = (orgId: string, displayName: string, extra: Partial<PersonEntry> = {}): PersonEntry => {
  n += 1;
  return {
    id: uuid(0x3, (n * 7919) % 4099), // IDs in another order than the names
    orgId,
    emails: [`p${n}@paging.test`],
    displayName,
    created: '2025-05-05T05:05:05.005Z',
    ...extra,
  };
};

const admin = person(ORG.A, 'Adam Admin', { roles: ['id_full_admin'], tokens: ['tok-admin'] });
const partnerUser = person(ORG.P, 'Petra Partner', { tokens: ['tok-partner'] });
// Ties in the display name (exact and by case), umlauts, names that are prefixes of others.
const NAMES = [
  'alice',
  'Alice',
  'ALICE',
  'Bob',
  'Bob',
  'Bob',
  'Bo',
  'Bobby',
  'Jürgen Eins',
  'jürgen zwei',
  'JÜRGEN DREI',
  'Jü',
  'Julia',
  'Zed',
  'zed',
  'Émile',
  'Émilie',
  '123 Numbers',
  'Charlie',
  'charlie',
  'Dora',
];
const membersOfA = NAMES.map((name) => person(ORG.A, name));
const membersOfP = ['Jürgen Partner', 'Bob Partner', 'Alice Partner'].map((name) => person(ORG.P, name));

const model = new DirectoryModel({
  orgs: [
    { id: ORG.A, displayName: 'Acme' },
    { id: ORG.P, displayName: 'Partner', manages: [ORG.A] },
  ],
  people: [admin, partnerUser, ...membersOfA, ...membersOfP],
});
const everyoneInA = sortPeople([admin, ...membersOfA]);

let server: TestServer;
before(async () => {
  server = await startTestServer(model.file, { now: NOW, settings: TEST_SETTINGS });
});
after(() => server.close());

const idsOf = (reply: Reply): string[] =>
  (ok(reply) as { items: Json[] }).items.map((item) => unhydra('PEOPLE', item.id));

/** Follows next links from `path`; returns each page's reply. */
async function follow(path: string, as: PersonEntry, limit = 200): Promise<Reply[]> {
  const pages: Reply[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    assert.ok(pages.length < limit, 'too many pages');
    const reply = await model.call(server, 'GET', next, as);
    pages.push(reply);
    const link = nextLink(reply);
    if (link) assert.equal(link.origin, server.url);
    next = link && pathOf(link);
  }
  return pages;
}

describe('order and completeness', () => {
  test('the order is stable: display name case-insensitively, then ID', async () => {
    const first = await model.call(server, 'GET', '/v1/people?max=1000', admin);
    const second = await model.call(server, 'GET', '/v1/people?max=1000', admin);
    assert.deepEqual(idsOf(first), idsOf(second));
    assert.deepEqual(
      idsOf(first),
      everyoneInA.map((p) => p.id),
    );
    assert.deepEqual(ok(first), model.list(everyoneInA, admin, NOW));
    assert.deepEqual(headerValues(first, 'link'), []);
  });

  for (let max = 1; max <= 7; max += 1) {
    test(`max=${max}: following the links returns every person exactly once, in order`, async () => {
      const pages = await follow(`/v1/people?max=${max}`, admin);
      const ids = pages.flatMap(idsOf);
      assert.deepEqual(
        ids,
        everyoneInA.map((p) => p.id),
      );
      const sizes = pages.map((page) => idsOf(page).length);
      const full = Math.floor(everyoneInA.length / max);
      // Every page is full but the last, which may be short (or, where the count divides evenly, empty).
      assert.deepEqual(sizes.slice(0, full), Array<number>(full).fill(max));
      assert.ok(sizes.length <= full + 1, `pages: ${sizes.join(',')}`);
      assert.equal(nextLink(pages.at(-1) as Reply), undefined);
      for (const page of pages.slice(0, -1)) assert.ok(nextLink(page));
      // Whole bodies: each page is the matching slice of the list.
      let offset = 0;
      for (const page of pages) {
        const size = idsOf(page).length;
        assert.deepEqual(ok(page), model.list(everyoneInA.slice(offset, offset + size), admin, NOW));
        offset += size;
      }
    });
  }

  test('a search over two orgs pages through both, each person once', async () => {
    for (const max of [1, 2, 3]) {
      const pages = await follow(`/v1/people?displayName=j&max=${max}`, partnerUser);
      const expected = sortPeople([...membersOfA, ...membersOfP].filter((p) => /^j/i.test(p.displayName)));
      assert.deepEqual(
        pages.flatMap(idsOf),
        expected.map((p) => p.id),
      );
    }
  });
});

describe('the Link header', () => {
  test('one absolute link repeating every original parameter, percent-encoded, with a new after', async () => {
    const query =
      'displayName=J%C3%BC&max=1&foo=bar&weird=a%2Bb%26c%20d&callingData=True&excludeStatus=false';
    const original = [...new URLSearchParams(query)];
    const first = await model.call(server, 'GET', `/v1/people?${query}`, admin);
    assert.equal(first.status, 200);
    assert.equal(headerValues(first, 'link').length, 1);
    const value = headerValues(first, 'link')[0] ?? '';
    assert.match(value, /^<http:\/\/127\.0\.0\.1:\d+\/v1\/people\?[^<>\s]+>; rel="next"$/);
    const link = nextLink(first);
    assert.ok(link);
    assert.equal(`${link.origin}${link.pathname}`, `${server.url}/v1/people`);
    const params = [...link.searchParams];
    assert.deepEqual(
      params.filter(([key]) => key !== 'after'),
      original,
    );
    assert.equal(link.searchParams.getAll('after').length, 1);
    assert.match(link.searchParams.get('after') ?? '', /^\S+$/);
    // Raw form: UTF-8 percent-encoded, reserved characters kept escaped.
    assert.ok(link.search.includes('displayName=J%C3%BC'), link.search);
    assert.match(link.search, /[?&]weird=a%2Bb%26c(%20|\+)d(&|$)/);

    // The next page repeats them again, with a different cursor in place of the old one.
    const second = await model.call(server, 'GET', pathOf(link), admin);
    const link2 = nextLink(second);
    assert.ok(link2);
    assert.deepEqual(
      [...link2.searchParams].filter(([key]) => key !== 'after'),
      original,
    );
    assert.equal(link2.searchParams.getAll('after').length, 1);
    assert.notEqual(link2.searchParams.get('after'), link.searchParams.get('after'));
    assert.ok(link2.search.includes('displayName=J%C3%BC'), link2.search);
  });

  test('absent on the last page', async () => {
    const jue = sortPeople(membersOfA.filter((p) => p.displayName.toLowerCase().startsWith('jü')));
    const pages = await follow('/v1/people?displayName=J%C3%BC&max=3', admin);
    assert.equal(pages.length, 2);
    assert.deepEqual(ok(pages[0] as Reply), model.list(jue.slice(0, 3), admin, NOW));
    assert.deepEqual(ok(pages[1] as Reply), model.list(jue.slice(3), admin, NOW));
    assert.deepEqual(headerValues(pages[1] as Reply, 'link'), []);
    const single = await model.call(server, 'GET', '/v1/people?displayName=Bob&max=10', admin);
    assert.deepEqual(headerValues(single, 'link'), []);
    assert.deepEqual(
      ok(single),
      model.list(
        membersOfA.filter((p) => p.displayName.startsWith('Bob')),
        admin,
        NOW,
      ),
    );
  });

  test('uses the Host header the client sent', async () => {
    const reply = await send(server.url, 'GET', '/v1/people?max=2&displayName=b', {
      token: tokenOf(admin),
      headers: { host: 'example.test:9999' },
    });
    model.touch(admin, NOW);
    const link = nextLink(reply);
    assert.ok(link);
    assert.equal(`${link.origin}${link.pathname}`, 'http://example.test:9999/v1/people');
    assert.deepEqual(
      [...link.searchParams].filter(([key]) => key !== 'after'),
      [
        ['max', '2'],
        ['displayName', 'b'],
      ],
    );
    assert.ok(
      headerValues(reply, 'link')[0]?.startsWith('<http://example.test:9999/v1/people?max=2&displayName=b&'),
    );
  });

  test('X-Forwarded-Proto and X-Forwarded-Host are ignored when no proxy is trusted', async () => {
    const reply = await send(server.url, 'GET', '/v1/people?max=2', {
      token: tokenOf(admin),
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.test' },
    });
    model.touch(admin, NOW);
    const link = nextLink(reply);
    assert.ok(link);
    assert.equal(`${link.origin}${link.pathname}`, `${server.url}/v1/people`);
  });

  test('a garbage after → 400 naming after', async () => {
    const forged = [
      'garbage',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('not json').toString('base64url'),
      '%E2%9C%93',
    ];
    for (const cursor of forged) {
      const reply = await model.call(server, 'GET', `/v1/people?max=2&after=${cursor}`, admin);
      assertError(reply, 400, /'after'/, cursor);
    }
  });
});

describe('behind a trusted proxy', () => {
  let proxied: TestServer;
  before(async () => {
    proxied = await startTestServer(model.file, {
      now: NOW,
      settings: { ...TEST_SETTINGS, trustProxy: true },
    });
  });
  after(() => proxied.close());

  test('X-Forwarded-Proto and X-Forwarded-Host make the link', async () => {
    const reply = await send(proxied.url, 'GET', '/v1/people?max=2&foo=1', {
      token: tokenOf(admin),
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.test' },
    });
    assert.equal(reply.status, 200);
    const value = headerValues(reply, 'link');
    assert.equal(value.length, 1);
    assert.match(
      value[0] ?? '',
      /^<https:\/\/api\.example\.test\/v1\/people\?max=2&foo=1&after=[^&<>]+>; rel="next"$/,
    );
  });

  test('without them, the Host header still makes the link', async () => {
    const reply = await send(proxied.url, 'GET', '/v1/people?max=2', {
      token: tokenOf(admin),
      headers: { host: 'example.test:9999' },
    });
    const link = nextLink(reply);
    assert.ok(link);
    assert.equal(`${link.origin}${link.pathname}`, 'http://example.test:9999/v1/people');
  });
});

describe('paging while people come and go', () => {
  const CHURN = uuid(0xc, 9);
  const churnAdmin = person(CHURN, 'Mia Admin', { roles: ['id_full_admin'], tokens: ['tok-churn'] });
  const initial = Array.from({ length: 30 }, (_, i) =>
    person(CHURN, `${String.fromCharCode(65 + (i % 26))}${i < 26 ? '' : ' Again'} Member ${i}`),
  );
  const churn = new DirectoryModel({
    orgs: [{ id: CHURN, displayName: 'Churn' }],
    people: [churnAdmin, ...initial],
  });
  let churnServer: TestServer;
  before(async () => {
    churnServer = await startTestServer(churn.file, { now: NOW, settings: TEST_SETTINGS });
  });
  after(() => churnServer.close());

  test('no person twice, and everyone who was there throughout exactly once', async () => {
    const deleted = new Set<string>();
    const created = new Set<string>();
    const remaining = sortPeople(initial);
    const seen: string[] = [];
    let next: string | undefined = '/v1/people?max=4';
    let round = 0;
    while (next !== undefined) {
      const reply = await churn.call(churnServer, 'GET', next, churnAdmin);
      const ids = idsOf(reply);
      seen.push(...ids);
      const link = nextLink(reply);
      next = link && pathOf(link);
      round += 1;

      // Between pages: two newcomers (one sorting before the cursor, one after), and three deletions:
      // the last person just returned (the cursor's own person), one already seen and one not yet seen.
      for (const name of [`A New ${round}`, `Zz New ${round}`, `M New ${round}`]) {
        const res = await churn.call(churnServer, 'POST', '/v1/people', churnAdmin, {
          json: { emails: [`new${round}-${name.length}-${name[0] ?? ''}@churn.test`], displayName: name },
        });
        created.add(unhydra('PEOPLE', (ok(res, name) as Json).id));
      }
      const unseen = remaining.filter((p) => !seen.includes(p.id) && !deleted.has(p.id));
      const victims = [
        ids.at(-1),
        seen.find((id) => !deleted.has(id) && id !== churnAdmin.id),
        unseen.at(-1)?.id,
      ];
      for (const victim of victims) {
        if (victim === undefined || victim === churnAdmin.id || deleted.has(victim)) continue;
        const res = await churn.call(
          churnServer,
          'DELETE',
          `/v1/people/${hydra('PEOPLE', victim)}`,
          churnAdmin,
        );
        assert.equal(res.status, 204, res.text);
        deleted.add(victim);
      }
      assert.ok(round < 100, 'too many pages');
    }

    assert.equal(new Set(seen).size, seen.length, 'nobody twice');
    const throughout = [churnAdmin, ...initial].filter((p) => !deleted.has(p.id)).map((p) => p.id);
    for (const id of throughout) {
      assert.equal(seen.filter((s) => s === id).length, 1, `${id} exactly once`);
    }
    for (const id of seen) {
      assert.ok(created.has(id) || [churnAdmin, ...initial].some((p) => p.id === id), `${id} is known`);
    }
    assert.ok(deleted.size > 5 && created.size > 5, 'people came and went');
  });
});
