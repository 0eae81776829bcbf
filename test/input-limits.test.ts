import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportDirectory } from '../src/directory/export-directory.js';
import { parseDirectory } from '../src/directory/parse-directory.js';
import { NOW, ok, peopleSnapshot, send, TEST_SETTINGS, uuid } from './helpers/people-fixtures.js';
import { assertError, hydra, type Json } from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// What a Create or Update body may hold (src/schemas/text.ts, src/domain/email.ts): bounded strings
// (256 characters for names, 512 for IDs, 2048 for URLs, 254 for an email…), bounded lists, no control
// characters (tabs and line breaks only in streetAddress) and no unpaired surrogates anywhere, emails of
// the common RFC 5321 form, and no unknown properties inside phoneNumbers[] and addresses[]. A refused
// body is a 400 naming the field and writes nothing; what is accepted is stored and read back exactly,
// and survives export → import.

const ORG = uuid(0xf, 1);
const ADMIN = { id: uuid(0x6, 1), token: 'tok-limits-admin' };
const TARGET = uuid(0x6, 2);

let server: TestServer;
before(async () => {
  server = await startTestServer(
    {
      orgs: [{ id: ORG, displayName: 'Limits' }],
      people: [
        {
          id: ADMIN.id,
          orgId: ORG,
          emails: ['admin@limits.test'],
          displayName: 'Limits Admin',
          roles: ['id_full_admin'],
          tokens: [ADMIN.token],
        },
        { id: TARGET, orgId: ORG, emails: ['target@limits.test'], displayName: 'Limits Target' },
      ],
    },
    { now: NOW, settings: TEST_SETTINGS },
  );
});
after(() => server.close());

const post = (json: unknown) => send(server.url, 'POST', '/v1/people', { token: ADMIN.token, json });
const put = (json: unknown) =>
  send(server.url, 'PUT', `/v1/people/${hydra('PEOPLE', TARGET)}`, { token: ADMIN.token, json });
const valid = { emails: ['new@limits.test'], displayName: 'New Person' };
const invalidField = (field: string, problem: string) =>
  `Invalid field '${field}' in the request body: ${problem}.`;
const CONTROL = 'must not contain control characters or unpaired surrogates';

/** Every request is refused with a 400 whose message is `message`, and the store is unchanged. */
async function refused(cases: [body: unknown, message: string][]): Promise<void> {
  const before = await peopleSnapshot(server);
  for (const [body, message] of cases) {
    assertError(await post(body), 400, message, `POST ${JSON.stringify(body).slice(0, 200)}`);
    const { emails, ...rest } = body as Json;
    const update = { emails: emails === valid.emails ? ['target@limits.test'] : emails, ...rest };
    assertError(await put(update), 400, message, `PUT ${JSON.stringify(update).slice(0, 200)}`);
  }
  assert.deepEqual(await peopleSnapshot(server), before, 'nothing written');
}

describe('characters', () => {
  test('a NUL or another control character in any string → 400 naming the field', async () => {
    await refused([
      [{ ...valid, displayName: 'Nul\u0000Name' }, invalidField('displayName', CONTROL)],
      [{ ...valid, title: 'Bell\u0007' }, invalidField('title', CONTROL)],
      [{ ...valid, firstName: 'Line\nBreak' }, invalidField('firstName', CONTROL)],
      [{ ...valid, department: 'Del\u007f' }, invalidField('department', CONTROL)],
      [{ ...valid, roles: ['id_user_admin', 'x\u0000'] }, invalidField('roles.1', CONTROL)],
      [
        { ...valid, phoneNumbers: [{ type: 'work', value: '+1\u0000555' }] },
        invalidField('phoneNumbers.0.value', CONTROL),
      ],
      [{ ...valid, addresses: [{ locality: 'Par\u0000is' }] }, invalidField('addresses.0.locality', CONTROL)],
      [
        { ...valid, addresses: [{ streetAddress: '1 Main St\u0000' }] },
        invalidField(
          'addresses.0.streetAddress',
          'must not contain control characters other than tabs and line breaks, or unpaired surrogates',
        ),
      ],
    ]);
    assertError(
      await post({ ...valid, emails: ['nul\u0000@limits.test'] }),
      400,
      invalidField('emails.0', CONTROL),
    );
  });

  test('an unpaired surrogate → 400; a paired one (an emoji) is stored and read back exactly', async () => {
    await refused([
      [{ ...valid, displayName: 'Lone \ud800 high' }, invalidField('displayName', CONTROL)],
      [{ ...valid, lastName: 'Lone \udc00 low' }, invalidField('lastName', CONTROL)],
    ]);
    const name = 'Emoji 😀 Person';
    const created = ok(await post({ emails: ['emoji@limits.test'], displayName: name })) as Json;
    assert.equal(created.displayName, name);
    const read = ok(
      await send(server.url, 'GET', `/v1/people/${created.id as string}`, { token: ADMIN.token }),
    );
    assert.equal((read as Json).displayName, name);
  });

  test('a street address may take several lines', async () => {
    const streetAddress = '1 Main St\r\nSuite 5\tBack';
    const person = ok(
      await put({ ...valid, emails: ['target@limits.test'], addresses: [{ streetAddress }] }),
    );
    assert.deepEqual((person as Json).addresses, [{ streetAddress }]);
  });
});

