import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own threshold, in WAL pages, for the checkpoint run by the committing connection. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The worker's code: its own connection to the file, a PASSIVE checkpoint every `intervalMs` (copies
 * what it can without waiting for readers or the writer), closed on `stop`. Plain CommonJS evaluated in
 * the worker, so that it starts without the TypeScript loader the tests run under; it only needs the
 * driver, whose path it is given.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Resolves once the worker has run a last checkpoint and closed its connection. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints of `db` off the thread that serves requests. SQLite checkpoints in the
 * connection whose commit takes the WAL past 1000 pages: that commit copies the pages into the database
 * file and syncs it, and the server's event loop stops meanwhile (docs/adr/0002-sqlite-durability.md).
 * Here `db` never checkpoints by itself; a worker thread with its own connection does, every
 * `intervalMs`. Should the worker fail, `db` goes back to checkpointing by itself.
 */
export function startWalCheckpointer(db: Database.Database, intervalMs: number): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { filename: db.name, driver, intervalMs },
  });
  // The process may exit without stopping it: a checkpoint cut short is safe, SQLite redoes it.
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const checkpointInPlace = () => {
    if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  };
  worker.on('error', checkpointInPlace);
  worker.once('exit', checkpointInPlace);
  db.pragma('wal_autocheckpoint = 0');
  return {
    async stop() {
      stopping = true;
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
