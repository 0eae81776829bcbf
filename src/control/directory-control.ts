import { isDemo, markDemo } from '../directory/load-directory.js';
import { exportDirectory } from '../directory/export-directory.js';
import type { DirectoryFile } from '../directory/directory-file-schema.js';
import { DirectoryFileError, parseDirectory } from '../directory/parse-directory.js';
import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Clock } from '../domain/clock.js';
import { BadRequestError, ConflictError } from '../domain/errors.js';
import type { Directory } from '../domain/model.js';
import type { PeopleStore } from '../domain/people-store.js';

export interface DirectoryCounts {
  orgs: number;
  people: number;
  tokens: number;
}

/** Reset keeps the starting directory in memory; beyond this many people it keeps none. */
export const MAX_RESET_PEOPLE = 100_000;

interface InitialDirectory {
  directory: Directory;
  demo: boolean;
}

/**
 * Replaces, exports and resets the whole directory. "Reset" restores what the store held when the
 * server became ready: orgs, people (with their presence) and token records — tokens minted since are
 * gone, tokens revoked since work again. Every change is one store transaction: all of it or nothing.
 */
export class DirectoryControl {
  private initial: InitialDirectory | undefined;

  constructor(
    private readonly store: PeopleStore,
    private readonly clock: Clock,
    private readonly activity: ActivityTracker,
    private readonly auth: AuthService,
  ) {}

  /** Remembers the directory that reset restores; called once, when the server is ready. */
  async captureInitial(): Promise<void> {
    if ((await this.store.countPeople()) > MAX_RESET_PEOPLE) return;
    const { orgs, people } = await this.store.readDirectory();
    const tokens = await this.store.listTokens();
    this.initial = { directory: { orgs, people, tokens }, demo: await isDemo(this.store) };
  }

  /** `json` is a directory file, as for `--seed`; a bad one is a 400 naming the entry and changes nothing. */
  async load(json: unknown): Promise<DirectoryCounts> {
    let directory: Directory;
    try {
      directory = parseDirectory(json, this.clock.now());
    } catch (error) {
      if (error instanceof DirectoryFileError)
        throw new BadRequestError(`Invalid directory file: ${error.message}`);
      throw error;
    }
    return this.replace(directory, false);
  }

  async export(): Promise<DirectoryFile> {
    await this.activity.flush();
    return exportDirectory(await this.store.readDirectory());
  }

  async reset(): Promise<DirectoryCounts> {
    if (!this.initial) {
      throw new ConflictError(
        `The server started with more than ${MAX_RESET_PEOPLE} people, a directory too large to keep for reset. Load a directory file instead.`,
      );
    }
    return this.replace(this.initial.directory, this.initial.demo);
  }

  private async replace(directory: Directory, demo: boolean): Promise<DirectoryCounts> {
    // Activity still in memory belongs to the old directory: written to it first, then replaced with it.
    await this.activity.flush();
    await this.store.replaceDirectory(directory, this.clock.now());
    this.auth.forgetAll();
    await markDemo(this.store, demo);
    return { orgs: directory.orgs.length, people: directory.people.length, tokens: directory.tokens.length };
  }
}
