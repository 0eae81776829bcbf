import { buildApp } from '../app.js';
import { resolveConfig } from '../config/config.js';
import { ControllableClock } from '../domain/clock.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';

/**
 * The OpenAPI document Rollcall serves at /openapi.json, made without listening: an app with the
 * default settings on an in-memory database. `npm run openapi` writes it to docs/openapi.json.
 */
export async function openApiDocument(): Promise<unknown> {
  const store = openSqliteStore(':memory:');
  const settings = { ...resolveConfig({}, {}), logLevel: 'silent' as const };
  // As `rollcall serve` on its default (loopback) address: with the control API.
  const app = await buildApp({ store, clock: new ControllableClock(), settings, control: { enabled: true } });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await store.close();
  }
}
