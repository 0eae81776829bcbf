import { readFile } from 'node:fs/promises';
import type { Clock } from '../domain/clock.js';
import { toIso } from '../domain/clock.js';
import { DirectoryFileError, parseDirectory, parseDirectoryFile } from './parse-directory.js';
import { DEMO_TOKEN_HOLDERS, demoDirectory } from './demo-directory.js';
import { TokenService } from '../domain/token-service.js';
import type { PeopleStore } from '../domain/people-store.js';

const DEMO_META_KEY = 'demo';
const DEMO_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Replaces the directory with a directory file; a bad file is rejected before anything is written. */
export async function seedFromFile(store: PeopleStore, path: string, clock: Clock): Promise<number> {
  const directory = parseDirectoryFile(await readDirectoryText(path), clock.now());
  await store.replaceDirectory(directory, clock.now());
  await markDemo(store, false);
  return directory.people.length;
}

export async function loadDemo(store: PeopleStore, clock: Clock): Promise<void> {
  await store.replaceDirectory(parseDirectory(demoDirectory(clock.now()), clock.now()), clock.now());
  await markDemo(store, true);
}

export async function isDemo(store: PeopleStore): Promise<boolean> {
  return (await store.getMeta(DEMO_META_KEY)) === '1';
}

/** Whether the directory is the demo one (then `serve` mints fresh tokens for its people at start). */
export async function markDemo(store: PeopleStore, demo: boolean): Promise<void> {
  await store.setMeta(DEMO_META_KEY, demo ? '1' : '0');
}

/** Fresh tokens for a few demo people, valid for a day, so that a first `curl` works at once. */
export async function mintDemoTokens(store: PeopleStore, clock: Clock): Promise<string[]> {
  const tokens = new TokenService(store, clock);
  const expiresAt = clock.now() + DEMO_TOKEN_LIFETIME_MS;
  const lines: string[] = [];
  for (const email of DEMO_TOKEN_HOLDERS) {
    lines.push(`  ${email.padEnd(22)} ${await tokens.create(email, expiresAt)}`);
  }
  return [`Demo tokens (valid until ${toIso(expiresAt)}):`, ...lines];
}

async function readDirectoryText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new DirectoryFileError(`Cannot read the directory file ${path}: ${(error as Error).message}`);
  }
}
