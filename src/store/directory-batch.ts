import type { PersonRecord, TokenRecord } from '../domain/model.js';
import { PERSON_COLUMNS, toPersonRow, type PersonRow } from './person-row.js';

/** One person as a row of the people table: the values of PERSON_COLUMNS, in that order. */
export type PersonValues = PersonRow[keyof PersonRow][];

/**
 * A slice of a directory being imported, already in the form the tables take. `rollcall import` builds
 * it in the thread that reads the file, so the thread that writes the database only inserts; flat
 * arrays of strings and numbers are also quicker to pass between threads than nested records.
 */
export interface DirectoryBatch {
  people: PersonValues[];
  /** Every email of those people, lowercased, with the person's ID. */
  emails: [emailLower: string, personId: string][];
  tokens: TokenRecord[];
}

export function toDirectoryBatch(people: readonly PersonRecord[], tokens: TokenRecord[]): DirectoryBatch {
  const batch: DirectoryBatch = { people: [], emails: [], tokens };
  for (const person of people) {
    const row = toPersonRow(person);
    batch.people.push(PERSON_COLUMNS.map((column) => row[column]));
    for (const email of person.emails) batch.emails.push([email.toLowerCase(), person.id]);
  }
  return batch;
}
