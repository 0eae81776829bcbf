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
//                              [--connections 20] [--people 10000] [--tokens 300] [--smoke]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  elapsedS,
  ensureBuilt,
  integer,
  type LoadOptions,
  loadOptionSpecs,
  log,
  machine,
  postgresUrl,
  preflightPeople,
  readLoadOptions,
  ROOT,
  SMOKE_DURATION_S,
  startRollcall,
  writeResults,
} from './common.js';
import { detailsRequests } from './details-requests.js';
import { generateDirectory } from './generate-directory.js';
import { displayNameRequests, preflightList } from './list-requests.js';
import { failedRequests, runLoad, stopLoad, type BenchRequest, type LoadResult } from './load.js';
import { createBenchSchema, dropAllSchemas, withoutPassword } from './pg-schema.js';
import { startServer, stopAll, stopServer, type Server } from './processes.js';
import { interrupted, makeTempDir, runBench, UsageError } from './lifecycle.js';
import { Rng } from '../src/lib/seeded-random.js';
import { alignTable } from './report.js';

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
  --tokens <n>        people with a token, about one in five an admin (default 300)
  --smoke             a check, not a measurement: 200 people, ${SMOKE_DURATION_S} s per case, no results file`;

interface Options extends LoadOptions {
  db: string;
  instances: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      instances: { type: 'string', default: '2' },
      ...loadOptionSpecs({ duration: 8, warmup: 2, connections: 20, people: 10000, tokens: 300 }),
    },
  });
  const load = readLoadOptions(values, USAGE, { people: 100, tokens: 5 });
  const db = postgresUrl(values.db, '--db must be a postgres:// URL');
  if (db === undefined) throw new UsageError('--db must be a postgres:// URL');
  return { ...load, db, instances: integer('instances', values.instances, 2, 8) };
}

interface RunResult {
  key: string;
  name: string;
  instances: number;
  measured: LoadResult;
  warmup: LoadResult | undefined;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const loadAverageAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  await ensureBuilt();

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
    const server = await startRollcall({
      name: `rollcall serve #${i + 1}`,
      db: schema.url,
      ...(i === 0 && { seedFile }),
      env: SERVER_ENV,
    });
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

  if (options.smoke) log('Smoke run: no results file written');
  else
    writeResults('instances.json', {
      environment: {
        ...machine(),
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
    });
  log(`Done in ${elapsedS().toFixed(0)} s.`);
  return failures > 0 ? 1 : 0;
}

/** The first requests of each case, once each through the balancer: right status, right people. */
async function preflight(url: string, cases: readonly { key: string; requests: BenchRequest[] }[]) {
  for (const spec of cases) {
    if (spec.key === 'displayName') {
      await preflightList(url, 'displayName', spec.requests);
      continue;
    }
    await preflightPeople(url, spec.key, spec.requests, 50);
  }
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
