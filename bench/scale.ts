// `npm run bench:scale`: Rollcall with a directory of a million people.
//
// Builds the project; generates the directory (3 orgs, the second managing the first) into
// bench/results/, or reuses the file made with the same options by the same generator; times
// `rollcall import` into a fresh database and shows the plans of the list queries on it; starts
// `rollcall serve` on it and drives List People with autocannon over loopback (displayName prefixes as
// an admin, emails, 85 IDs), then pages through the largest org with max=1000. Prints req/s and p50/p99
// per case, the import time and the server's peak RSS against the targets, and writes
// bench/results/scale.json. Exits 1 if a request failed or a query plan reads a whole table.
// With `--db postgres://…` all of it runs on PostgreSQL instead: the import goes into a fresh schema of
// that database (dropped at the end unless --keep-db), and the plans are PostgreSQL's EXPLAIN.
//
//   npm run bench:scale -- [--people 1000000] [--orgs 3] [--seed 42] [--tokens 100]
//                          [--connections 50] [--duration 10] [--warmup 2] [--rate 50] [--keep-db]
//                          [--db postgres://…] [--smoke]
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { GeneratedTokenHolder } from '../src/directory/generate-directory.js';
import { Rng } from '../src/lib/seeded-random.js';
import { encodeHydraId } from '../src/domain/ids.js';
import { scaleDirectory, type SampledPerson, type ScaleDirectory } from './scale-directory.js';
import { prefixOf } from './prefixes.js';
import { failedRequests, percentile, runLoad, stopLoad, type BenchRequest, type LoadResult } from './load.js';
import { createBenchSchema, dropAllSchemas, withoutPassword } from './pg-schema.js';
import { explainPgListQueries, schemaBytes, SEQ_SCAN_MIN_ROWS } from './scale-plans-pg.js';
import { explainListQueries, type QueryPlan } from './scale-plans.js';
import type { PeopleStore } from '../src/domain/people-store.js';
import {
  CLI,
  elapsedS,
  ensureBuilt,
  integer,
  type LoadOptions,
  loadOptionSpecs,
  log,
  machine,
  postgresUrl,
  readLoadOptions,
  RESULTS_DIR,
  ROOT,
  SMOKE_DURATION_S,
  startRollcall,
  writeResults,
} from './common.js';
import { interrupted, makeTempDir, runBench } from './lifecycle.js';
import { alignTable } from './report.js';
import { memoryOf, runToEnd, startBareServer, stopServer } from './processes.js';

const TARGETS = { importS: 60, listP99Ms: 10, peakRssMB: 300 };
const REQUESTS_PER_CASE = 5000;
// What is measured is the directory, not the protections: no per-token rate limit (50 connections
// share a few dozen tokens), no 503 when the event loop lags (the load generator shares the CPUs).
const SERVER_ENV = {
  ...process.env,
  ROLLCALL_RATE_LIMIT: '1000000000',
  ROLLCALL_MAX_EVENT_LOOP_DELAY_MS: '0',
};
const MB = 1024 * 1024;

const USAGE = `usage: npm run bench:scale -- [options]
  --people <n>        people in the generated directory (default 1000000)
  --orgs <n>          orgs (default 3)
  --seed <n>          generator seed (default 42)
  --tokens <n>        token holders, every fifth an admin (default 100)
  --connections <n>   concurrent connections (default 50)
  --duration <s>      measured seconds per case (default 10)
  --warmup <s>        warm-up seconds per case (default 2)
  --rate <req/s>      also measure the prefix and email cases on one connection at this rate,
                      0 for not (default 50)
  --keep-db           keep the imported database (its path, or PostgreSQL schema, is printed)
  --db <url>          a postgres:// URL: import into a fresh schema of it and serve from PostgreSQL
  --smoke             a check, not a measurement: 1,000 people, ${SMOKE_DURATION_S} s per case, no results file`;

