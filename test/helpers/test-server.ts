import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppSettings } from '../../src/app.js';
import { parseDirectory } from '../../src/directory/parse-directory.js';
import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import type { PeopleStore } from '../../src/domain/people-store.js';
import type { ControlOptions } from '../../src/control/control-options.js';
import { openStore } from '../../src/store/open-store.js';
import { resolveConfig } from '../../src/config/config.js';
import { createTestDatabase } from './test-database.js';

export const DEFAULT_NOW = Date.parse('2026-01-15T12:00:00.000Z');

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: PeopleStore;
  clock: ManualClock;
  /** GET/POST/... over real HTTP on loopback, with a bearer token when given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A real Rollcall server on 127.0.0.1 (random port) over a fresh real database (a SQLite file, or a
 * PostgreSQL schema when ROLLCALL_TEST_STORE=postgres), seeded with `directory`, on a manual clock.
 */
export async function startTestServer(
  directory: DirectoryFile,
  // The control API is on, as for any server on loopback, unless `control` says otherwise.
  options: { now?: number; settings?: Partial<AppSettings>; control?: ControlOptions } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const store = openStore(database.url, { poolSize: 4 });
  const clock = new ManualClock(options.now ?? DEFAULT_NOW);
  await store.replaceDirectory(parseDirectory(directory, clock.now()), clock.now());
  const app = await buildApp({
    store,
    clock,
    settings: {
      ...resolveConfig({}, {}),
      activityFlushMs: 60_000,
      logLevel: 'silent',
      // Load shedding off unless a test turns it on: a busy CI machine must not see 503s.
      maxEventLoopDelayMs: 0,
      ...options.settings,
    },
    control: options.control ?? { enabled: true },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    store,
    clock,
    request: (path, init = {}) => {
      const { token, ...rest } = init;
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    close: async () => {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}
