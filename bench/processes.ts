import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// Child processes of the benchmarks: servers started here and waited for until they print the address
// they listen on, commands run to their end; all watched (CPU time, memory) and always stopped again,
// also when the run fails or is interrupted.

const running = new Set<ChildProcess>();

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** Standard output lines printed before the listening line. */
  output: readonly string[];
  /** Seconds from spawning to the listening line. */
  startS: number;
}

export interface StartOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** Matches the line that announces the address; its first group is the URL. */
  listening: RegExp;
  timeoutMs: number;
  /** Environment of the process (default: this one's). */
  env?: NodeJS.ProcessEnv;
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * bench/bare-server.ts with `args` (its usage says which), run through tsx; `nodeArgs` go to node first
 * (--cpu-prof). Resolves once it listens.
 */
export function startBareServer(
  name: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<Server> {
  return startServer({
    name,
    command: process.execPath,
    args: [...nodeArgs, '--import', 'tsx', join(BENCH_DIR, 'bare-server.ts'), ...args],
    cwd: dirname(BENCH_DIR),
    listening: /Bare server listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 30_000,
  });
}

/** Starts a server process and resolves once it prints its address; rejects (and kills it) otherwise. */
export function startServer(options: StartOptions): Promise<Server> {
  const started = performance.now();
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  return new Promise<Server>((resolve, reject) => {
    const output: string[] = [];
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopServer(child);
      reject(new Error(`${options.name} ${why}${stderr ? `:\n${stderr.trimEnd()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${options.timeoutMs} ms`), options.timeoutMs);
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited before listening (${signal ?? `code ${code}`})`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (settled) return;
      const match = options.listening.exec(line);
      if (!match?.[1]) {
        output.push(line);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        name: options.name,
        url: match[1],
        child,
        output,
        startS: (performance.now() - started) / 1000,
      });
    });
  });
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`. */
export async function stopServer(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopServer(child)));
}

/** Last resort, for `process.on('exit')`: nothing asynchronous can run there any more. */
export function killAllNow(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * CPU time a process has used so far, in ms, user and system (kernel) apart, from /proc (Linux);
 * undefined elsewhere. /proc counts in clock ticks, which are 1/100 s on Linux whatever the kernel's HZ.
 */
export function cpuTimeMs(pid: number | undefined): { user: number; system: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]) * 10;
    const system = Number(fields[12]) * 10;
    return Number.isFinite(user) && Number.isFinite(system) ? { user, system } : undefined;
  } catch {
    return undefined;
  }
}

/** Memory of a running process from /proc: the peak (VmHWM) and current (VmRSS) resident set, bytes. */
export function memoryOf(pid: number | undefined): { peak: number; current: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peak: kb('VmHWM') * 1024, current: kb('VmRSS') * 1024 };
  } catch {
    return undefined;
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  wallS: number;
  /** Highest VmHWM seen while it ran (sampled), in bytes. */
  peakRssBytes: number;
}

/** Runs a command to its end, sampling its peak memory every 200 ms. */
export function runToEnd(command: string, args: readonly string[], cwd: string): Promise<Finished> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let peak = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const sampler = setInterval(() => {
    // An exited process that is not reaped yet has no memory figures (NaN): keep the last.
    const sampled = memoryOf(child.pid)?.peak ?? 0;
    if (sampled > peak) peak = sampled;
  }, 200);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearInterval(sampler);
      running.delete(child);
      reject(error);
    });
    child.once('exit', (code) => {
      clearInterval(sampler);
      running.delete(child);
      resolve({ code, stdout, stderr, wallS: (performance.now() - started) / 1000, peakRssBytes: peak });
    });
  });
}
