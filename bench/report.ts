import type { LoadResult } from './load.js';

// The printed table and the JSON written to bench/results/latest.json.

export interface CaseResult {
  key: string;
  name: string;
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
  return [c.warmup, c.measured].reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
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
    c.name,
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatFailures(cases: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    for (const [phase, r] of [
      ['warm-up', c.warmup],
      ['measured', c.measured],
    ] as const) {
      if (r.non2xx + r.errors + r.timeouts === 0) continue;
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