interface Options extends LoadOptions {
  orgs: number;
  seed: number;
  rate: number;
  keepDb: boolean;
  /** A postgres:// URL: PostgreSQL instead of a SQLite file. */
  db: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...loadOptionSpecs({ duration: 10, warmup: 2, connections: 50, people: 1_000_000, tokens: 100 }),
      orgs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      rate: { type: 'string', default: '50' },
      'keep-db': { type: 'boolean', default: false },
      db: { type: 'string' },
    },
  });
  return {
    // At least 1,000 people: id= lists of 85 are drawn from a sample of them.
    ...readLoadOptions(values, USAGE, { people: 1000, tokens: 10 }),
    db: postgresUrl(values.db, '--db must be a postgres:// URL (without it, the database is a SQLite file)'),
    orgs: integer('orgs', values.orgs, 1),
    seed: integer('seed', values.seed, 0),
    rate: integer('rate', values.rate, 0),
    keepDb: values['keep-db'],
  };
}

interface CaseResult {
  key: string;
  name: string;
  example: string;
  mode: 'closed loop' | 'fixed rate';
  connections: number;
  rate?: number;
  run: LoadResult;
  /** p99 target of the case, when it has one. */
  targetP99Ms?: number;
}

interface Paging {
  pages: number;
  people: number;
  expected: number;
  seconds: number;
  pageMs: { p50: number; p99: number; max: number };
}

