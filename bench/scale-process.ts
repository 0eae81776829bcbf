import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// The child processes of the scale benchmark (`rollcall import`, `rollcall serve`): started, watched
// for their memory, and always stopped again, also when the benchmark fails or is interrupted.

const running = new Set<ChildProcess>();

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  wallS: number;
  /** Highest VmHWM seen while it ran (sampled), in bytes. */
  peakRssBytes: number;
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

export interface Server {
  url: string;
  child: ChildProcess;
  startS: number;
}

/** Starts a server and resolves with the URL of the line that `listening` matches. */
export function startServer(
  command: string,
  args: readonly string[],
  cwd: string,
  listening: RegExp,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Server> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(child);
      reject(new Error(`the server ${why}${stderr ? `:\n${stderr.trimEnd()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited before listening (${signal ?? `code ${code}`})`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = listening.exec(line)?.[1];
      if (settled || url === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url, child, startS: (performance.now() - started) / 1000 });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

/** For `process.on('exit')`, where nothing asynchronous runs any more. */
export function killAllNow(): void {
  for (const child of running) child.kill('SIGKILL');
}
