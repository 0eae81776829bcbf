import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllNow, stopAll } from './processes.js';

// How a benchmark script starts and ends: run main(), map its outcome to an exit code, and stop
// whatever it started (the child processes of bench/processes.ts, its temporary directory, and through
// the script's own stop() its load and PostgreSQL schemas) on every way out: the end, an error, Ctrl-C
// or SIGTERM.

/** A bad command line: the message and the usage, exit code 2. */
export class UsageError extends Error {}

let stopping = false;
let tempDir: { path: string; keep: boolean } | undefined;

/** The run's temporary directory, removed when the script ends unless `keep`. */
export function makeTempDir(prefix: string, keep = false): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  tempDir = { path, keep };
  return path;
}

function removeTempDir(): void {
  if (tempDir !== undefined && !tempDir.keep) rmSync(tempDir.path, { recursive: true, force: true });
  tempDir = undefined;
}

/** A signal came: main() should stop measuring and return. */
export const interrupted = (): boolean => stopping;

export interface BenchScript {
  /** How the script names itself in messages (`bench`, `bench:scale`, …). */
  name: string;
  usage: string;
  /** The benchmark; resolves to the exit code. */
  main: () => Promise<number>;
  /** Stops the load and drops what the run made in databases (the servers are stopped by then). */
  stop: () => Promise<void>;
}

/** Servers first: a schema is dropped once no server uses it. */
async function stopEverything(script: BenchScript): Promise<void> {
  await stopAll();
  await script.stop();
  removeTempDir();
}

export async function runBench(script: BenchScript): Promise<void> {
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping…\n`);
    await stopEverything(script);
    process.exit(130);
  };
  process.once('SIGINT', (signal) => void onSignal(signal));
  process.once('SIGTERM', (signal) => void onSignal(signal));
  process.on('exit', () => {
    killAllNow();
    removeTempDir();
  });

  try {
    process.exitCode = await script.main();
  } catch (error) {
    if (stopping) {
      process.exitCode = 130;
    } else if (error instanceof UsageError) {
      console.error(`${script.name}: ${error.message}\n${script.usage}`);
      process.exitCode = 2;
    } else {
      console.error(`${script.name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  } finally {
    await stopEverything(script);
  }
}
