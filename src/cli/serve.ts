import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.js';
import type { Config } from '../config/config.js';
import { controlOptionsFor } from '../control/control-options.js';
import { ControllableClock } from '../domain/clock.js';
import { openStore } from '../store/open-store.js';
import { Redis } from 'ioredis';
import { tuneHeapForServing } from './heap-tuning.js';
import { isDemo, loadDemo, mintDemoTokens, seedFromFile } from '../directory/load-directory.js';

export interface ServeOptions {
  config: Config;
  /** Load the demo directory into an empty database (default: only on the default database file). */
  demo: boolean;
  print: (line: string) => void;
}

export async function serve({ config, demo, print }: ServeOptions): Promise<void> {
  tuneHeapForServing();
  const clock = new ControllableClock();
  const store = openStore(config.db, {
    poolSize: config.dbPoolSize,
    migrate: config.migrate,
    backgroundCheckpoints: true,
  });
  try {
    if (config.seed !== undefined) {
      print(`Loaded ${await seedFromFile(store, config.seed, clock)} people from ${config.seed}`);
    } else if (demo && (await store.countPeople()) === 0) {
      await loadDemo(store, clock);
      print('Loaded the demo directory (Acme, managed by Northwind Partners).');
    }
    await store.deleteExpiredTokens(clock.now());
    if (await isDemo(store)) (await mintDemoTokens(store, clock)).forEach((line) => print(line));
  } catch (error) {
    await store.close();
    throw error;
  }

  const redis = config.redis === undefined ? undefined : connectRedis(config.redis);
  const control = controlOptionsFor(config);
  const app = await buildApp({ store, clock, settings: config, control, ...(redis && { redis }) });
  const stop = async () => {
    // In-flight requests finish and are sent whole; new connections are refused; then the database closes.
    await app.close();
    await store.close();
    await redis?.quit();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  print(`Rollcall listening on http://${host}:${address.port}`);
}

function connectRedis(url: string): Redis {
  return new Redis(url, {
    // Fail a command fast rather than queueing it while Redis is away: rate limiting then skips it.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Reconnect forever, soon after a blip and every second during an outage (logged by watchRedis).
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
}
