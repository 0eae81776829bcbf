// `npm run bench`: Rollcall's Get Person Details, Get My Own Details and List People under load,
// against a bare Fastify route that returns a fixed person of the same size.
//
// Builds the project (when src/ changed since dist/ was built), generates a directory of 10,000 people,
// starts `rollcall serve` on it and the bare server as child processes, and drives each case with
// autocannon from this process over loopback: a warm-up, then the measured run. Prints req/s, p50/p99
// latency and the ratio to the bare route, writes the figures to bench/results/latest.json, and exits 1
// if any response was not a 2xx. With `--db postgres://…`, every Rollcall case runs on SQLite, then on
// PostgreSQL (a fresh schema of that database, dropped at the end), and a side-by-side table compares
// the two.
//
// A second reference, "plain", is the same bare app reading each person from Rollcall's SQLite file: one
// SELECT per request, Rollcall's row mapping and view, no auth or hooks (the "plain SQLite lookup").
//
//   npm run bench -- [--duration 8] [--warmup 2] [--connections 10] [--people 10000] [--tokens 300]
//                    [--cases plain,details,callingData,me,displayName,email,ids] [--db postgres://…]
//                    [--profile] [--rebuild] [--smoke]
//
// Besides req/s and latency, it reports the server's CPU time per request (from /proc, Linux only), which
// other load on the machine disturbs less than req/s; the load average is printed for the same reason.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeHydraId } from '../src/domain/ids.js';
import {
  elapsedS,
  ensureBuilt,
  type LoadOptions,
  loadOptionSpecs,
  log,
  machine,
  postgresUrl,
  preflightPeople,
  readLoadOptions,
  RESULTS_DIR,
  ROOT,
  SMOKE_DURATION_S,
  startRollcall,
  writeResults,
} from './common.js';
import { detailsRequests } from './details-requests.js';
import { generateDirectory, type BenchCaller, type BenchDirectory } from './generate-directory.js';
import { runLoad, stopLoad, type BenchRequest, type LoadResult } from './load.js';
import {
  displayNameRequests,
  emailRequests,
  idListRequests,
  preflightList,
  type ListCaseKey,
} from './list-requests.js';
import { createBenchSchema, dropAllSchemas, withoutPassword } from './pg-schema.js';
import { cpuTimeMs, startBareServer, stopAll, stopServer, type Server } from './processes.js';
import { interrupted, makeTempDir, runBench, UsageError } from './lifecycle.js';
import { Rng } from '../src/lib/seeded-random.js';
import {
  compareStores,
  failuresOf,
  formatComparison,
  formatFailures,
  formatTable,
  type BenchStore,
  type CaseResult,
  type Environment,
} from './report.js';

const TARGET = { case: 'details', minRatio: 0.6 };
const REQUESTS_PER_CASE = 10_000;
const CASE_KEYS = ['plain', 'details', 'callingData', 'me', 'displayName', 'email', 'ids'] as const;
const LIST_KEYS: readonly string[] = ['displayName', 'email', 'ids'] satisfies ListCaseKey[];

interface Options extends LoadOptions {
  cases: string[];
  /** A postgres:// URL: run the Rollcall cases on PostgreSQL too. */
  db: string | undefined;
  profile: boolean;
  rebuild: boolean;
}

interface CaseSpec {
  key: string;
  name: string;
  server: 'bare' | 'plain' | 'rollcall';
  requests: BenchRequest[];
}

