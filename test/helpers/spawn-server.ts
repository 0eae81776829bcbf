import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `rollcall serve` in a child process, as a user starts it: `node bin/rollcall.js serve --port 0 --db …`
// (the compiled dist/, so `npm run build` must have run), with a clean environment and bounded waits.
// Every child and temp directory made here is tracked; `cleanUpServers()` (in `after`) kills and removes
// whatever is left.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'rollcall.js');
const LISTENING = /^Rollcall listening on http:\/\/127\.0\.0\.1:(\d+)$/m;
export const START_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number;
  /** Everything the process printed so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<Exit>;
}

export interface SpawnServerOptions {
  /** SQLite file or postgres:// URL. */
  db: string;
  /** Directory file passed as --seed. */
  seed?: string;
  /** More flags, e.g. ['--activity-flush-ms', '200']. */
  args?: readonly string[];
  /** Called with the process id as soon as the process is started (before it listens). */
  onSpawn?: (pid: number) => void;
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** The environment without HOST, PORT, ROLLCALL_* and node:test's own variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'HOST' || key === 'PORT' || key.startsWith('ROLLCALL_') || key.startsWith('NODE_TEST'))
      continue;
    env[key] = value;
  }
  return env;
}

/** Starts `rollcall serve` and resolves once it prints its listening line (rejects after 15 s). */
export async function spawnServer(options: SpawnServerOptions): Promise<SpawnedServer> {
  const args = [
    BIN,
    'serve',
    '--port',
    '0',
    '--db',
    options.db,
    ...(options.seed === undefined ? [] : ['--seed', options.seed]),
    ...(options.args ?? []),
    '--log-level',
    'silent',
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const describe = () => `rollcall ${args.slice(1).join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`;

  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const match = LISTENING.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not listening after ${START_TIMEOUT_MS} ms: ${describe()}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', onData);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(
        new Error(`exited (${String(exit.code)}, ${String(exit.signal)}) before listening: ${describe()}`),
      );
    });
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop,
    kill: () => stop('SIGKILL'),
  };
}

/** Writes `content` (JSON unless a string) to a fresh temp directory; removed by cleanUpServers(). */
export function writeTempFile(name: string, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-spawn-'));
  tempDirs.add(dir);
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Kills every server still running (SIGKILL) and removes the temp files; for `after`. */
export async function cleanUpServers(): Promise<void> {
  const waits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** One request over HTTP with an optional bearer token and JSON body; bounded to 10 s. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; timeoutMs?: number } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}
