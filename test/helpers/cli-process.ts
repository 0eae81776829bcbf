import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The `rollcall` command as a user runs it: `node bin/rollcall.js …` in a child process (which runs the
// compiled dist/, so `npm run build` must have run), with every wait bounded so a test never hangs.
// The one place tests start `rollcall serve` (startServe, and spawnServer for the usual flags): every
// child and temp directory made here is tracked, and `cleanUp()` (in `after`) removes what is left.

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'rollcall.js');
export const WAIT_MS = 30_000;

export const LISTENING = /^Rollcall listening on http:\/\/127\.0\.0\.1:(\d+)$/m;

const children = new Set<ChildProcess>();
/** Process groups (a watcher and the server it runs). */
const groups = new Set<number>();
const tempDirs = new Set<string>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Kills every child still running (SIGKILL), waits for them to exit and removes every temp directory
 * made here (for `after`).
 */
export async function cleanUp(): Promise<void> {
  const exits = [...children].map(
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
  for (const pid of groups) killGroup(pid);
  groups.clear();
  await Promise.all(exits);
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function tempDir(prefix = 'rollcall-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Writes `content` (JSON unless a string) to a fresh temp directory; removed by cleanUp(). */
export function writeTempFile(name: string, content: unknown): string {
  const path = join(tempDir('rollcall-spawn-'), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The test's environment without HOST, PORT and ROLLCALL_* (and node:test's own marker), plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'HOST' || key === 'PORT' || key.startsWith('ROLLCALL_') || key.startsWith('NODE_TEST'))
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface SpawnOptions {
  /** Default: the repository root. */
  cwd?: string;
  /** Default: cleanEnv(). */
  env?: NodeJS.ProcessEnv;
  /** How long the command may run before it is killed and the test fails (default WAIT_MS). */
  timeoutMs?: number;
  /** runCli: kill the command as soon as its standard output matches this, and return. */
  until?: RegExp;
  /** startServe: called with the process id as soon as the process is started (before it listens). */
  onSpawn?: (pid: number) => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Launched {
  child: ChildProcess;
  /** Settles once the child has exited and its output is closed. */
  done: Promise<Exit>;
}

function launch(args: readonly string[], options: SpawnOptions): Launched {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const done = new Promise<Exit>((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, done };
}

/** The exit of a launched child; kills it and rejects when it takes longer than `ms`. */
function bounded({ child, done }: Launched, ms: number, what: () => string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${ms} ms (killed): ${what()}`));
    }, ms);
    void done.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs `rollcall <args>` to completion (at most WAIT_MS) and returns its exit and output. */
export async function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliResult> {
  const launched = launch(args, options);
  const { child } = launched;
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (options.until?.test(stdout)) child.kill('SIGKILL');
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = await bounded(
    launched,
    options.timeoutMs ?? WAIT_MS,
    () => `rollcall ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`,
  );
  return { ...exit, stdout, stderr };
}

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and waits (at most `ms`) for the exit; `elapsedMs` counts from the signal. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<Exit & { elapsedMs: number }>;
  /** Waits for an exit already on its way (at most `ms`). */
  exited(ms?: number): Promise<Exit>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<Exit>;
}

/**
 * Starts `rollcall serve <args>` and resolves once it has printed its listening line and answered
 * `GET /healthz` (an answer proves that it has run everything that follows the line, including the
 * installation of its signal handlers). Rejects with its output when it exits first or is not ready
 * within WAIT_MS.
 */
export async function startServe(args: readonly string[], options: SpawnOptions = {}): Promise<ServeProcess> {
  const launched = launch(['serve', ...args], options);
  const { child } = launched;
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (why: string | undefined, port = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why === undefined) {
        resolve(port);
        return;
      }
      child.kill('SIGKILL');
      reject(new Error(`rollcall serve ${args.join(' ')}: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => settle(`not listening after ${WAIT_MS} ms`), WAIT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = LISTENING.exec(stdout);
      if (match) settle(undefined, Number(match[1]));
    });
    child.once('exit', (code, signal) =>
      settle(`exited (${String(code)}, ${String(signal)}) before listening`),
    );
  });
  const health = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(WAIT_MS) });
  await health.arrayBuffer();
  if (health.status !== 200) {
    child.kill('SIGKILL');
    throw new Error(`rollcall serve ${args.join(' ')}: GET /healthz answered ${health.status}`);
  }
  const exited = (ms = WAIT_MS) =>
    bounded(launched, ms, () => `rollcall serve ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', ms = WAIT_MS) => {
    const start = Date.now();
    child.kill(signal);
    const exit = await exited(ms);
    return { ...exit, elapsedMs: Date.now() - start };
  };
  return {
    child,
    pid: child.pid as number,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop,
    kill: () => stop('SIGKILL'),
  };
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

/** `rollcall serve --port 0 --db <db> [--seed <file>] <args> --log-level silent`, through startServe. */
export function spawnServer(options: SpawnServerOptions): Promise<ServeProcess> {
  const seed = options.seed === undefined ? [] : ['--seed', options.seed];
  return startServe(
    ['--port', '0', '--db', options.db, ...seed, ...(options.args ?? []), '--log-level', 'silent'],
    options.onSpawn === undefined ? {} : { onSpawn: options.onSpawn },
  );
}

/** The lines a process printed, without the trailing empty one. */
export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

/** GET over real HTTP; the body is parsed as JSON when there is one. */
export async function getJson(url: string, token?: string): Promise<JsonReply> {
  const headers = new Headers();
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(WAIT_MS) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
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

// ---------------------------------------------------------------------------------------------------
// A signal that arrives the moment the listening line is out.

const WATCHER = `
signal=$1; shift
coproc SERVER { exec "$@" 2>/dev/null; }
while IFS= read -r line <&"\${SERVER[0]}"; do
  case "$line" in "Rollcall listening on "*) kill "-$signal" "$SERVER_PID"; echo "$line"; break;; esac
  echo "$line"