const USAGE = `usage: npm run bench -- [options]
  --duration <s>      measured seconds per case (default 8)
  --warmup <s>        warm-up seconds per case before measuring (default 2)
  --connections <n>   concurrent connections (default 10)
  --people <n>        people in the generated directory (default 10000)
  --tokens <n>        people with a token, about one in five an admin (default 300)
  --cases <list>      which cases to measure besides the bare route, of
                      plain,details,callingData,me,displayName,email,ids
                      (default all; the bare route is always measured)
  --db <url>          a postgres:// URL: run every Rollcall case on SQLite and then on PostgreSQL (in a
                      fresh schema, dropped at the end), and compare
  --profile           run both servers with --cpu-prof (profiles in bench/results/profiles/<server>/)
  --rebuild           run npm run build even if dist/ looks up to date
  --smoke             a check, not a measurement: 200 people, ${SMOKE_DURATION_S} s per case, no results file`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...loadOptionSpecs({ duration: 8, warmup: 2, connections: 10, people: 10000, tokens: 300 }),
      cases: { type: 'string', default: CASE_KEYS.join(',') },
      db: { type: 'string' },
      profile: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
    },
  });
  const options: Options = {
    ...readLoadOptions(values, USAGE, { people: 100, tokens: 5 }),
    cases: values.cases.split(',').map((c) => c.trim()),
    db: postgresUrl(values.db, '--db must be a postgres:// URL (SQLite is always measured)'),
    profile: values.profile,
    rebuild: values.rebuild,
  };
  const unknown = options.cases.filter((c) => !(CASE_KEYS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new UsageError(`--cases: unknown case ${unknown.join(', ')}`);
  return options;
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const loadAverageAtStart = loadavg().map((l) => Number(l.toFixed(2)));

  await ensureBuilt(options.rebuild);

  const tmp = makeTempDir('rollcall-bench-');
  const directory = generateDirectory({
    people: options.people,
    tokenHolders: options.tokens,
    seed: 20240601,
  });
  const seedFile = join(tmp, 'dir.json');
  writeFileSync(seedFile, JSON.stringify(directory.file));
  log(
    `Directory: ${directory.allPeople.length} people in ${directory.file.orgs.length} orgs, ` +
      `${directory.callers.length} token holders (${directory.callers.filter((c) => c.admin).length} admins)`,
  );

  const profileDir = join(RESULTS_DIR, 'profiles');
  // One directory per server: a process run with tsx also writes the profile of its loader thread.
  const profileArgs = (name: string) =>
    options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : [];
  if (options.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  // The request lists, drawn in a fixed order from one seeded source: every run sends the same.
  const rng = new Rng(7);
  const details = detailsRequests(rng, directory, REQUESTS_PER_CASE);
  const cases: CaseSpec[] = [
    { key: 'bare', name: 'bare Fastify route (fixed person)', server: 'bare', requests: details },
    {
      key: 'plain',
      name: 'plain SQLite lookup route (no auth, no hooks)',
      server: 'plain',
      requests: details,
    },
    { key: 'details', name: 'GET /v1/people/{id}', server: 'rollcall', requests: details },
    {
      key: 'callingData',
      name: 'GET /v1/people/{id}?callingData=true (admins)',
      server: 'rollcall',
      requests: callingDataRequests(rng, directory),
    },
    { key: 'me', name: 'GET /v1/people/me', server: 'rollcall', requests: meRequests(rng, directory) },
    {
      key: 'displayName',
      name: 'GET /v1/people?displayName=<prefix>&max=100 (admins)',
      server: 'rollcall',
      requests: displayNameRequests(rng, directory, REQUESTS_PER_CASE),
    },
    {
      key: 'email',
      name: 'GET /v1/people?email=<email> (admins)',
      server: 'rollcall',
      requests: emailRequests(rng, directory, REQUESTS_PER_CASE),
    },
    {
      key: 'ids',
      name: 'GET /v1/people?id=<85 IDs> (admins)',
      server: 'rollcall',
      requests: idListRequests(rng, directory, REQUESTS_PER_CASE / 5),
    },
  ];
  const selected = cases.filter((c) => c.key === 'bare' || options.cases.includes(c.key));

  const stores: { store: BenchStore; db: () => Promise<string> }[] = [
    { store: 'sqlite', db: async () => join(tmp, 'bench.db') },
  ];
  const pgUrl = options.db;
  if (pgUrl !== undefined) {
    stores.push({ store: 'postgres', db: async () => (await createBenchSchema(pgUrl, 'bench')).url });
  }

  const results: CaseResult[] = [];
  let bareRps = 0;
  let bare: Server | undefined;
  for (const { store, db } of stores) {
    if (interrupted()) break;
    const profileName = store === 'sqlite' ? 'rollcall' : 'rollcall-postgres';
    const rollcall = await startRollcallOn(store, await db(), seedFile, profileArgs(profileName));
    // Every case is checked once by hand before the load: right status, right people.
    const bodies = await preflight(rollcall.url, selected, directory);
    if (bare === undefined) {
      bare = await startBare(join(tmp, 'person.json'), medianBody(bodies), details, profileArgs('bare'));
      const bareResult = await measure(options, cases[0] as CaseSpec, bare, 0);
      bareRps = bareResult.measured.requestsPerSecond;
      results.push(bareResult);
    }
    const plainSpec = selected.find((c) => c.server === 'plain');
    if (store === 'sqlite' && plainSpec && !interrupted()) {
      const plain = await startPlain(await db(), details, profileArgs('plain'));
      results.push(await measure(options, plainSpec, plain, bareRps));
      await stopServer(plain.child);
    }
    for (const spec of selected.filter((c) => c.server === 'rollcall')) {
      if (interrupted()) break;
      results.push({ ...(await measure(options, spec, rollcall, bareRps)), store });
    }
    await stopServer(rollcall.child);
  }
  if (interrupted()) return 130;

  await stopAll();
  const environment: Environment = {
    ...machine(),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    ...gitState(),
  };
  const target = results.find((r) => r.key === TARGET.case && r.store === 'sqlite');
  const failures = results.reduce((sum, r) => sum + failuresOf(r), 0);
  const comparison = compareStores(results);

  console.log('');
  console.log(
    `Rollcall benchmark: ${directory.allPeople.length} people, ${directory.callers.length} tokens, ` +
      `${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s per case`,
  );
  console.log(
    `node ${environment.node}, ${environment.cpus} CPUs (${environment.cpuModel}), ${environment.platform}, ${environment.date}`,
  );
  if (environment.commit !== undefined) {
    console.log(
      `commit ${environment.commit.slice(0, 12)}${environment.srcModified ? ' with uncommitted changes in src/' : ''}`,
    );
  }
  console.log(
    `load average (1 min) ${environment.loadAverageAtStart[0]} at start, ${environment.loadAverageAtEnd[0]} at end` +
      ' (anything else running on the machine skews the figures)',
  );
  console.log('');
  console.log(formatTable(results));
  console.log('');
  if (comparison.length > 0) {
    console.log('SQLite and PostgreSQL side by side (PG/SQLite: req/s on PostgreSQL ÷ req/s on SQLite):');
    console.log(formatComparison(comparison));
    console.log('');
  }
  if (target) {
    const met = target.ratioToBare >= TARGET.minRatio;
    console.log(
      `Target: Get Person Details ratio ≥ ${TARGET.minRatio}: ${target.ratioToBare.toFixed(2)} (${met ? 'met' : 'NOT met'})`,
    );
    const cpuRatio = cpuRatioOf(target, results[0]);
    if (cpuRatio !== undefined) {
      console.log(
        `Server CPU per request, bare ÷ Get Person Details: ${cpuRatio.toFixed(2)} ` +
          '(what the ratio tends to when each server has a core to itself)',
      );
    }
  }
  const plain = results.find((r) => r.key === 'plain');
  if (plain) {
    const cpuRatio = cpuRatioOf(plain, results[0]);
    console.log(
      `Reference: the plain SQLite lookup route's ratio ${plain.ratioToBare.toFixed(2)}` +
        (cpuRatio === undefined ? '' : `, CPU ratio ${cpuRatio.toFixed(2)}`) +
        (target
          ? `; Get Person Details ÷ plain: ${(target.ratioToBare / plain.ratioToBare).toFixed(2)}`
          : ''),
    );
  }
  for (const r of results.filter((c) => c.loadGeneratorCpuPercent >= 90)) {
    console.log(
      `Note: the load generator used ${r.loadGeneratorCpuPercent.toFixed(0)}% of a core during "${r.name}": ` +
        'it may have limited that case, not the server.',
    );
  }
  for (const line of formatFailures(results)) console.log(`ERROR ${line}`);
  if (failures > 0) console.log(`ERROR ${failures} requests failed: the figures above are not valid.`);

  if (options.smoke) log('Smoke run: no results file written');
  else
    writeResults('latest.json', {
      environment,
      options: { ...options, db: options.db === undefined ? undefined : withoutPassword(options.db) },
      directory: {
        people: directory.allPeople.length,
        orgs: directory.file.orgs.length,
        tokenHolders: directory.callers.length,
        admins: directory.callers.filter((c) => c.admin).length,
      },
      target: target && {
        case: TARGET.case,
        minRatio: TARGET.minRatio,
        ratio: target.ratioToBare,
        met: target.ratioToBare >= TARGET.minRatio,
        cpuRatio: cpuRatioOf(target, results[0]),
      },
      failures,
      cases: results.map((r) => ({
        key: r.key,
        name: r.name,
        store: r.store,
        example: r.example,
        requestsPerSecond: r.measured.requestsPerSecond,
        p50Ms: r.measured.latencyMs.p50,
        p99Ms: r.measured.latencyMs.p99,
        ratioToBare: r.ratioToBare,
        serverCpuUsPerRequest: r.serverCpuUsPerRequest,
        loadGeneratorCpuPercent: r.loadGeneratorCpuPercent,
        measured: r.measured,
        warmup: r.warmup,
      })),
      comparison,
    });
  if (options.profile) {
    for (const name of ['rollcall', 'rollcall-postgres', 'bare', 'plain']) {
      const dir = join(profileDir, name);
      if (!existsSync(dir)) continue;
      const main = readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(dir, f))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (main) console.log(`CPU profile of the ${name} server: ${relative(process.cwd(), main)}`);
    }
  }
  log(`Done in ${elapsedS().toFixed(0)} s.`);
  return failures > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Servers and measurements.

/** `rollcall serve` on a SQLite file or a PostgreSQL URL, loaded with the directory file. */
async function startRollcallOn(
  store: BenchStore,
  db: string,
  seedFile: string,
  profileArgs: readonly string[],
): Promise<Server> {
  const rollcall = await startRollcall({
    name: `rollcall serve (${store})`,
    db,
    seedFile,
    nodeArgs: profileArgs,
  });
  log(`${rollcall.output.join('; ')}; listening on ${rollcall.url} (${store})`);
  return rollcall;
}

/** The bare server, answering every Get Person Details request with `person`; checked once. */
async function startBare(
  personFile: string,
  person: string,
  details: readonly BenchRequest[],
  profileArgs: readonly string[],
): Promise<Server> {
  writeFileSync(personFile, person);
  const bare = await startBareServer('bare server', [personFile], profileArgs);
  const bareResponse = await fetch(`${bare.url}${details[0]?.path ?? '/'}`);
  const bareBody = await bareResponse.text();
  if (bareResponse.status !== 200 || bareBody !== person) {
    throw new Error(
      `bare route answers ${bareResponse.status} with something else than the person: ${bareBody}`,
    );
  }
  log(`Bare server on ${bare.url}, answering a ${Buffer.byteLength(person)}-byte person`);
  return bare;
}

/**
 * The bare app reading each person from Rollcall's database (`--sqlite`), opened read-only beside the
 * running server; checked once against the first request's person.
 */
async function startPlain(
  databaseFile: string,
  details: readonly BenchRequest[],
  profileArgs: readonly string[],
): Promise<Server> {
  const plain = await startBareServer('plain SQLite lookup server', ['--sqlite', databaseFile], profileArgs);
  const path = details[0]?.path ?? '/';
  const response = await fetch(`${plain.url}${path}`);
  const body = await response.text();
  const id = response.status === 200 ? (JSON.parse(body) as { id?: string }).id : undefined;
  if (id === undefined || id !== path.split('/')[3]) {
    throw new Error(`the plain SQLite lookup route answers ${response.status} with ${body} for ${path}`);
  }
  log(`Plain SQLite lookup server on ${plain.url}, reading ${databaseFile}`);
  return plain;
}

/** Warm-up, then the measured run of one case, with the server's CPU time per request. */
async function measure(
  options: Options,
  spec: CaseSpec,
  server: Server,
  bareRps: number,
): Promise<CaseResult> {
  log(`${spec.name}: ${options.warmupS} s warm-up, ${options.durationS} s measured…`);
  const load = { url: server.url, requests: spec.requests, connections: options.connections };
  const warmup = options.warmupS > 0 ? await runLoad({ ...load, durationS: options.warmupS }) : emptyResult();
  const serverCpuBefore = cpuTimeMs(server.child.pid);
  const ownCpuBefore = process.cpuUsage();
  const measured = await runLoad({ ...load, durationS: options.durationS });
  const serverCpuAfter = cpuTimeMs(server.child.pid);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const rps = spec.key === 'bare' ? measured.requestsPerSecond : bareRps;
  return {
    key: spec.key,
    name: spec.name,
    example: spec.requests[0]?.path ?? '',
    warmup,
    measured,
    ratioToBare: rps > 0 ? measured.requestsPerSecond / rps : 0,
    serverCpuUsPerRequest:
      serverCpuBefore === undefined || serverCpuAfter === undefined || measured.completed === 0
        ? undefined
        : {
            user: ((serverCpuAfter.user - serverCpuBefore.user) * 1000) / measured.completed,
            system: ((serverCpuAfter.system - serverCpuBefore.system) * 1000) / measured.completed,
          },
    loadGeneratorCpuPercent:
      measured.durationS > 0 ? (ownCpu.user + ownCpu.system) / 1e4 / measured.durationS : 0,
  };
}

// ---------------------------------------------------------------------------------------------------
// Request lists (Get Person Details: bench/details-requests.ts).

const personPath = (id: string) => `/v1/people/${encodeHydraId('PEOPLE', id)}`;
const bearer = (caller: BenchCaller) => ({ authorization: `Bearer ${caller.token}` });

/** Admins asking for Calling data of people in an org they administer, so that it is granted. */
function callingDataRequests(rng: Rng, directory: BenchDirectory): BenchRequest[] {
  const admins = directory.callers.filter((c) => c.admin);
  return Array.from({ length: REQUESTS_PER_CASE }, () => {
    const caller = rng.pick(admins);
    const people = directory.peopleByOrg.get(rng.pick(caller.adminOf)) ?? [];
    return { path: `${personPath(rng.pick(people))}?callingData=true`, headers: bearer(caller) };
  });
}

function meRequests(rng: Rng, directory: BenchDirectory): BenchRequest[] {
  return Array.from({ length: REQUESTS_PER_CASE }, () => ({
    path: '/v1/people/me',
    headers: bearer(rng.pick(directory.callers)),
  }));
}

/**
 * Sends the first requests of each Rollcall case once and checks status and person; returns the bodies
 * of Get Person Details, from which the bare route's fixed person is chosen.
 */
async function preflight(
  url: string,
  cases: readonly CaseSpec[],
  directory: BenchDirectory,
): Promise<string[]> {
  const tokenOwner = new Map(directory.callers.map((c) => [c.token, c.personId]));
  const ownerOf = (request: BenchRequest) =>
    encodeHydraId(
      'PEOPLE',
      tokenOwner.get(request.headers.authorization?.replace(/^Bearer /, '') ?? '') ?? '?',
    );
  let detailsBodies: string[] = [];
  for (const spec of cases.filter((c) => c.server === 'rollcall')) {
    if (LIST_KEYS.includes(spec.key)) {
      await preflightList(url, spec.key as ListCaseKey, spec.requests);
      continue;
    }
    const bodies = await preflightPeople(
      url,
      spec.name,
      spec.requests,
      200,
      spec.key === 'me' ? ownerOf : undefined,
    );
    const withCallingData = bodies.filter(
      (b) => (JSON.parse(b) as { extension?: string }).extension !== undefined,
    );
    if (spec.key === 'callingData' && withCallingData.length === 0) {
      throw new Error('preflight: no callingData=true response carried Calling data; the case tests nothing');
    }
    if (spec.key === 'details') detailsBodies = bodies;
  }
  return detailsBodies;
}

function medianBody(bodies: readonly string[]): string {
  const sorted = [...bodies].sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('no Get Person Details response to model the bare route on');
  return median;
}

function emptyResult(): LoadResult {
  return {
    requestsPerSecond: 0,
    completed: 0,
    latencyMs: { p50: 0, p90: 0, p99: 0, mean: 0, max: 0 },
    bytesPerResponse: 0,
    statusCodes: {},
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    durationS: 0,
  };
}

/** The bare route's server CPU time per request divided by the case's. */
function cpuRatioOf(c: CaseResult, bare: CaseResult | undefined): number | undefined {
  const cpu = (r: CaseResult | undefined) =>
    r?.serverCpuUsPerRequest && r.serverCpuUsPerRequest.user + r.serverCpuUsPerRequest.system;
  const [mine, reference] = [cpu(c), cpu(bare)];
  return mine && reference ? reference / mine : undefined;
}

/** The commit measured, and whether src/ differed from it (uncommitted changes were measured too). */
function gitState(): { commit?: string; srcModified?: boolean } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      srcModified: git('status', '--porcelain', '--', 'src') !== '',
    };
  } catch {
    return {};
  }
}

await runBench({
  name: 'bench',
  usage: USAGE,
  main,
  stop: async () => {
    stopLoad();
    await dropAllSchemas();
  },
});
