import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// How a benchmark script starts and ends: run main(), map its outcome to an exit code, and stop
// whatever it started (servers, load, its temporary directory, PostgreSQL schemas) on every way out:
// the end, an error, Ctrl-C or SIGTERM.

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
  /** Stops the load and the servers and drops what the run made in databases. */
  stop: () => Promise<void>;
  /** Kills the servers at once: the last word when the process exits anyway. */
  killNow: () => void;
}

export async function runBench(script: BenchScript): Promise<void> {
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping…\n`);
    await script.stop();
    removeTempDir();
    process.exit(130);
  };
  process.once('SIGINT', (signal) => void onSignal(signal));
  process.once('SIGTERM', (signal) => void onSignal(signal));
  process.on('exit', () => {
    script.killNow();
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
    await script.stop();
    removeTempDir();
  }
}
