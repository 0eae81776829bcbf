import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, staleBuild } from './build.js';
import { UsageError } from './lifecycle.js';
import type { BenchRequest } from './load.js';
import { startServer, type Server } from './processes.js';

// What the benchmark scripts share: where things are, how a command line is read (with `--help` and
// `--smoke`), building, starting `rollcall serve` and waiting until it is ready, checking answers
// before any load (the preflight), and writing the figures.

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const CLI = join(ROOT, 'bin', 'rollcall.js');

/**
 * `--smoke`: a tiny directory and a fraction of a second per case, so that a run takes seconds. It
 * checks that every case starts and answers correctly (the preflight, and no failed request under
 * load), asserts no figure and writes no results file. CI runs it (`npm run bench:smoke`).
 */
export const SMOKE_DURATION_S = 0.2;

/** The options a smoke run overrides. */
const SMOKE = {
  durationS: SMOKE_DURATION_S,
  warmupS: 0,
  connections: 2,
  people: 200,
  tokens: 20,
} as const;

const t0 = performance.now();

/** A progress line on stderr, with the seconds since the script started. */
export function log(line: string): void {
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Seconds since the script started. */
export function elapsedS(): number {
  return (performance.now() - t0) / 1000;
}

/** The load and directory every benchmark is told about. */
export interface LoadOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  people: number;
  tokens: number;
  smoke: boolean;
}

type LoadOptionName = 'duration' | 'warmup' | 'connections' | 'people' | 'tokens';

/** parseArgs options for the load and directory, with the script's defaults, plus --smoke and --help. */
export function loadOptionSpecs(defaults: Record<LoadOptionName, number>) {
  const option = (value: number) => ({ type: 'string', default: String(value) }) as const;
  return {
    duration: option(defaults.duration),
    warmup: option(defaults.warmup),
    connections: option(defaults.connections),
    people: option(defaults.people),
    tokens: option(defaults.tokens),
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
}

/**
 * The load and directory options parsed with loadOptionSpecs(): `--help` prints `usage` and exits,
 * `--smoke` replaces them with SMOKE (at least `least.people` people), a bad value is a UsageError.
 */
export function readLoadOptions(
  values: Record<LoadOptionName, string> & { smoke: boolean; help: boolean },
  usage: string,
  least: { people: number; tokens: number },
): LoadOptions {
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (values.smoke) return { ...SMOKE, people: Math.max(SMOKE.people, least.people), smoke: true };
  const options = {
    durationS: integer('duration', values.duration, 1),
    warmupS: integer('warmup', values.warmup, 0),
    connections: integer('connections', values.connections, 1),
    people: integer('people', values.people, least.people),
    tokens: integer('tokens', values.tokens, least.tokens),
    smoke: false,
  };
  if (options.tokens > options.people / 2) throw new UsageError('--tokens must be at most half of --people');
  return options;
}

/** The integer value of option `--name`, from `min` to `max`, or a UsageError. */
export function integer(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      max === Number.MAX_SAFE_INTEGER
        ? `--${name} must be an integer ≥ ${min}`
        : `--${name} must be an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/** `--db`: undefined, or a postgres:// URL (anything else is a UsageError saying `why`). */
export function postgresUrl(value: string | undefined, why: string): string | undefined {
  if (value !== undefined && !/^postgres(ql)?:\/\//.test(value)) throw new UsageError(why);
  return value;
}

/** Runs `npm run build` when dist/ is older than the sources (or always, with `force`). */
export async function ensureBuilt(force = false): Promise<void> {
  const stale = force ? 'asked for' : staleBuild();
  if (stale === undefined) {
    log('dist/ is newer than src/: not building');
    return;
  }
  log(`Building (npm run build; ${stale})…`);
  await build();
}

export interface RollcallOptions {
  name: string;
  /** SQLite file or postgres:// URL. */
  db: string;
  /** Directory file loaded with --seed. */
  seedFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Arguments for node before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
}

/** `rollcall serve` (the built one), started and waited for until /readyz answers 200. */
export async function startRollcall(options: RollcallOptions): Promise<Server> {
  const seed = options.seedFile === undefined ? [] : ['--seed', options.seedFile];
  const server = await startServer({
    name: options.name,
    command: process.execPath,
    args: [
      ...(options.nodeArgs ?? []),
      CLI,
      'serve',
      '--port',
      '0',
      '--db',
      options.db,
      ...seed,
      '--log-level',
      'silent',
    ],
    cwd: ROOT,
    listening: /Rollcall listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 120_000,
    ...(options.env !== undefined && { env: options.env }),
  });
  const notReadyMs = await waitUntilReady(server.url);
  if (notReadyMs > 0)
    log(`${options.name} was not ready (/readyz) for ${notReadyMs} ms after it started listening`);
  return server;
}

/**
 * Polls /readyz (or /healthz where there is none) until it answers 200: a server that sheds load on
 * event-loop lag may still be counting its own start-up. Returns how long it was not ready (0: it was at
 * once); throws after 30 s.
 */
export async function waitUntilReady(url: string): Promise<number> {
  const start = Date.now();
  let probe = '/readyz';
  let last = '';
  while (Date.now() - start < 30_000) {
    const response = await fetch(`${url}${probe}`).catch((error: unknown) => error as Error);
    if (!(response instanceof Error) && response.status === 200) return last ? Date.now() - start : 0;
    if (!(response instanceof Error) && response.status === 404 && probe === '/readyz') {
      await response.body?.cancel();
      probe = '/healthz';
      continue;
    }
    last = response instanceof Error ? response.message : `${response.status} ${await response.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`GET ${url}${probe} did not answer 200 within 30 s (last: ${last})`);
}

/**
 * Preflight of a Get Person case: sends the first `count` requests once and checks that each answers
 * 200 with the person it asked for (`expectedId`, by default the ID in the path). Returns the bodies.
 */
export async function preflightPeople(
  url: string,
  name: string,
  requests: readonly BenchRequest[],
  count: number,
  expectedId: (request: BenchRequest) => string | undefined = (r) => r.path.split('/')[3]?.split('?')[0],
): Promise<string[]> {
  const bodies: string[] = [];
  for (const request of requests.slice(0, count)) {
    const response = await fetch(`${url}${request.path}`, { headers: request.headers });
    const body = await response.text();
    if (response.status !== 200) {
      throw new Error(`preflight: ${name}: GET ${request.path} answered ${response.status}: ${body}`);
    }
    const id = (JSON.parse(body) as { id?: string }).id;
    if (id !== expectedId(request)) {
      throw new Error(`preflight: ${name}: GET ${request.path} returned person ${id}`);
    }
    bodies.push(body);
  }
  return bodies;
}

/** The machine the figures were taken on. */
export function machine(): { date: string; node: string; platform: string; cpus: number; cpuModel: string } {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  };
}

/** Writes bench/results/`name` (pretty JSON) and says where. */
export function writeResults(name: string, figures: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, name);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`Figures written to ${relative(process.cwd(), file) || file}`);
}
