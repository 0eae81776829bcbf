import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { call, cleanUp, spawnServer, writeTempFile, type ServeProcess } from './helpers/cli-process.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from './helpers/test-database.js';

// Durability and atomicity across a crash (docs/adr/0002, 0004): `rollcall serve` is SIGKILLed in the
// middle of a stream of creates and updates, then started again on the same database.
// - every write answered 200 is there exactly as answered (unless a later write to the same person,
//   itself unanswered, replaced it — writes to one person are sequential here);
// - a write that got no answer is either wholly there or not at all: every person present is exactly
//   what one single request wrote, and finds by exactly its current emails.

type Json = Record<string, unknown>;

const ORG = '0d100000-0000-4000-8000-000000000001';
const run = randomBytes(4).toString('hex');
const ADMIN = `crash-admin-${run}`;
const ADMIN_ID = '0d100000-0000-4000-8000-000000000002';
const DIRECTORY: DirectoryFile = {
  orgs: [{ id: ORG, displayName: 'Crash' }],
  people: [
    {
      id: ADMIN_ID,
      orgId: ORG,
      emails: ['admin@crash.test'],
      displayName: 'Admin',
      roles: ['id_full_admin'],
      tokens: [ADMIN],
    },
  ],
};
const ARGS = ['--max-event-loop-delay-ms', '0'];
const WORKERS = 6;
const OPS_PER_WORKER = 50;
/** 300 requests spread over ~2 s: each worker starts one every 40 ms (or as soon as the last is answered). */
const PACE_MS = 40;
/** The kill comes once half of the planned writes are sent (and several are on the wire). */
const KILL_AFTER_WRITES = (WORKERS * OPS_PER_WORKER) / 2;
const KILL_LIMIT_MS = 30_000;

/** The fields a write sets, as a request body; every value carries the request's tag. */
function bodyOf(tag: string, worker: number, op: number, kind: 'create' | 'update'): Json {
  return {
    emails: [`${kind}-${tag}@crash.test`],
    displayName: `Name ${tag}`,
    firstName: `First ${tag}`,
    lastName: `Last ${tag}`,
    title: `Title ${tag}`,
    department: `Dept ${tag}`,
    extension: `${worker}${String(op).padStart(3, '0')}`,
    phoneNumbers: [{ type: 'mobile', value: `+1 555 ${worker} ${op}` }],
    addresses: [{ type: 'work', locality: `City ${tag}`, country: 'US' }],
    siteUrls: [`site-${tag}.webex.com#attendee`],
  };
}

/** What a person shows of the fields a write sets (callingData=true, seen by an admin). */
function writtenFields(person: Json): Json {
  const pick = (key: string) => person[key];
  return {
    emails: pick('emails'),
    displayName: pick('displayName'),
    firstName: pick('firstName'),
    nickName: pick('nickName'),
    lastName: pick('lastName'),
    title: pick('title'),
    department: pick('department'),
    extension: pick('extension'),
    phoneNumbers: pick('phoneNumbers'),
    addresses: pick('addresses'),
    siteUrls: pick('siteUrls'),
  };
}

/** The same, from a request body (nickName follows firstName). */
function expectedFields(body: Json): Json {
  return writtenFields({ ...body, nickName: body.firstName });
}

interface Write {
  worker: number;
  op: number;
  kind: 'create' | 'update';
  /** The person: the worker's own key (known before the id is). */
  personKey: string;
  body: Json;
  outcome: 'pending' | 'acked' | 'failed';
  status?: number;
  /** The answer, for acked writes. */
  response?: Json;
  sentAt: number;
}

let database: TestDatabase | undefined;
after(async () => {
  await cleanUp();
  await database?.drop();
});

