import type { DirectoryPersonEntry } from '../src/directory/directory-file-schema.js';
import { encodeHydraId } from '../src/domain/ids.js';
import type { BenchCaller, BenchDirectory } from './generate-directory.js';
import type { BenchRequest } from './load.js';
import { prefixOf } from './prefixes.js';
import type { Rng } from '../src/lib/seeded-random.js';

// List People requests of `npm run bench`, all by admins: displayName prefixes (max=100), emails, and
// lists of 85 IDs (the most Webex allows), drawn from the generated directory; and their preflight.

const bearer = (caller: BenchCaller) => ({ authorization: `Bearer ${caller.token}` });

interface Indexed {
  admins: BenchCaller[];
  byOrg: Map<string, DirectoryPersonEntry[]>;
  people: readonly DirectoryPersonEntry[];
}

function indexed(directory: BenchDirectory): Indexed {
  const byOrg = new Map<string, DirectoryPersonEntry[]>();
  for (const person of directory.file.people) {
    const list = byOrg.get(person.orgId) ?? [];
    if (list.length === 0) byOrg.set(person.orgId, list);
    list.push(person);
  }
  return { admins: directory.callers.filter((c) => c.admin), byOrg, people: directory.file.people };
}

/** Mostly someone in an org the admin administers, sometimes anyone. */
function pickPerson(rng: Rng, index: Indexed, caller: BenchCaller): DirectoryPersonEntry {
  if (rng.chance(0.2)) return rng.pick(index.people);
  return rng.pick(index.byOrg.get(rng.pick(caller.adminOf)) ?? index.people);
}

export function displayNameRequests(rng: Rng, directory: BenchDirectory, count: number): BenchRequest[] {
  const index = indexed(directory);
  return Array.from({ length: count }, () => {
    const caller = rng.pick(index.admins);
    const prefix = prefixOf(rng, pickPerson(rng, index, caller).displayName ?? '');
    return { path: `/v1/people?displayName=${encodeURIComponent(prefix)}&max=100`, headers: bearer(caller) };
  });
}

export function emailRequests(rng: Rng, directory: BenchDirectory, count: number): BenchRequest[] {
  const index = indexed(directory);
  return Array.from({ length: count }, () => {
    const caller = rng.pick(index.admins);
    const email = rng.pick(pickPerson(rng, index, caller).emails);
    return { path: `/v1/people?email=${encodeURIComponent(email)}`, headers: bearer(caller) };
  });
}

export function idListRequests(rng: Rng, directory: BenchDirectory, count: number): BenchRequest[] {
  const index = indexed(directory);
  return Array.from({ length: count }, () => {
    const ids = new Set<string>();
    while (ids.size < 85) ids.add(rng.pick(directory.allPeople));
    const list = [...ids].map((id) => encodeHydraId('PEOPLE', id)).join(',');
    return { path: `/v1/people?id=${list}`, headers: bearer(rng.pick(index.admins)) };
  });
}

interface ListBody {
  items: { id: string; displayName: string; emails: string[] }[];
}

export type ListCaseKey = 'displayName' | 'email' | 'ids';

/**
 * Sends the first requests of a list case once each and checks the answers: 200, at most 100 people
 * whose names start with the prefix, the person with the email, all 85 people of an ID list.
 */
export async function preflightList(url: string, key: ListCaseKey, requests: readonly BenchRequest[]) {
  let found = 0;
  for (const request of requests.slice(0, key === 'ids' ? 10 : 100)) {
    const response = await fetch(`${url}${request.path}`, { headers: request.headers });
    const text = await response.text();
    const fail = (why: string) => new Error(`preflight: GET ${request.path.slice(0, 120)} ${why}`);
    if (response.status !== 200) throw fail(`answered ${response.status}: ${text}`);
    const { items } = JSON.parse(text) as ListBody;
    const query = new URL(request.path, url).searchParams;
    if (key === 'displayName') {
      const prefix = query.get('displayName')?.toLowerCase() ?? '';
      if (items.length > 100) throw fail(`returned ${items.length} people`);
      const wrong = items.find((p) => !p.displayName.toLowerCase().startsWith(prefix));
      if (wrong) throw fail(`returned ${wrong.displayName}`);
    } else if (key === 'email') {
      const email = query.get('email')?.toLowerCase() ?? '';
      // Someone of an org the admin does not administer may be invisible: none, or that one.
      if (items.length > 1 || items.some((p) => !p.emails.some((e) => e.toLowerCase() === email))) {
        throw fail(`returned ${items.length} people, not the one with that email`);
      }
    } else if (items.length !== 85) {
      throw fail(`returned ${items.length} people, not 85`);
    }
    found += items.length;
  }
  if (found === 0) throw new Error(`preflight: no ${key} request found anyone; the case tests nothing`);
}
