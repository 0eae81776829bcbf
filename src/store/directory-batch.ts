import type { PersonRecord, TokenRecord } from '../domain/model.js';
import type { DirectoryBatch } from '../domain/people-store.js';
import { PERSON_COLUMNS, toPersonRow } from './person-row.js';

/** `people` in the form `importDirectory` takes them, with `tokens`. */
export function toDirectoryBatch(people: readonly PersonRecord[], tokens: TokenRecord[]): DirectoryBatch {
  const batch: DirectoryBatch = { people: [], emails: [], tokens };
  for (const person of people) {
    const row = toPersonRow(person);
    batch.people.push(PERSON_COLUMNS.map((column) => row[column]));
    for (const email of person.emails) batch.emails.push([email.toLowerCase(), person.id]);
  }
  return batch;
}
