import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The `rollcall` command as a user runs it: `node bin/rollcall.js …` in a child process (which runs the
// compiled dist/, so `npm run build` must have run), with every wait bounded so a test never hangs.

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

/** Kills every child still running and removes every temp directory made here (for `after`). */
export function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const pid of groups) killGroup(pid);
  groups.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function tempDir(prefix = 'rollcall-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
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
  port: number;
  url: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and waits (at most `ms`) for the exit; `elapsedMs` counts from the signal. */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<Exit & { elapsedMs: number }>;
  /** Waits for an exit already on its way (at most `ms`). */
  exited(ms?: number): Promise<Exit>;
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
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    stop: async (signal = 'SIGTERM', ms = WAIT_MS) => {
      const start = Date.now();
      child.kill(signal);
      const exit = await exited(ms);
      return { ...exit, elapsedMs: Date.now() - start };
    },
  };
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

// ---------------------------------------------------------------------------------------------------
// A raw HTTP/1.1 connection, for requests that must still be on the wire when the server is signalled.

export interface RawResponse {
  status: number;
  /** Lowercased header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body has all the bytes its Content-Length announced. */
  complete: boolean;
}

/** One keep-alive connection to 127.0.0.1:`port` that a test writes to and reads from by hand. */
export class RawConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private ended = false;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Stops reading: what the server sends stays in the kernel's buffers and then in the server. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  get closedByPeer(): boolean {
    return this.ended;
  }

  received(): number {
    return this.buffer.length;
  }

  /** Waits until at least `bytes` bytes have arrived (or the connection closed, or `ms` passed). */
  async waitForBytes(bytes: number, ms = WAIT_MS): Promise<void> {
    await this.waitUntil(() => this.buffer.length >= bytes, ms);
  }

  /** Waits for `text` at the start of what arrived and consumes it (e.g. an interim 100 Continue). */
  async expectPrefix(text: string, ms = WAIT_MS): Promise<boolean> {
    await this.waitUntil(() => this.buffer.length >= Buffer.byteLength(text), ms);
    const head = this.buffer.subarray(0, Buffer.byteLength(text)).toString('latin1');
    if (head !== text) return false;
    this.buffer = this.buffer.subarray(Buffer.byteLength(text));
    return true;
  }

  /**
   * Reads one response: until its Content-Length is satisfied, or the server closes the connection,
   * or `ms` pass. Rejects when not even the head arrived.
   */
  async readResponse(ms = WAIT_MS): Promise<RawResponse> {
    const headEnd = () => this.buffer.indexOf('\r\n\r\n');
    await this.waitUntil(() => headEnd() >= 0, ms);
    const end = headEnd();
    if (end < 0) {
      throw new Error(`no response head (received ${this.buffer.length} bytes, closed: ${this.ended})`);
    }
    const [statusLine = '', ...headerLines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyStart = end + 4;
    await this.waitUntil(() => this.buffer.length - bodyStart >= length, ms);
    const body = this.buffer.subarray(bodyStart, bodyStart + length);
    this.buffer = this.buffer.subarray(bodyStart + body.length);
    return {
      status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0),
      headers,
      body,
      complete: body.length === length,
    };
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async waitUntil(done: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done() && !this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
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
