// npm test: every test file, grouped by kind, in two halves: the SQLite half runs them all, the
// PostgreSQL half runs again only the files whose outcome depends on the store. One closing line.
// ROLLCALL_TEST_STORES=sqlite runs the SQLite half only (no PostgreSQL needed); =postgres, the
// PostgreSQL half only.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';

// Every file in test/ named *.test.ts, by kind (without `test/` and `.test.ts`). `eachStore` files
// run in both halves: they start a server over createTestDatabase() or open a store of the kind
// ROLLCALL_TEST_STORE names (through test/helpers/test-database.ts). `once` files touch no store, or
// only SQLite files of their own, and run in the SQLite half only. A file missing here stops the run;
// so does a file in the wrong list (see checkClassification).
const SUITE = {
  // Functions and generated files checked in-process; no server, no database.
  unit: { once: ['configuration-doc', 'iso-time'], eachStore: [] },
  // An in-process server (test/helpers/test-server.ts) over a fresh database, asked over loopback HTTP.
  http: {
    once: [],
    eachStore: [
      'atomic-writes',
      'control-auth',
      'control-clock',
      'control-directory',
      'control-faults',
      'control-presence',
      'control-requests',
      'control-sdk',
      'control-tokens',
      'errors',
      'fuzz',
      'ids',
      'input-limits',
      'list-people',
      'me',
      'openapi',
      'ops',
      'pagination',
      'presence',
      'request-bodies',
      'smoke',
      'visibility',
      'webex-example',
      'wire-errors',
      'write-people',
    ],
  },
  // The `rollcall` command as a child process.
  cli: { once: ['cli', 'import-generate'], eachStore: ['config-file', 'control-cli'] },
  // Stores and directory files without a server.
  store: { once: ['directory-file', 'wal-checkpoints'], eachStore: ['pg-import', 'store-contract'] },
  // Real `rollcall serve` processes (or a real client SDK) under crashes, faults, load and signals.
  'end to end': {
    once: [],
    eachStore: [
      'crash-durability',
      'db-faults',
      'multi-instance',
      'overload',
      'rate-limit',
      'redis-faults',
      'shutdown',
      'webex-sdk',
    ],
  },
};

const STORE_ENV = 'ROLLCALL_TEST_STORE';
const stores = (process.env.ROLLCALL_TEST_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const pgUrl = new URL(process.env.ROLLCALL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

checkClassification();
const unknown = stores.filter((store) => store !== 'sqlite' && store !== 'postgres');
if (unknown.length > 0) {
  console.error(`ROLLCALL_TEST_STORES: unknown store ${unknown.join(', ')} (sqlite, postgres or both)`);
  process.exit(1);
}

if (stores.includes('postgres') && !(await reachable(pgUrl.hostname, pgUrl.port || 5432))) {
  console.error(
    `PostgreSQL is not reachable at ${pgUrl.host}. Start it with\n` +
      `  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n` +
      `or set ROLLCALL_TEST_PG_URL, or run the SQLite half only with ROLLCALL_TEST_STORES=sqlite npm test.`,
  );
  process.exit(1);
}

const totals = { pass: 0, fail: 0 };
const timings = [];
const started = performance.now();
for (const store of stores) {
  console.log(`\n# store: ${store}`);
  const halfStarted = performance.now();
  const half = { pass: 0, fail: 0 };
  for (const [kind, files] of Object.entries(SUITE)) {
    const names = store === 'sqlite' ? [...files.once, ...files.eachStore].sort() : files.eachStore;
    if (names.length === 0) continue;
    console.log(`\n# ${store} / ${kind}: ${names.length} file${names.length === 1 ? '' : 's'}`);
    const kindStarted = performance.now();
    const counts = await run(
      store,
      names.map((name) => `test/${name}.test.ts`),
    );
    console.log(
      `# ${store} / ${kind}: ${counts.pass} passed, ${counts.fail} failed in ${seconds(kindStarted)}`,
    );
    half.pass += counts.pass;
    half.fail += counts.fail;
  }
  console.log(`# ${store}: ${half.pass} passed, ${half.fail} failed in ${seconds(halfStarted)}`);
  timings.push(`${store} ${seconds(halfStarted)}`);
  totals.pass += half.pass;
  totals.fail += half.fail;
}
console.log(`# wall clock: ${timings.join(', ')}; total ${seconds(started)}`);
console.log(`tests: ${totals.pass} passed, ${totals.fail} failed`);
process.exitCode = totals.fail > 0 || totals.pass === 0 ? 1 : 0;

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** Every test file is in SUITE exactly once, and in the list its imports say it belongs to. */
function checkClassification() {
  const listed = Object.values(SUITE).flatMap((kind) => [...kind.once, ...kind.eachStore]);
  const present = readdirSync('test')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length));
  const problems = [
    ...present.filter((name) => !listed.includes(name)).map((name) => `test/${name}.test.ts is not in SUITE`),
    ...listed.filter((name) => !present.includes(name)).map((name) => `SUITE lists ${name}, not in test/`),
    ...listed.filter((name, i) => listed.indexOf(name) !== i).map((name) => `SUITE lists ${name} twice`),
  ];
  for (const [kind, files] of Object.entries(SUITE)) {
    for (const name of files.once) {
      const path = storeDependence(`test/${name}.test.ts`);
      if (path)
        problems.push(
          `${name} (${kind}) reads ${STORE_ENV} through ${path.join(' → ')}: list it in eachStore`,
        );
    }
    for (const name of files.eachStore) {
      if (present.includes(name) && !storeDependence(`test/${name}.test.ts`)) {
        problems.push(
          `${name} (${kind}) never reads ${STORE_ENV}: it would run twice alike; list it in once`,
        );
      }
    }
  }
  if (problems.length > 0) {
    console.error(
      `scripts/test.mjs: the test files and SUITE disagree:\n  ${problems.join('\n  ')}\n` +
        `Add each new test file to SUITE under its kind, in eachStore if it uses a test database.`,
    );
    process.exit(1);
  }
}

/**
 * The chain of imports (value imports of files in test/; `import type` runs nothing) through which
 * `file` reaches a module that reads ROLLCALL_TEST_STORE, or undefined.
 */
function storeDependence(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return undefined;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (text.includes(`process.env.${STORE_ENV}`)) return [file];
  const imports = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm;
  for (const [, specifier] of text.matchAll(imports)) {
    const chain = storeDependence(join(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
    if (chain) return [file, ...chain];
  }
  return undefined;
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 2000 });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function run(store, files) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files],
      { env: { ...process.env, [STORE_ENV]: store }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const counts = { pass: 0, fail: 0 };
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (tail + chunk.toString()).split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^# (pass|fail) (\d+)$/.exec(line);
        if (match) counts[match[1]] = Number(match[2]);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      resolve(code === 0 || counts.fail > 0 ? counts : { ...counts, fail: counts.fail || 1 }),
    );
  });
}
