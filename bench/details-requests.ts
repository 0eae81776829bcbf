import { encodeHydraId } from '../src/domain/ids.js';
import type { BenchDirectory } from './generate-directory.js';
import type { BenchRequest } from './load.js';
import type { Rng } from '../src/lib/seeded-random.js';

/**
 * Get Person Details requests: callers drawn from all token holders (admins and plain users), asking
 * mostly for people of their own org and sometimes for anyone.
 */
export function detailsRequests(rng: Rng, directory: BenchDirectory, count: number): BenchRequest[] {
  return Array.from({ length: count }, () => {
    const caller = rng.pick(directory.callers);
    const sameOrg = directory.peopleByOrg.get(caller.orgId) ?? [];
    const target = rng.chance(0.8) && sameOrg.length > 0 ? rng.pick(sameOrg) : rng.pick(directory.allPeople);
    return {
      path: `/v1/people/${encodeHydraId('PEOPLE', target)}`,
      headers: { authorization: `Bearer ${caller.token}` },
    };
  });
}
