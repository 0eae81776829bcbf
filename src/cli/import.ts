import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ENV_NAMES } from '../config/config.js';
import type { DirectoryPersonEntry } from '../directory/directory-file-schema.js';
import {
  DirectoryDuplicates,
  DirectoryFileError,
  parseDirectory,
  personEntryWhere,
} from '../directory/parse-directory.js';
import { readPeopleBatches, readPeopleBatchesInWorker } from '../directory/read-directory-batches.js';
import { readDirectoryEntries } from '../directory/read-directory-stream.js';
import { systemClock } from '../domain/clock.js';
import { DuplicateEntryError } from '../domain/errors.js';
import { resolveUuidRef } from '../domain/ids.js';
import { hashToken } from '../domain/tokens.js';
import type { ImportCounts } from '../domain/people-store.js';
import { openStore } from '../store/open-store.js';

// `rollcall import <file>`: replaces the directory with a directory file of any size. The file is read
// in chunks and checked a batch at a time by the same code as `--seed` (parseDirectory), in a worker
// thread beside the one transaction that writes it: a bad file changes nothing, and its message names
// the entry as `--seed` would.

const DEMO_META_KEY = 'demo';
export const DEFAULT_BATCH_SIZE = 5000;

export interface ImportOptions {
  db: string;
  file: string;
  now?: number;
  /** People checked and written per batch (default 5,000). */
  batchSize?: number;
  /** Read and check the file in a worker thread, beside the writes (default true). */
  thread?: boolean;
}

export interface ImportSummary extends ImportCounts {
  ms: number;
}

export async function importDirectoryFile(options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const now = options.now ?? systemClock.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  try {
    statSync(options.file);
  } catch (error) {
    throw new DirectoryFileError(`Cannot read ${options.file}: ${(error as Error).message}`);
  }
  // The orgs come first: every person is checked against them.
  const orgEntries = [...readDirectoryEntries(options.file, 'orgs')];
  const { orgs } = parseDirectory({ orgs: orgEntries, people: [] }, now);
  const batchOptions = { file: options.file, orgEntries, now, batchSize };
  const batches =
    options.thread === false ? readPeopleBatches(batchOptions) : readPeopleBatchesInWorker(batchOptions);
  const store = openStore(options.db);
  try {
    let counts: ImportCounts;
    try {
      counts = await store.importDirectory(orgs, batches, now);
    } catch (error) {
      // Entries of different batches that share an ID, email or token: the database's unique keys
      // caught it; a second reading of the file says which entry it was.
      if (error instanceof DuplicateEntryError) findDuplicate(options.file);
      throw error;
    }
    await store.setMeta(DEMO_META_KEY, '0');
    return { ...counts, ms: performance.now() - started };
  } finally {
    await store.close();
  }
}

/** Throws the message parseDirectory gives for the first repeated person ID, email or token. */
function findDuplicate(file: string): void {
  const duplicates = new DirectoryDuplicates();
  let i = 0;
  for (const value of readDirectoryEntries(file, 'people')) {
    const entry = value as DirectoryPersonEntry;
    const where = personEntryWhere(entry, i);
    const id = entry.id === undefined ? undefined : resolveUuidRef('PEOPLE', entry.id);
    if (id !== undefined) duplicates.personId(id, entry.id, where);
    for (const email of entry.emails) duplicates.email(email, where);
    (entry.tokens ?? []).forEach((token, j) =>
      duplicates.tokenHash(
        hashToken(typeof token === 'string' ? token : token.token),
        `${where}.tokens[${j}]`,
      ),
    );
    i++;
  }
}

export function formatImportSummary(file: string, summary: ImportSummary): string {
  const n = (count: number, one: string, many: string) =>
    `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  return (
    `Imported ${n(summary.orgs, 'org', 'orgs')}, ${n(summary.people, 'person', 'people')} and ` +
    `${n(summary.tokens, 'token', 'tokens')} from ${file} in ${(summary.ms / 1000).toFixed(1)} s`
  );
}

/** Adds `rollcall import <file>` to the program. */
export function addImportCommand(cli: Command, database: (flag: string | undefined) => string): void {
  cli
    .command('import')
    .description(
      'Replace the directory with a directory file of any size (a bad file changes nothing); tokens in the file are kept.',
    )
    .argument('<file>', 'the directory file (as written by `rollcall export` or `rollcall generate`)')
    .option(
      '--db <file or url>',
      `SQLite file or postgres:// URL (env ${ENV_NAMES.db}, default ./rollcall.db)`,
    )
    .option('--batch-size <n>', `people checked and written at a time (default ${DEFAULT_BATCH_SIZE})`, (v) =>
      positiveInteger('--batch-size', v),
    )
    .action(async (file: string, flags: { db?: string; batchSize?: number }) => {
      const summary = await importDirectoryFile({
        db: database(flags.db),
        file,
        ...(flags.batchSize !== undefined && { batchSize: flags.batchSize }),
      });
      console.log(formatImportSummary(file, summary));
    });
}

export function positiveInteger(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(`${flag} must be a whole number ≥ ${min}`);
  }
  return n;
}