let keepTmp = false;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  await ensureBuilt();

  keepTmp = options.keepDb;
  const tmp = makeTempDir('rollcall-scale-', keepTmp);
  // A smoke run's directory is not worth keeping for the next run.
  const directoryDir = options.smoke ? tmp : RESULTS_DIR;
  mkdirSync(directoryDir, { recursive: true });
  const directory = await scaleDirectory(
    directoryDir,
    { people: options.people, orgs: options.orgs, seed: options.seed, tokens: options.tokens },
    [join(ROOT, 'src', 'directory', 'generate-directory.ts'), join(ROOT, 'src', 'lib', 'seeded-random.ts')],
    log,
  );

  const schema = options.db === undefined ? undefined : await createBenchSchema(options.db, 'scale');
  const db = schema?.url ?? join(tmp, 'scale.db');
  const store = schema === undefined ? 'SQLite' : `PostgreSQL (schema ${schema.name})`;
  log(`rollcall import ${relative(ROOT, directory.file)} --db ${db}…`);
  const imported = await runToEnd(process.execPath, [CLI, 'import', directory.file, '--db', db], ROOT);
  if (imported.code !== 0) throw new Error(`rollcall import failed (${imported.code}):\n${imported.stderr}`);
  const importLine = imported.stdout.trim();
  log(
    `${importLine} (wall ${imported.wallS.toFixed(1)} s, peak RSS ${(imported.peakRssBytes / MB).toFixed(0)} MB)`,
  );
  const dbBytes = schema === undefined ? statSync(db).size : await schemaBytes(db);

  const { plans, planNote } = await explain(db, schema !== undefined, directory);
  for (const plan of plans) log(`plan of ${plan.name}: ${plan.plan.join(' / ')}`);

  const server = await startRollcall({
    name: 'rollcall serve',
    db,
    // PostgreSQL: no 503 either while queries wait for a connection of the pool.
    env: schema === undefined ? SERVER_ENV : { ...SERVER_ENV, ROLLCALL_MAX_DB_WAITING: '0' },
  });
  const pid = server.child.pid;
  const rssAtStart = memoryOf(pid)?.current ?? 0;
  log(`Server on ${server.url} after ${server.startS.toFixed(1)} s, RSS ${(rssAtStart / MB).toFixed(0)} MB`);

  const rng = new Rng(options.seed + 1);
  const requests = {
    displayName: prefixRequests(rng, directory),
    email: emailRequests(rng, directory),
    ids: idRequests(rng, directory),
  };
  await preflight(server.url, requests);

  const specs: { key: keyof typeof requests; name: string; targetP99Ms?: number; fixedRate: boolean }[] = [
    {
      key: 'displayName',
      name: 'GET /v1/people?displayName=<prefix>&max=100 (admins)',
      targetP99Ms: TARGETS.listP99Ms,
      fixedRate: true,
    },
    { key: 'email', name: 'GET /v1/people?email=<email>', targetP99Ms: TARGETS.listP99Ms, fixedRate: true },
    { key: 'ids', name: 'GET /v1/people?id=<85 IDs>', fixedRate: false },
  ];
  const cases: CaseResult[] = [];
  for (const spec of specs) {
    if (interrupted()) break;
    const load = { url: server.url, requests: requests[spec.key], connections: options.connections };
    log(
      `${spec.name}: ${options.warmupS} s warm-up, ${options.durationS} s at ${options.connections} connections…`,
    );
    if (options.warmupS > 0) await runLoad({ ...load, durationS: options.warmupS });
    const example = requests[spec.key][0]?.path ?? '';
    cases.push({
      key: spec.key,
      name: spec.name,
      example,
      mode: 'closed loop',
      connections: options.connections,
      run: await runLoad({ ...load, durationS: options.durationS }),
      ...(spec.targetP99Ms !== undefined && { targetP99Ms: spec.targetP99Ms }),
    });
    if (spec.fixedRate && options.rate > 0 && !interrupted()) {
      log(
        `${spec.name}: ${options.warmupS} s warm-up, ${options.durationS} s on one connection at ${options.rate} req/s…`,
      );
      // One connection: autocannon's rate limit lets each connection send its quota for the second back
      // to back at the start of the second, so 50 connections at 1 req/s arrive as one burst of 50 every
      // second and measure that burst's queue (p99 about 110 ms for email on 10,000 people, against 4.7 ms
      // on one connection). On one connection each request waits only for itself.
      const fixedRate = { ...load, connections: 1, rate: options.rate };
      // The warm-up at the fixed rate lets the server finish what the closed loop left queued, and the
      // garbage collector catch up, before the latency without queueing is measured.
      if (options.warmupS > 0) await runLoad({ ...fixedRate, durationS: options.warmupS });
      cases.push({
        key: `${spec.key}@${options.rate}`,
        name: `  same, one connection at ${options.rate} req/s`,
        example,
        mode: 'fixed rate',
        connections: 1,
        rate: options.rate,
        run: await runLoad({ ...fixedRate, durationS: options.durationS }),
      });
    }
  }
  // The floor: a bare Fastify route answering one page of each case, always the same, at the same
  // concurrency. A target that it misses cannot be met on this machine by any server.
  for (const key of ['displayName', 'email'] as const) {
    if (interrupted()) break;
    const name = `bare Fastify route, one ${key} page (fixed)`;
    log(
      `${name}: ${options.warmupS} s warm-up, ${options.durationS} s at ${options.connections} connections…`,
    );
    const run = await measureBare(server.url, requests[key], options, join(tmp, key));
    cases.push({
      key: `${key}:bare`,
      name,
      example: '/v1/people',
      mode: 'closed loop',
      connections: options.connections,
      run,
    });
  }
  if (interrupted()) return 130;

  const largest = [...directory.orgs].sort((a, b) => b.people - a.people)[0];
  const pager = directory.holders.find((h) => h.orgId === largest?.id && h.role !== undefined);
  if (!largest || !pager) throw new Error('no admin with a token in the largest org');
  log(
    `Paging through ${largest.displayName} (${largest.people.toLocaleString('en-US')} people) with max=1000…`,
  );
  const paging = await pageThrough(server.url, pager, largest.people);
  log(`${paging.pages} pages, ${paging.people} people in ${paging.seconds.toFixed(1)} s`);

  const memory = memoryOf(pid);
  await stopServer(server.child);

  const environment = machine();
  const importS = imported.wallS;
  const peakRssMB = (memory?.peak ?? 0) / MB;
  const failures = cases.reduce((sum, c) => sum + failedRequests(c.run), 0);
  const fullScans = plans.filter((p) => p.fullScans.length > 0);
  const checks = [
    {
      what: `import of ${options.people.toLocaleString('en-US')} people`,
      value: `${importS.toFixed(1)} s`,
      target: `< ${TARGETS.importS} s`,
      met: importS < TARGETS.importS,
    },
    {
      what: 'server peak RSS (VmHWM)',
      value: `${peakRssMB.toFixed(0)} MB`,
      target: `< ${TARGETS.peakRssMB} MB`,
      met: peakRssMB > 0 && peakRssMB < TARGETS.peakRssMB,
    },
    ...cases
      .filter((c) => c.targetP99Ms !== undefined)
      .map((c) => ({
        what: `${c.key} p99 at ${c.connections} connections`,
        value: `${c.run.latencyMs.p99.toFixed(2)} ms`,
        target: `< ${c.targetP99Ms} ms`,
        met: c.run.latencyMs.p99 < (c.targetP99Ms ?? 0),
      })),
    {
      what: 'list query plans without a full scan',
      value: `${plans.length - fullScans.length}/${plans.length}`,
      target: 'all',
      met: fullScans.length === 0,
    },
  ];

  console.log('');
  console.log(
    `Rollcall scale benchmark on ${store}: ${options.people.toLocaleString('en-US')} people in ${directory.orgs.length} orgs ` +
      `(${(directory.bytes / 1e6).toFixed(0)} MB file, ${(dbBytes / 1e6).toFixed(0)} MB database), ` +
      `${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s per case`,
  );
  console.log(
    `node ${environment.node}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.platform}, ${environment.date}`,
  );
  console.log('');
  console.log(
    directory.generatedS > 0
      ? `generate: ${directory.generatedS.toFixed(1)} s`
      : `generate: cached ${relative(ROOT, directory.file)}`,
  );
  console.log(
    `import:   ${importLine} — wall ${importS.toFixed(1)} s, import process peak RSS ${(imported.peakRssBytes / MB).toFixed(0)} MB`,
  );
  console.log(
    `serve:    listening after ${server.startS.toFixed(1)} s; RSS ${(rssAtStart / MB).toFixed(0)} MB at start, ${((memory?.current ?? 0) / MB).toFixed(0)} MB at the end, peak ${peakRssMB.toFixed(0)} MB`,
  );
  console.log('');
  console.log(formatCases(cases));
  console.log('');
  console.log(
    `paging ${largest.displayName} with max=1000: ${paging.pages} pages, ${paging.people.toLocaleString('en-US')} of ` +
      `${paging.expected.toLocaleString('en-US')} people in ${paging.seconds.toFixed(1)} s ` +
      `(${(paging.people / paging.seconds).toFixed(0)} people/s; per page p50 ${paging.pageMs.p50.toFixed(1)} ms, ` +
      `p99 ${paging.pageMs.p99.toFixed(1)} ms, max ${paging.pageMs.max.toFixed(1)} ms)`,
  );
  console.log('');
  console.log(
    `Query plans on the imported database (${schema === undefined ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN, after ANALYZE,'} of the SQL the store runs):`,
  );
  if (planNote !== undefined) console.log(`  (${planNote})`);
  for (const plan of plans) {
    console.log(`  ${plan.name}${plan.fullScans.length > 0 ? '   <-- FULL SCAN' : ''}`);
    for (const line of plan.plan) console.log(`      ${line}`);
  }
  console.log('');
  console.log(options.smoke ? 'Targets (a smoke run: for information, not checked):' : 'Targets:');
  const width = Math.max(...checks.map((c) => c.what.length));
  for (const c of checks) {
    console.log(
      `  ${c.what.padEnd(width)}  ${c.value.padStart(10)}  ${c.target.padEnd(9)}  ${c.met ? 'PASS' : 'FAIL'}`,
    );
  }
  const floors = cases.filter((c) => c.key.endsWith(':bare'));
  if (floors.length > 0) {
    console.log(
      `  (the floor, a bare Fastify route answering a fixed page of the same size: ${floors
        .map((c) => `${c.key.replace(':bare', '')} p99 ${c.run.latencyMs.p99.toFixed(2)} ms`)
        .join(', ')})`,
    );
  }
  if (paging.people !== paging.expected)
    console.log(`ERROR paging returned ${paging.people} people, not ${paging.expected}`);
  for (const c of cases.filter((c) => failedRequests(c.run) > 0)) {
    console.log(
      `ERROR ${c.name.trim()}: ${failedRequests(c.run)} failed requests; status codes ${JSON.stringify(c.run.statusCodes)}`,
    );
  }

  if (options.smoke) log('Smoke run: no results file written');
  else
    writeResults('scale.json', {
      environment,
      options: { ...options, db: schema === undefined ? undefined : `schema ${schema.name}` },
      store,
      targets: TARGETS,
      directory: {
        file: relative(ROOT, directory.file),
        bytes: directory.bytes,
        databaseBytes: dbBytes,
        orgs: directory.orgs,
        tokenHolders: directory.holders.length,
        admins: directory.holders.filter((h) => h.role !== undefined).length,
        generatedS: directory.generatedS,
      },
      import: { line: importLine, wallS: importS, peakRssBytes: imported.peakRssBytes },
      server: {
        startS: server.startS,
        rssAtStartBytes: rssAtStart,
        rssAtEndBytes: memory?.current,
        peakRssBytes: memory?.peak,
      },
      cases: cases.map((c) => ({
        ...c,
        requestsPerSecond: c.run.requestsPerSecond,
        p50Ms: c.run.latencyMs.p50,
        p99Ms: c.run.latencyMs.p99,
      })),
      paging,
      plans,
      checks,
      failures,
    });
  if (schema !== undefined) {
    if (options.keepDb) console.log(`Database kept: schema ${schema.name} (--db '${withoutPassword(db)}')`);
    else await schema.drop();
  } else if (keepTmp) console.log(`Database kept: ${db}`);
  log(`Done in ${elapsedS().toFixed(0)} s.`);
  const paged = paging.people === paging.expected;
  return failures > 0 || fullScans.length > 0 || !paged ? 1 : 0;
}

