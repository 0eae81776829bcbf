import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// Child processes of the benchmark: started here, waited for until they print the address they
// listen on, and always stopped again, also when the run fails or is interrupted.

const running = new Set<ChildProcess>();

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** Standard output lines printed before the listening line. */
  output: readonly string[];
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

/** Starts a server process and resolves once it prints its address; rejects (and kills it) otherwise. */
export function startServer(options: StartOptions): Promise<Server> {
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
      resolve({ name: options.name, url: match[1], child, output });
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
