// `npm run bench:instances -- --db postgres://…`: one Rollcall instance against several on one
// PostgreSQL database.
//
// Builds the project (when src/ changed), generates the directory of `npm run bench`, loads it into a
// fresh schema of the database through the first `rollcall serve` (--seed), starts the others on the
// same schema, and puts a TCP balancer (bench/balancer.ts, round-robin per connection) in front. Each
// case is measured first with the balancer sending every connection to one instance, then with it
// spreading them over all: the same path for both, so only the number of instances differs. Rate
// limits and the overload protection are off: what is measured is the throughput. Prints req/s and
// p50/p99 of both, writes bench/results/instances.json, and exits 1 if any response was not a 2xx.
//
//   npm run bench:instances -- --db postgres://… [--instances 2] [--duration 8] [--warmup 2]
//                              [--connections 20] [--people 10000] [--tokens 300]
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, staleBuild } from './build.js';
import { detailsRequests } from './details-requests.js';
import { generateDirectory } from './generate-directory.js';
import { displayNameRequests, preflightList } from './list-requests.js';
import { failedRequests, runLoad, stopLoad, type BenchRequest, type LoadResult } from './load.js';
import { createBenchSchema, dropAllSchemas, withoutPassword } from './pg-schema.js';
import { startServer, stopAll, stopServer, type Server } from './processes.js';
import { interrupted, makeTempDir, runBench, UsageError } from './lifecycle.js';
import { Rng } from '../src/domain/seeded-random.js';
import { alignTable } from './report.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const REQUESTS_PER_CASE = 10_000;
// The throughput is measured, not the protections: no per-token rate limit, no 503 on event-loop lag
// or on queries waiting for a connection (the load generator and PostgreSQL share the CPUs).
const SERVER_ENV = {
  ...process.env,
  ROLLCALL_RATE_LIMIT: '1000000000',
  ROLLCALL_MAX_EVENT_LOOP_DELAY_MS: '0',
  ROLLCALL_MAX_DB_WAITING: '0',
};

const USAGE = `usage: npm run bench:instances -- --db postgres://… [options]
  --db <url>          the PostgreSQL database (a fresh schema of it is used, then dropped)
  --instances <n>     instances behind the balancer in the second run (default 2)
  --duration <s>      measured seconds per case and run (default 8)
  --warmup <s>        warm-up seconds per case and run (default 2)
  --connections <n>   concurrent connections (default 20)
  --people <n>        people in the generated directory (default 10000)
  --tokens <n>        people with a token, about one in five an admin (default 300)`;