/**
 * Takes the fullest page among the first answers to `requests`, starts the bare server answering it
 * (and the page's first person), and loads it as the case itself was loaded.
 */
async function measureBare(
  url: string,
  requests: readonly BenchRequest[],
  options: Options,
  filePrefix: string,
): Promise<LoadResult> {
  let page: { text: string; items: number } | undefined;
  for (const request of requests.slice(0, 20)) {
    const response = await fetch(`${url}${request.path}`, { headers: request.headers });
    const text = await response.text();
    const items = (JSON.parse(text) as ListBody).items.length;
    if (response.status === 200 && (page === undefined || items > page.items)) page = { text, items };
  }
  if (page === undefined || page.items === 0)
    throw new Error(`no page with people to serve from ${filePrefix}`);
  writeFileSync(`${filePrefix}-page.json`, page.text);
  writeFileSync(`${filePrefix}-person.json`, JSON.stringify((JSON.parse(page.text) as ListBody).items[0]));
  const bare = await startBareServer('bare server', [`${filePrefix}-person.json`, `${filePrefix}-page.json`]);
  try {
    const check = await fetch(`${bare.url}/v1/people`);
    const body = await check.text();
    if (check.status !== 200 || body !== page.text) {
      throw new Error(`the bare route answers ${check.status} with another page than Rollcall's`);
    }
    const load = {
      url: bare.url,
      requests: [{ path: '/v1/people', headers: {} }],
      connections: options.connections,
    };
    if (options.warmupS > 0) await runLoad({ ...load, durationS: options.warmupS });
    return await runLoad({ ...load, durationS: options.durationS });
  } finally {
    await stopServer(bare.child);
  }
}

