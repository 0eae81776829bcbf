import autocannon from 'autocannon';

// One autocannon run: every connection walks its own share of the prepared requests, round and round.
// Latency is recorded per response here (autocannon's histogram keeps whole milliseconds only).
// Without `rate` the connections send as fast as answers come (a closed loop: throughput, and latency
// that includes waiting behind the other connections); with it, autocannon holds that overall rate.

export interface ScaleRequest {
  path: string;
  headers: Record<string, string>;
}

export interface LoadRun {
  requestsPerSecond: number;
  completed: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  durationS: number;
}

let active: autocannon.Instance | undefined;

export function stopLoad(): void {
  active?.stop();
}

export function runLoad(options: {
  url: string;
  requests: readonly ScaleRequest[];
  connections: number;
  durationS: number;
  rate?: number;
}): Promise<LoadRun> {
  const { requests, connections } = options;
  const latencies: number[] = [];
  let nextConnection = 0;
  // Each connection cycles through its own share of the requests: autocannon prepares every request
  // of a connection up front, so handing each all of them would cost connections × requests.
  const share = Math.max(1, Math.floor(requests.length / connections));
  const slice = (connection: number): autocannon.Request[] => {
    const start = (connection * share) % requests.length;
    return requests.slice(start, start + share).map((r) => ({
      method: 'GET',
      path: r.path,
      headers: { ...r.headers },
    }));
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: options.durationS,
        timeout: 10,
        requests: slice(0),
        ...(options.rate !== undefined && options.rate > 0 && { overallRate: options.rate }),
        setupClient: (client) => {
          const connection = nextConnection++;
          if (connection > 0) client.setRequests(slice(connection));
        },
      },
      (error: unknown, result) => {
        active = undefined;
        if (error) reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        else resolve(summarize(result, latencies));
      },
    );
    active = instance;
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

function summarize(result: autocannon.Result, latencies: number[]): LoadRun {
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
  const completed = result.requests.total;
  return {
    requestsPerSecond: result.duration > 0 ? completed / result.duration : 0,
    completed,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? 0,
    },
    bytesPerResponse: completed === 0 ? 0 : result.throughput.total / completed,
    statusCodes,
    errors: result.non2xx + result.errors + result.timeouts,
    durationS: result.duration,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
