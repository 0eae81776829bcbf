// npm test: the whole suite once per store (SQLite, then PostgreSQL), with one closing line.
// ROLLCALL_TEST_STORES=sqlite runs SQLite only; otherwise PostgreSQL must be reachable.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';

const stores = (process.env.ROLLCALL_TEST_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const pgUrl = new URL(process.env.ROLLCALL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const files = readdirSync('test')
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => `test/${f}`);

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

if (stores.includes('postgres') && !(await reachable(pgUrl.hostname, pgUrl.port || 5432))) {
  console.error(
    `PostgreSQL is not reachable at ${pgUrl.host}. Start it with\n` +
      `  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n` +
      `or set ROLLCALL_TEST_PG_URL, or run the SQLite half only with ROLLCALL_TEST_STORES=sqlite npm test.`,
  );
  process.exit(1);
}

const totals = { pass: 0, fail: 0 };
for (const store of stores) {
  console.log(`\n# store: ${store}`);
  const counts = await run(store);
  totals.pass += counts.pass;
  totals.fail += counts.fail;
  console.log(`# ${store}: ${counts.pass} passed, ${counts.fail} failed`);
}
console.log(`tests: ${totals.pass} passed, ${totals.fail} failed`);
process.exitCode = totals.fail > 0 || totals.pass === 0 ? 1 : 0;

function run(store) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...files],
      { env: { ...process.env, ROLLCALL_TEST_STORE: store }, stdio: ['ignore', 'pipe', 'inherit'] },
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
