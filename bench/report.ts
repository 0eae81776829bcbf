import { failedRequests, type LoadResult } from './load.js';

// The printed table and the JSON written to bench/results/latest.json.

export type BenchStore = 'sqlite' | 'postgres';

export interface CaseResult {
  key: string;
  name: string;
  /** The store behind the Rollcall server; absent for the bare route. */
  store?: BenchStore;
  /** One request of the case, as an example. */
  example: string;
  warmup: LoadResult;
  measured: LoadResult;
  /** req/s of this case divided by req/s of the bare route. */
  ratioToBare: number;
  /** CPU time of the server per completed request in the measured run, user and kernel (Linux only). */
  serverCpuUsPerRequest: { user: number; system: number } | undefined;
  /** This process (autocannon) during the measured run, in % of one core: near 100, it is the limit. */
  loadGeneratorCpuPercent: number;
}

export interface Environment {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** 1, 5 and 15 minute load averages of the machine. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  commit?: string;
  srcModified?: boolean;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Non-2xx responses, connection errors and timeouts, in the warm-up or the measured run. */
export function failuresOf(c: CaseResult): number {
  return failedRequests(c.warmup) + failedRequests(c.measured);
}

export function formatTable(cases: readonly CaseResult[]): string {
  const header = [
    'case',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'server CPU µs/req (kernel)',
    'bytes/resp',
    'non-2xx/err',
  ];
  const rows = cases.map((c) => [
    c.store === 'postgres' ? `${c.name} [PostgreSQL]` : c.name,
    number.format(c.measured.requestsPerSecond),
    c.measured.latencyMs.p50.toFixed(2),
    c.measured.latencyMs.p99.toFixed(2),
    c.ratioToBare.toFixed(2),
    c.serverCpuUsPerRequest === undefined
      ? 'n/a'
      : `${number.format(c.serverCpuUsPerRequest.user + c.serverCpuUsPerRequest.system)} (${number.format(c.serverCpuUsPerRequest.system)})`,
    number.format(c.measured.bytesPerResponse),
    String(failuresOf(c)),
  ]);
  return alignTable(header, rows);
}

export function formatFailures(cases: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    for (const [phase, r] of [
      ['warm-up', c.warmup],
      ['measured', c.measured],
    ] as const) {
      if (failedRequests(r) === 0) continue;
      const codes = Object.entries(r.statusCodes)
        .map(([code, count]) => `${code}×${count}`)
        .join(', ');
      lines.push(
        `${c.name} (${phase}): ${r.non2xx} non-2xx, ${r.errors} connection errors, ${r.timeouts} timeouts; status codes ${codes}`,
      );
    }
  }
  return lines;
}

/** One Rollcall case measured on both stores. */
export interface StoreComparison {
  key: string;
  name: string;
  sqlite: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  postgres: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  /** req/s on PostgreSQL divided by req/s on SQLite. */
  postgresToSqlite: number;
}

export function compareStores(cases: readonly CaseResult[]): StoreComparison[] {
  const figures = (c: CaseResult) => ({
    requestsPerSecond: c.measured.requestsPerSecond,
    p50Ms: c.measured.latencyMs.p50,
    p99Ms: c.measured.latencyMs.p99,
  });
  return cases.flatMap((sqlite) => {
    const postgres = cases.find((c) => c.key === sqlite.key && c.store === 'postgres');
    if (sqlite.store !== 'sqlite' || postgres === undefined) return [];
    const rps = sqlite.measured.requestsPerSecond;
    return [
      {
        key: sqlite.key,
        name: sqlite.name,
        sqlite: figures(sqlite),
        postgres: figures(postgres),
        postgresToSqlite: rps > 0 ? postgres.measured.requestsPerSecond / rps : 0,
      },
    ];
  });
}

export function formatComparison(rows: readonly StoreComparison[]): string {
  const header = [
    'case',
    'SQLite req/s',
    'p50 ms',
    'p99 ms',
    'PostgreSQL req/s',
    'p50 ms',
    'p99 ms',
    'PG/SQLite',
  ];
  const cells = rows.map((r) => [
    r.name,
    number.format(r.sqlite.requestsPerSecond),
    r.sqlite.p50Ms.toFixed(2),
    r.sqlite.p99Ms.toFixed(2),
    number.format(r.postgres.requestsPerSecond),
    r.postgres.p50Ms.toFixed(2),
    r.postgres.p99Ms.toFixed(2),
    r.postgresToSqlite.toFixed(2),
  ]);
  return alignTable(header, cells);
}

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