describe('lengths', () => {
  test('names up to 256 characters are accepted; 257 or a million → 400', async () => {
    const longest = 'n'.repeat(255) + '😀';
    const person = ok(
      await put({ emails: ['target@limits.test'], displayName: longest, title: longest }),
    ) as Json;
    assert.equal(person.displayName, longest);
    assert.equal(person.title, longest);
    const tooLong = invalidField('displayName', 'must NOT have more than 256 characters');
    await refused([
      [{ ...valid, displayName: 'n'.repeat(257) }, tooLong],
      [{ ...valid, displayName: 'n'.repeat(1_000_000) }, tooLong],
      [
        { ...valid, avatar: `https://a.test/${'p'.repeat(2048)}` },
        invalidField('avatar', 'must NOT have more than 2048 characters'),
      ],
      [
        { ...valid, managerId: 'm'.repeat(513) },
        invalidField('managerId', 'must NOT have more than 512 characters'),
      ],
      [
        { ...valid, addresses: [{ postalCode: '9'.repeat(65) }] },
        invalidField('addresses.0.postalCode', 'must NOT have more than 64 characters'),
      ],
    ]);
  });

  test('lists are bounded: 11 emails, 21 phone numbers, 101 licenses → 400', async () => {
    const emails = Array.from({ length: 11 }, (_, i) => `many${i}@limits.test`);
    const phoneNumbers = Array.from({ length: 21 }, (_, i) => ({ type: 'work', value: `+1 555 01${i}` }));
    const licenses = Array.from({ length: 101 }, (_, i) => hydra('LICENSE', `lic-${i}`));
    await refused([
      [{ ...valid, emails }, invalidField('emails', 'must NOT have more than 10 items')],
      [{ ...valid, phoneNumbers }, invalidField('phoneNumbers', 'must NOT have more than 20 items')],
      [{ ...valid, licenses }, invalidField('licenses', 'must NOT have more than 100 items')],
    ]);
  });
});

describe('emails', () => {
  test('addresses outside the common form → 400 naming the entry', async () => {
    const notAnEmail = (email: string) => invalidField('emails[0]', `"${email}" is not an email address`);
    const cases: [unknown, string][] = [
      '<script>@x',
      '<script>@limits.test',
      'no-dot@localhost',
      'two@@limits.test',
      'dot.@limits.test',
      '.dot@limits.test',
      'a..b@limits.test',
      'space @limits.test',
      `${'l'.repeat(65)}@limits.test`,
      'x@-bad-.test',
      'ünicode@limits.test',
    ].map((email) => [{ ...valid, emails: [email] }, notAnEmail(email)]);
    cases.push([
      { ...valid, emails: [`${'l'.repeat(100_000)}@limits.test`] },
      invalidField('emails.0', 'must NOT have more than 254 characters'),
    ]);
    await refused(cases);
  });

  test('common addresses are accepted: tags, apostrophes, 64-character local parts, xn-- domains', async () => {
    for (const email of [
      "o'brien+tag@sub.limits.test",
      `${'l'.repeat(64)}@limits.test`,
      'user@xn--bcher-kva.test',
    ]) {
      const person = ok(await post({ emails: [email], displayName: 'Accepted' })) as Json;
      assert.deepEqual(person.emails, [email]);
    }
  });
});

describe('unknown properties', () => {
  test('inside phoneNumbers[] and addresses[] → 400 naming the property, nothing stored', async () => {
    await refused([
      [
        { ...valid, phoneNumbers: [{ type: 'work', value: '+1 555 0100', hidden: 'x' }] },
        "Unknown field 'phoneNumbers.0.hidden' in the request body.",
      ],
      [
        { ...valid, addresses: [{ locality: 'Paris' }, { locality: 'Lyon', secret: { deep: true } }] },
        "Unknown field 'addresses.1.secret' in the request body.",
      ],
    ]);
  });

  test('at the top level they are ignored as before (read-only fields of a Person read back)', async () => {
    const person = ok(
      await post({ ...valid, emails: ['top@limits.test'], status: 'active', unknown: 1 }),
    ) as Json;
    assert.equal(person.status, 'pending');
    assert.equal('unknown' in person, false);
  });
});

test('what the API accepted survives export → import', async () => {
  ok(
    await post({
      emails: ['roundtrip@limits.test'],
      displayName: 'Round 😀 Trip',
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0199', primary: true }],
      addresses: [{ type: 'work', streetAddress: 'Line 1\nLine 2', locality: 'Lyon', country: 'FR' }],
    }),
  );
  const exported = exportDirectory(await server.store.readDirectory());
  const reimported = parseDirectory(JSON.parse(JSON.stringify(exported)), NOW);
  const roundTrip = reimported.people.find((p) => p.emails[0] === 'roundtrip@limits.test');
  assert.deepEqual(roundTrip?.addresses, [
    { type: 'work', streetAddress: 'Line 1\nLine 2', locality: 'Lyon', country: 'FR' },
  ]);
  assert.equal(roundTrip?.displayName, 'Round 😀 Trip');
});