test(`${TEST_STORE}: writes answered before a SIGKILL survive it exactly; unanswered ones are all or nothing`, async () => {
  database = await createTestDatabase();
  const first = await spawnServer({
    db: database.url,
    seed: writeTempFile('directory.json', DIRECTORY),
    args: ARGS,
  });

  // Warm up (a server compiles each route's schemas on first use) without touching anyone under test:
  // the admin is left out of the checks below.
  const adminPath = `/v1/people/${Buffer.from(`ciscospark://us/PEOPLE/${ADMIN_ID}`).toString('base64url')}`;
  for (let i = 0; i < 3; i++) {
    assert.equal((await call(first.url, 'GET', '/v1/people/me', { token: ADMIN })).status, 200);
    assert.equal((await call(first.url, 'GET', '/v1/people?max=10', { token: ADMIN })).status, 200);
    const conflict = { emails: ['admin@crash.test'], displayName: 'Taken' };
    assert.equal((await call(first.url, 'POST', '/v1/people', { token: ADMIN, json: conflict })).status, 409);
    const same = { displayName: 'Admin', roles: ['id_full_admin'] };
    assert.equal(
      (await call(first.url, 'PUT', `${adminPath}?callingData=true`, { token: ADMIN, json: same })).status,
      200,
    );
  }

  const writes: Write[] = [];
  const idOfKey = new Map<string, string>();
  let killed = false;
  const start = Date.now();

  async function worker(w: number): Promise<void> {
    const mine: string[] = [];
    for (let op = 0; op < OPS_PER_WORKER && !killed; op++) {
      const due = start + op * PACE_MS;
      if (Date.now() < due) await sleep(due - Date.now());
      if (killed) break;
      // Every third write, and the first, creates a person; the others update one of this worker's
      // people whose creation was answered (in turn), so writes to one person never overlap.
      const create = op % 3 === 0 || mine.length === 0;
      const personKey = create ? `w${w}p${op}` : (mine[op % mine.length] as string);
      const tag = `${run}-w${w}-o${op}`;
      const write: Write = {
        worker: w,
        op,
        kind: create ? 'create' : 'update',
        personKey,
        body: bodyOf(tag, w, op, create ? 'create' : 'update'),
        outcome: 'pending',
        sentAt: Date.now(),
      };
      writes.push(write);
      try {
        const reply = create
          ? await call(first.url, 'POST', '/v1/people?callingData=true', { token: ADMIN, json: write.body })
          : await call(first.url, 'PUT', `/v1/people/${idOfKey.get(personKey) ?? ''}?callingData=true`, {
              token: ADMIN,
              json: write.body,
            });
        write.status = reply.status;
        write.outcome = reply.status === 200 ? 'acked' : 'failed';
        if (reply.status === 200) write.response = reply.body as Json;
        if (create && reply.status === 200) {
          idOfKey.set(personKey, (reply.body as { id: string }).id);
          mine.push(personKey);
        }
      } catch {
        write.outcome = 'failed';
        break; // the server is gone
      }
    }
  }

  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  // Kill in the middle, at a moment when several requests are on the wire.
  const killDeadline = Date.now() + KILL_LIMIT_MS;
  while (
    (writes.length < KILL_AFTER_WRITES || writes.filter((w) => w.outcome === 'pending').length < 3) &&
    Date.now() < killDeadline
  ) {
    await yieldToLoop();
  }
  killed = true;
  process.kill(first.pid, 'SIGKILL');
  const inFlightAtKill = writes.filter((w) => w.outcome === 'pending').length;
  const killedAt = Date.now() - start;
  assert.deepEqual(await first.exited(), { code: null, signal: 'SIGKILL' });
  await Promise.all(workers);

  const acked = writes.filter((w) => w.outcome === 'acked');
  const failed = writes.filter((w) => w.outcome === 'failed');
  assert.deepEqual(
    writes.filter((w) => w.outcome === 'pending'),
    [],
    'every request has settled',
  );
  // Before the kill, every write succeeded: a failure here is a failure of the server, not the crash.
  assert.deepEqual(
    failed.filter((w) => w.status !== undefined).map((w) => `${w.kind} ${w.personKey}: ${String(w.status)}`),
    [],
  );
  for (const w of acked) {
    assert.deepEqual(
      writtenFields(w.response ?? {}),
      expectedFields(w.body),
      `answer of ${w.kind} ${w.personKey} #${w.op}`,
    );
  }

  const second = await spawnServer({ db: database.url, args: ARGS });
  const adminId = Buffer.from(`ciscospark://us/PEOPLE/${ADMIN_ID}`).toString('base64url');
  // Everyone present, each as a GET with calling data shows them.
  const others: Json[] = [];
  for (const listed of await listAll(second, ADMIN)) {
    if (listed.id === adminId) continue;
    const got = await call(second.url, 'GET', `/v1/people/${listed.id as string}?callingData=true`, {
      token: ADMIN,
    });
    assert.equal(got.status, 200, JSON.stringify(got.body));
    others.push(got.body as Json);
  }
  console.log(
    `${TEST_STORE}: ${writes.length} of ${WORKERS * OPS_PER_WORKER} planned writes sent, ${acked.length} acknowledged, ` +
      `${inFlightAtKill} in flight at the kill (${killedAt} ms in), ${failed.length} never answered; ` +
      `${others.length} people present after the restart`,
  );
  assert.ok(acked.length >= 10, `only ${acked.length} writes were answered before the kill`);

  // Each person's writes, in order.
  const byKey = new Map<string, Write[]>();
  for (const w of writes) byKey.set(w.personKey, [...(byKey.get(w.personKey) ?? []), w]);

  const seenIds = new Set<string>();
  let appliedUnanswered = 0;
  for (const [key, history] of byKey) {
    const creation = history[0] as Write;
    const lastAckedIndex = history.map((w) => w.outcome).lastIndexOf('acked');
    const found = others.filter((p) =>
      creation.outcome === 'acked'
        ? p.id === idOfKey.get(key)
        : isDeepStrictEqual(p.emails, creation.body.emails),
    );
    if (lastAckedIndex < 0) {
      // Created without an answer: wholly there, exactly as sent, or not at all.
      assert.ok(found.length <= 1, `${key}: ${found.length} people from one create`);
      if (found[0]) {
        assert.deepEqual(writtenFields(found[0]), expectedFields(creation.body), `${key}: unanswered create`);
        seenIds.add(found[0].id as string);
        appliedUnanswered += 1;
      }
      continue;
    }
    assert.equal(found.length, 1, `${key}: created with an answer, so present after the restart`);
    const person = found[0] as Json;
    seenIds.add(person.id as string);
    const lastAcked = history[lastAckedIndex] as Write;
    const unanswered = history.slice(lastAckedIndex + 1);
    // Writes to one person are sequential and the worker stops at its first failure: at most one more.
    assert.ok(unanswered.length <= 1, `${key}: ${unanswered.length} writes after the last answered one`);
    const now = person;
    const later = unanswered[0];
    if (later && isDeepStrictEqual(writtenFields(now), expectedFields(later.body))) {
      // The unanswered update made it, whole.
      assert.equal(now.created, lastAcked.response?.created, `${key}: created`);
      appliedUnanswered += 1;
    } else {
      assert.deepEqual(
        withoutPresence(now),
        withoutPresence(lastAcked.response ?? {}),
        `${key}: exactly as answered to ${lastAcked.kind} #${lastAcked.op}`,
      );
    }
  }
  // Nobody else: every person present is one that these writes made.
  assert.deepEqual(
    others.filter((p) => !seenIds.has(p.id as string)).map((p) => p.emails),
    [],
    'people that no write made',
  );
  // The email index agrees with the records: each email ever written finds its person iff it is current.
  for (const [key, history] of byKey) {
    const person = others.find((p) =>
      idOfKey.has(key)
        ? p.id === idOfKey.get(key)
        : isDeepStrictEqual(p.emails, (history[0] as Write).body.emails),
    );
    for (const w of history) {
      const email = (w.body.emails as string[])[0] as string;
      const list = await call(second.url, 'GET', `/v1/people?email=${encodeURIComponent(email)}`, {
        token: ADMIN,
      });
      assert.equal(list.status, 200);
      const ids = (list.body as { items: Json[] }).items.map((p) => p.id);
      const current = person !== undefined && (person.emails as string[]).includes(email);
      assert.deepEqual(ids, current ? [person.id] : [], `${key}: email ${email}`);
    }
  }
  console.log(
    `${TEST_STORE}: ${appliedUnanswered} of the ${failed.length} unanswered writes were applied (whole)`,
  );
  await second.stop();
});

/** A person without the presence fields, which activity (not the writes) changes. */
function withoutPresence(person: Json): Json {
  const copy = { ...person };
  delete copy.status;
  delete copy.lastActivity;
  return copy;
}

/** Every person of the admin's org, page by page (following the Link header). */
async function listAll(server: ServeProcess, token: string): Promise<Json[]> {
  const people: Json[] = [];
  let path: string | undefined = '/v1/people?max=1000&callingData=false';
  for (let pages = 0; path !== undefined; pages++) {
    assert.ok(pages < 20, 'too many pages');
    const reply = await call(server.url, 'GET', path, { token });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    people.push(...(reply.body as { items: Json[] }).items);
    const link = /<([^>]+)>;\s*rel="next"/.exec(reply.headers.get('link') ?? '')?.[1];
    path = link === undefined ? undefined : new URL(link).pathname + new URL(link).search;
  }
  return people;
}