// ---------------------------------------------------------------------------------------------------
// Requests. Prefixes are what people type into a people picker: a few letters, a first name, a first
// name and the start of a last name; emails are mostly of people the caller can see; ID lists are 85
// people from anywhere (the most Webex allows).

const bearer = (holder: GeneratedTokenHolder) => ({ authorization: `Bearer ${holder.token}` });

function nearOrgs(directory: ScaleDirectory, orgId: string): string[] {
  return [orgId, ...(directory.orgs.find((o) => o.id === orgId)?.manages ?? [])];
}

function sampleByOrg(directory: ScaleDirectory): Map<string, SampledPerson[]> {
  const byOrg = new Map<string, SampledPerson[]>();
  for (const person of directory.sample)
    byOrg.set(person.orgId, [...(byOrg.get(person.orgId) ?? []), person]);
  return byOrg;
}

function pickPerson(
  rng: Rng,
  directory: ScaleDirectory,
  byOrg: Map<string, SampledPerson[]>,
  orgs: string[],
) {
  const inOrgs = orgs.flatMap((o) => byOrg.get(o) ?? []);
  return rng.pick(inOrgs.length > 0 ? inOrgs : directory.sample);
}

function prefixRequests(rng: Rng, directory: ScaleDirectory): BenchRequest[] {
  const admins = directory.holders.filter((h) => h.role !== undefined);
  const byOrg = sampleByOrg(directory);
  const allOrgs = directory.orgs.map((o) => o.id);
  return Array.from({ length: REQUESTS_PER_CASE }, () => {
    const caller = rng.pick(admins);
    const orgs = rng.chance(0.8) ? nearOrgs(directory, caller.orgId) : allOrgs;
    const prefix = prefixOf(rng, pickPerson(rng, directory, byOrg, orgs).displayName);
    return { path: `/v1/people?displayName=${encodeURIComponent(prefix)}&max=100`, headers: bearer(caller) };
  });
}

