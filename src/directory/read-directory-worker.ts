import { workerData, type MessagePort } from 'node:worker_threads';
import {
  MAX_AHEAD,
  POSTED,
  readPeopleBatches,
  TAKEN,
  type BatchOptions,
  type WorkerMessage,
} from './read-directory-batches.js';

// The worker thread of readPeopleBatchesInWorker: posts the batches of a directory file in order, never
// more than MAX_AHEAD ahead of the thread that takes them, then `done` (or the first error).

const { options, port, counters } = workerData as {
  options: BatchOptions;
  port: MessagePort;
  counters: Int32Array;
};

let posted = 0;
const post = (message: WorkerMessage) => {
  for (;;) {
    const taken = Atomics.load(counters, TAKEN);
    if (posted - taken < MAX_AHEAD) break;
    Atomics.wait(counters, TAKEN, taken);
  }
  port.postMessage(message);
  Atomics.store(counters, POSTED, ++posted);
  Atomics.notify(counters, POSTED);
};

try {
  for (const batch of readPeopleBatches(options)) post({ kind: 'batch', batch });
  post({ kind: 'done' });
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'error', name, message });
}
port.close();
