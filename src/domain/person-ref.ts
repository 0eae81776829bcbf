import type { PeopleStore } from './people-store.js';
import { resolveUuidRef } from './ids.js';

/** The stored id of the person `ref` names (hydra ID, UUID or email address); undefined if none. */
export async function findPersonId(store: PeopleStore, ref: string): Promise<string | undefined> {
  if (ref.includes('@')) return store.findPersonIdByEmail(ref);
  const id = resolveUuidRef('PEOPLE', ref);
  if (id === undefined) return undefined;
  return (await store.getPerson(id)) ? id : undefined;
}