function emailRequests(rng: Rng, directory: ScaleDirectory): BenchRequest[] {
  const byOrg = sampleByOrg(directory);
  const allOrgs = directory.orgs.map((o) => o.id);
  return Array.from({ length: REQUESTS_PER_CASE }, (_, i) => {
    const caller = rng.pick(directory.holders);
    const r = rng.float();
    const email =
      r < 0.05
        ? `nobody-${i}@example.invalid`
        : pickPerson(rng, directory, byOrg, r < 0.9 ? nearOrgs(directory, caller.orgId) : allOrgs).email;
    return { path: `/v1/people?email=${encodeURIComponent(email)}`, headers: bearer(caller) };
  });
}

function idRequests(rng: Rng, directory: ScaleDirectory): BenchRequest[] {
  return Array.from({ length: REQUESTS_PER_CASE / 5 }, () => {
    const ids = new Set<string>();
    while (ids.size < 85) ids.add(rng.pick(directory.sample).id);
    const list = [...ids].map((id) => encodeHydraId('PEOPLE', id)).join(',');
    return { path: `/v1/people?id=${list}`, headers: bearer(rng.pick(directory.holders)) };
  });
}

interface ListBody {
  items: { id: string; displayName: string; emails: string[] }[];
  notFoundIds?: string[];
}