interface Options {
  db: string;
  instances: number;
  durationS: number;
  warmupS: number;
  connections: number;
  people: number;
  tokens: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      instances: { type: 'string', default: '2' },
      duration: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '20' },
      people: { type: 'string', default: '10000' },
      tokens: { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const integer = (name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  if (values.db === undefined || !/^postgres(ql)?:\/\//.test(values.db)) {
    throw new UsageError('--db must be a postgres:// URL');
  }
  const options = {
    db: values.db,
    instances: integer('instances', values.instances, 2, 8),
    durationS: integer('duration', values.duration, 1),
    warmupS: integer('warmup', values.warmup, 0),
    connections: integer('connections', values.connections, 1),
    people: integer('people', values.people, 100),
    tokens: integer('tokens', values.tokens, 5),
  };
  if (options.tokens > options.people / 2) throw new UsageError('--tokens must be at most half of --people');
  return options;
}

interface RunResult {
  key: string;
  name: string;
  instances: number;
  measured: LoadResult;
  warmup: LoadResult | undefined;
}

const t0 = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const loadAverageAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const stale = staleBuild();
  if (stale !== undefined) {
    log(`Building (npm run build; ${stale})…`);
    await build();
  }

  const tmp = makeTempDir('rollcall-instances-');
  const directory = generateDirectory({
    people: options.people,
    tokenHolders: options.tokens,
    seed: 20240601,
  });
  const seedFile = join(tmp, 'dir.json');
  writeFileSync(seedFile, JSON.stringify(directory.file));
  const schema = await createBenchSchema(options.db, 'instances');
  log(`Directory: ${directory.allPeople.length} people; PostgreSQL schema ${schema.name}`);

  // The first instance loads the directory; the others only open the same schema.
  const instances: Server[] = [];
  for (let i = 0; i < options.instances; i++) {
    const seed = i === 0 ? ['--seed', seedFile] : [];
    const server = await startServer({
      name: `rollcall serve #${i + 1}`,
      command: process.execPath,
      args: [
        join(ROOT, 'bin', 'rollcall.js'),
        'serve',
        '--port',
        '0',
        '--db',
        schema.url,
        ...seed,
        '--log-level',
        'silent',
      ],
      cwd: ROOT,
      listening: /Rollcall listening on (http:\/\/127\.0\.0\.1:\d+)/,
      timeoutMs: 120_000,
      env: SERVER_ENV,
    });
    await waitUntilReady(server.url);
    log(`Instance ${i + 1} on ${server.url}`);
    instances.push(server);
  }

  const rng = new Rng(7);
  const cases: { key: string; name: string; requests: BenchRequest[] }[] = [
    {
      key: 'details',
      name: 'GET /v1/people/{id}',
      requests: detailsRequests(rng, directory, REQUESTS_PER_CASE),
    },
    {
      key: 'displayName',
      name: 'GET /v1/people?displayName=<prefix>&max=100 (admins)',
      requests: displayNameRequests(rng, directory, REQUESTS_PER_CASE),
    },
  ];

  const results: RunResult[] = [];
  for (const count of [1, options.instances]) {
    if (interrupted()) break;
    const ports = instances.slice(0, count).map((s) => new URL(s.url).port);
    const balancer = await startServer({
      name: 'balancer',
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'bench', 'balancer.ts'), ...ports],
      cwd: ROOT,
      listening: /Balancer listening on (http:\/\/127\.0\.0\.1:\d+)/,
      timeoutMs: 30_000,
    });
    log(`Balancer on ${balancer.url} in front of ${count} instance${count === 1 ? '' : 's'}`);
    await preflight(balancer.url, cases);
    for (const spec of cases) {
      if (interrupted()) break;
      log(
        `${spec.name}, ${count} instance(s): ${options.warmupS} s warm-up, ${options.durationS} s measured…`,
      );
      const load = { url: balancer.url, requests: spec.requests, connections: options.connections };
      const warmup = options.warmupS > 0 ? await runLoad({ ...load, durationS: options.warmupS }) : undefined;
      const measured = await runLoad({ ...load, durationS: options.durationS });
      results.push({ key: spec.key, name: spec.name, instances: count, measured, warmup });
    }
    await stopServer(balancer.child);
  }
  if (interrupted()) return 130;
  await stopAll();
  await schema.drop();

  const failed = (m: LoadResult | undefined) => (m === undefined ? 0 : failedRequests(m));
  const failures = results.reduce((sum, r) => sum + failed(r.warmup) + failed(r.measured), 0);
  const rows = cases.map((spec) => {
    const one = results.find((r) => r.key === spec.key && r.instances === 1)?.measured;
    const many = results.find((r) => r.key === spec.key && r.instances === options.instances)?.measured;
    return {
      spec,
      one,
      many,
      ratio: one && many && one.requestsPerSecond > 0 ? many.requestsPerSecond / one.requestsPerSecond : 0,
    };
  });
  const format = (r: LoadResult | undefined) =>
    r === undefined
      ? ['', '', '']
      : [r.requestsPerSecond.toFixed(0), r.latencyMs.p50.toFixed(2), r.latencyMs.p99.toFixed(2)];

  console.log('');
  console.log(
    `Rollcall on PostgreSQL, 1 instance vs ${options.instances}, behind the same TCP balancer: ` +
      `${directory.allPeople.length} people, ${options.connections} connections, ` +
      `${options.warmupS} s warm-up + ${options.durationS} s per case`,
  );
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `load average (1 min) ${loadAverageAtStart[0]} at start, ${loadavg()[0]?.toFixed(2)} at end`,
  );
  console.log(
    `Instances, balancer, PostgreSQL and the load generator share these ${cpus().length} CPUs: ` +
      'with few cores the second instance mostly competes with the others for them.',
  );
  console.log('');
  console.log(
    alignTable(
      [
        'case',
        '1 instance req/s',
        'p50 ms',
        'p99 ms',
        `${options.instances} instances req/s`,
        'p50 ms',
        'p99 ms',
        `${options.instances}/1`,
      ],
      rows.map((r) => [r.spec.name, ...format(r.one), ...format(r.many), r.ratio.toFixed(2)]),
    ),
  );
  console.log('');
  for (const r of results) {
    const bad = [r.warmup, r.measured].filter((m): m is LoadResult => failed(m) > 0);
    for (const m of bad) {
      console.log(
        `ERROR ${r.name}, ${r.instances} instance(s): ${m.non2xx} non-2xx, ${m.errors} errors, ` +
          `${m.timeouts} timeouts; status codes ${JSON.stringify(m.statusCodes)}`,
      );
    }
  }

  mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonFile = join(RESULTS_DIR, 'instances.json');
  writeFileSync(
    jsonFile,
    `${JSON.stringify(
      {
        environment: {
          date: new Date().toISOString(),
          node: process.version,
          platform: `${platform()} ${arch()}`,
          cpus: cpus().length,
          loadAverageAtStart,
          loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
        },
        options: { ...options, db: withoutPassword(options.db) },
        failures,
        cases: rows.map((r) => ({
          key: r.spec.key,
          name: r.spec.name,
          oneInstance: r.one,
          instances: r.many,
          ratio: r.ratio,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`Figures written to ${relative(process.cwd(), jsonFile) || jsonFile}`);
  log(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
  return failures > 0 ? 1 : 0;
}

/** The first requests of each case, once each through the balancer: right status, right people. */
async function preflight(url: string, cases: readonly { key: string; requests: BenchRequest[] }[]) {
  for (const spec of cases) {
    if (spec.key === 'displayName') {
      await preflightList(url, 'displayName', spec.requests);
      continue;
    }
    for (const request of spec.requests.slice(0, 50)) {
      const response = await fetch(`${url}${request.path}`, { headers: request.headers });
      const body = await response.text();
      const id = (JSON.parse(body) as { id?: string }).id;
      if (response.status !== 200 || id !== request.path.split('/')[3]) {
        throw new Error(`preflight: GET ${request.path} answered ${response.status}: ${body}`);
      }
    }
  }
}

/** Polls /readyz until it answers 200 (30 s at most). */
async function waitUntilReady(url: string): Promise<void> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < 30_000) {
    const response = await fetch(`${url}/readyz`).catch((error: unknown) => error as Error);
    if (!(response instanceof Error) && response.status === 200) return;
    last = response instanceof Error ? response.message : `${response.status} ${await response.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`GET ${url}/readyz did not answer 200 within 30 s (last: ${last})`);
}

await runBench({
  name: 'bench:instances',
  usage: USAGE,
  main,
  stop: async () => {
    stopLoad();
    await dropAllSchemas();
  },
});
