import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import {
  generatedOrgEntries,
  generatePeople,
  tokenHolderOf,
  type GenerateOptions,
} from '../src/directory/generate-directory.js';

// The benchmark's directory: what `rollcall generate` writes (three orgs, the second managing the first),
// held in memory with the token holders the load is sent as.

export interface BenchCaller {
  token: string;
  personId: string;
  orgId: string;
  /** Holds an admin role (full, user or read-only) that makes them an admin of `adminOf`. */
  admin: boolean;
  /** The orgs this caller is an admin of (own org plus managed orgs), empty for plain users. */
  adminOf: readonly string[];
}

export interface BenchDirectory {
  file: DirectoryFile;
  /** Person UUIDs by org UUID. */
  peopleByOrg: ReadonlyMap<string, readonly string[]>;
  allPeople: readonly string[];
  callers: readonly BenchCaller[];
}

export function generateDirectory(options: {
  people: number;
  tokenHolders: number;
  seed: number;
}): BenchDirectory {
  const generate: GenerateOptions = {
    people: options.people,
    orgs: 3,
    seed: options.seed,
    tokens: options.tokenHolders,
  };
  const orgs = generatedOrgEntries(generate);
  const people = [...generatePeople(generate)];
  const peopleByOrg = new Map<string, string[]>(orgs.map((org) => [org.id, []]));
  for (const person of people) peopleByOrg.get(person.orgId)?.push(person.id as string);
  const managed = new Map(orgs.map((org) => [org.id, org.manages ?? []]));
  const callers = people.flatMap((person): BenchCaller[] => {
    const holder = tokenHolderOf(person);
    if (holder === undefined) return [];
    const admin = holder.role !== undefined;
    return [
      {
        token: holder.token,
        personId: holder.personId,
        orgId: holder.orgId,
        admin,
        adminOf: admin ? [holder.orgId, ...(managed.get(holder.orgId) ?? [])] : [],
      },
    ];
  });
  return { file: { orgs, people }, peopleByOrg, allPeople: people.map((p) => p.id as string), callers };
}