/** The first requests of every case, once each, checked: status and the people they return. */
async function preflight(
  url: string,
  requests: Record<'displayName' | 'email' | 'ids', BenchRequest[]>,
): Promise<void> {
  const get = async (request: BenchRequest): Promise<ListBody> => {
    const response = await fetch(`${url}${request.path}`, { headers: request.headers });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`preflight: GET ${request.path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as ListBody;
  };
  let found = 0;
  for (const request of requests.displayName.slice(0, 50)) {
    const prefix = new URL(request.path, url).searchParams.get('displayName')?.toLowerCase() ?? '';
    const body = await get(request);
    if (body.items.length > 100)
      throw new Error(`preflight: ${request.path} returned ${body.items.length} people`);
    const wrong = body.items.find((p) => !p.displayName.toLowerCase().startsWith(prefix));
    if (wrong) throw new Error(`preflight: ${request.path} returned ${wrong.displayName}`);
    found += body.items.length;
  }
  if (found === 0) throw new Error('preflight: no displayName prefix found anyone');
  found = 0;
  for (const request of requests.email.slice(0, 50)) {
    const email = new URL(request.path, url).searchParams.get('email')?.toLowerCase() ?? '';
    const body = await get(request);
    if (body.items.some((p) => !p.emails.some((e) => e.toLowerCase() === email))) {
      throw new Error(`preflight: ${request.path} returned someone else`);
    }
    found += body.items.length;
  }
  if (found === 0) throw new Error('preflight: no email found anyone');
  for (const request of requests.ids.slice(0, 5)) {
    const body = await get(request);
    if (body.items.length !== 85) {
      throw new Error(
        `preflight: an id= list of 85 returned ${body.items.length} (not found: ${body.notFoundIds?.length})`,
      );
    }
  }
}

async function pageThrough(url: string, admin: GeneratedTokenHolder, expected: number): Promise<Paging> {
  const started = performance.now();
  const pageMs: number[] = [];
  let next: string | undefined = `${url}/v1/people?max=1000`;
  let people = 0;
  while (next !== undefined && !interrupted()) {
    const pageStarted = performance.now();
    const response: Response = await fetch(next, { headers: bearer(admin) });
    const body = (await response.json()) as ListBody;
    pageMs.push(performance.now() - pageStarted);
    if (response.status !== 200) throw new Error(`paging: GET ${next} answered ${response.status}`);
    people += body.items.length;
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const sorted = Float64Array.from(pageMs).sort();
  return {
    pages: pageMs.length,
    people,
    expected,
    seconds: (performance.now() - started) / 1000,
    pageMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
  };
}

async function explain(
  db: string,
  postgres: boolean,
  directory: ScaleDirectory,
): Promise<{ plans: QueryPlan[]; planNote?: string }> {
  const [customer, partner] = directory.orgs;
  const near = partner ? [partner.id, ...partner.manages] : [customer?.id ?? ''];
  const someone = directory.sample[0] as SampledPerson;
  const ids = directory.sample.slice(0, 85).map((p) => p.id);
  const queries: { name: string; run: (store: PeopleStore) => Promise<unknown> }[] = [
    {
      // A plain user of the customer org searches the same orgs (own and managing).
      name: 'displayName prefix "jo", partner admin or customer user (2 orgs)',
      run: (s) => s.listPeople({ orgIds: near, displayNamePrefix: 'jo', limit: 101 }),
    },
    {
      name: 'displayName prefix "jo", admin of one org',
      run: (s) => s.listPeople({ orgIds: [customer?.id ?? ''], displayNamePrefix: 'jo', limit: 101 }),
    },
    {
      name: 'displayName prefix "a", next page',
      run: (s) =>
        s.listPeople({
          orgIds: near,
          displayNamePrefix: 'a',
          limit: 101,
          after: { name: 'ab', id: someone.id },
        }),
    },
    { name: 'email', run: (s) => s.listPeople({ orgIds: near, email: someone.email, limit: 101 }) },
    {
      name: 'whole org, next page (max=1000)',
      run: (s) =>
        s.listPeople({ orgIds: [customer?.id ?? ''], limit: 1001, after: { name: 'm', id: someone.id } }),
    },
    { name: 'id= with 85 IDs', run: (s) => s.getPeople(ids) },
  ];
  if (!postgres) return { plans: await explainListQueries(db, queries) };
  const { plans, people, seqScansCount } = await explainPgListQueries(db, queries);
  const min = SEQ_SCAN_MIN_ROWS.toLocaleString('en-US');
  return {
    plans,
    planNote: seqScansCount
      ? `a Seq Scan of people or person_emails is a full scan: ${people.toLocaleString('en-US')} people ≥ ${min}`
      : `Seq Scans are not counted as full scans with ${people.toLocaleString('en-US')} people: below ${min}, ` +
        'PostgreSQL may rightly read a small table whole',
  };
}

function formatCases(cases: readonly CaseResult[]): string {
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'KB/resp', 'errors', 'p99 target'];
  const rows = cases.map((c) => [
    c.name,
    c.run.requestsPerSecond.toFixed(0),
    c.run.latencyMs.p50.toFixed(2),
    c.run.latencyMs.p99.toFixed(2),
    c.run.latencyMs.max.toFixed(1),
    (c.run.bytesPerResponse / 1024).toFixed(1),
    String(failedRequests(c.run)),
    c.targetP99Ms === undefined
      ? ''
      : `< ${c.targetP99Ms} ms ${c.run.latencyMs.p99 < c.targetP99Ms ? 'PASS' : 'FAIL'}`,
  ]);
  return alignTable(header, rows);
}

await runBench({
  name: 'bench:scale',
  usage: USAGE,
  main,
  stop: async () => {
    stopLoad();
    if (!keepTmp) await dropAllSchemas();
  },
});