done
wait "$SERVER_PID"
echo "status $?"
`;

/** The first CPU this process may run on. */
function firstCpu(): string {
  const list = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' }).stdout;
  return /:\s*(\d+)/.exec(list)?.[1] ?? '0';
}

export interface WatchedExit {
  /** What the server printed, up to its listening line. */
  printed: string[];
  /** The server's exit status as a shell reports it: 128 + n for a death by signal n. */
  status: number;
}

/**
 * Runs `rollcall serve <args>` under a small shell watcher that sends `signal` as soon as it reads the
 * listening line. Both run on one CPU, and the watcher wins that CPU the moment the line wakes it: it
 * runs at real-time priority where that is allowed, else the server runs at idle priority. So the
 * signal is pending before the server executes a single instruction after writing the line, whatever
 * the load of the machine: the exit shows whether the server was ready for a signal when it said so.
 */
export async function signalOnListeningLine(
  args: readonly string[],
  signal: NodeJS.Signals,
  options: SpawnOptions = {},
): Promise<WatchedExit> {
  const realtime = spawnSync('chrt', ['-f', '1', 'true']).status === 0;
  const server = [process.execPath, BIN, 'serve', ...args];
  const command = realtime
    ? ['chrt', '--reset-on-fork', '-f', '1', 'bash', '-c', WATCHER, 'watcher', signal.slice(3), ...server]
    : ['bash', '-c', WATCHER, 'watcher', signal.slice(3), 'chrt', '-i', '0', ...server];
  const watcher = spawn('taskset', ['-c', firstCpu(), ...command], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = watcher.pid ?? 0;
  groups.add(pid);
  let stdout = '';
  watcher.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        killGroup(pid);
        reject(
          new Error(`watched rollcall serve ${args.join(' ')}: still running after ${WAIT_MS} ms\n${stdout}`),
        );
      }, options.timeoutMs ?? WAIT_MS);
      watcher.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    killGroup(pid);
    groups.delete(pid);
  }
  const printed = lines(stdout);
  const status = /^status (\d+)$/.exec(printed.pop() ?? '')?.[1];
  if (status === undefined) throw new Error(`the watcher did not report a status:\n${stdout}`);
  return { printed, status: Number(status) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
