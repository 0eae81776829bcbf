import { extname } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Directory } from '../domain/model.js';
import type { DirectoryBatch } from '../domain/people-store.js';
import { toDirectoryBatch } from '../store/directory-batch.js';
import { DirectoryFileError, parseDirectory } from './parse-directory.js';
import { readDirectoryEntries } from './read-directory-stream.js';

// The people of a directory file, checked and converted by parseDirectory (the code behind `--seed`)
// a batch at a time, then turned into table rows. In a worker thread, reading, JSON parsing, checking
// and building rows run beside the thread that writes the database; the writer still takes the batches
// one by one, synchronously, in file order.

export interface BatchOptions {
  file: string;
  /** The file's orgs, as read (every batch is checked against them). */
  orgEntries: unknown[];
  now: number;
  batchSize: number;
}

/** The batches, read in this thread. */
export function* readPeopleBatches(options: BatchOptions): Generator<DirectoryBatch, void, undefined> {
  const { file, orgEntries, now, batchSize } = options;
  let batch: unknown[] = [];
  let offset = 0;
  const convert = (): DirectoryBatch => {
    let directory: Directory;
    try {
      directory = parseDirectory({ orgs: orgEntries, people: batch }, now);
    } catch (error) {
      // Messages name `people[i]` of the batch; in the file it is `offset` further on.
      if (error instanceof DirectoryFileError && offset > 0) {
        throw new DirectoryFileError(
          error.message.replace(/^people\[(\d+)\]/, (_, i: string) => `people[${offset + Number(i)}]`),
        );
      }
      throw error;
    }
    offset += batch.length;
    batch = [];
    return toDirectoryBatch(directory.people, directory.tokens);
  };
  for (const entry of readDirectoryEntries(file, 'people')) {
    batch.push(entry);
    if (batch.length >= batchSize) yield convert();
  }
  if (batch.length > 0) yield convert();
}

export type WorkerMessage =
  | { kind: 'batch'; batch: DirectoryBatch }
  | { kind: 'error'; name: string; message: string }
  | { kind: 'done' };

/** Indexes into the shared counters: batches posted by the worker, batches taken by the reader. */
export const POSTED = 0;
export const TAKEN = 1;
/** Batches the worker may be ahead of the writer (memory stays bounded). */
export const MAX_AHEAD = 4;
const STALL_MS = 2 * 60 * 1000;

/** Loads the worker's module, and says so through the channel when that fails. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})().catch((error) => {
  workerData.port.postMessage({ kind: 'error', name: 'Error', message: String(error && error.message) });
  Atomics.add(workerData.counters, ${POSTED}, 1);
  Atomics.notify(workerData.counters, ${POSTED});
});
`;

/**
 * The batches, read by a worker thread. The generator blocks (Atomics.wait) until the next batch is
 * there; leaving it early stops the worker.
 */
export function* readPeopleBatchesInWorker(
  options: BatchOptions,
): Generator<DirectoryBatch, void, undefined> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  // The entry point next to this module: .js when built, .ts when run from source through tsx, whose
  // loader a worker does not inherit.
  const entry = new URL(
    `./read-directory-worker${extname(new URL(import.meta.url).pathname)}`,
    import.meta.url,
  );
  const loader = entry.pathname.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { options, port: port2, counters, entry: entry.href, loader },
    transferList: [port2],
  });
  worker.unref();
  try {
    for (let taken = 0; ;) {
      let received = receiveMessageOnPort(port1);
      while (received === undefined) {
        if (Atomics.wait(counters, POSTED, taken, STALL_MS) === 'timed-out') {
          throw new Error(`reading ${options.file}: the reading thread stopped answering`);
        }
        received = receiveMessageOnPort(port1);
      }
      Atomics.store(counters, TAKEN, ++taken);
      Atomics.notify(counters, TAKEN);
      const message = received.message as WorkerMessage;
      if (message.kind === 'done') return;
      if (message.kind === 'error') {
        throw message.name === 'DirectoryFileError'
          ? new DirectoryFileError(message.message)
          : new Error(`reading ${options.file}: ${message.message}`);
      }
      yield message.batch;
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
}
