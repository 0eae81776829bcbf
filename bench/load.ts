import autocannon from 'autocannon';

// One autocannon run against one case. The prepared list of requests is dealt out to the connections,
// each of which cycles through its share (prebuilt once, so the load generator spends no time per
// request on building them): concurrent requests ask for different people with different tokens.
// Without `rate` the connections send as fast as answers come (a closed loop: throughput, and latency
// that includes waiting behind the other connections); with it, autocannon holds that overall rate.

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  requests: readonly BenchRequest[];
  connections: number;
  durationS: number;
  /** Requests per second for all connections together (default: as fast as answers come). */
  rate?: number;
}

export interface LoadResult {
  /** Completed requests ÷ the run's duration. */
  requestsPerSecond: number;
  completed: number;
  /** Latencies measured here per response (autocannon's histogram keeps whole milliseconds only). */
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** Average bytes per response, headers included. */
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
}

let active: autocannon.Instance | undefined;

/** Stops the run in progress, if any (it still resolves with what it measured). */
export function stopLoad(): void {
  active?.stop();
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { requests, connections } = options;
  if (requests.length === 0) throw new Error('no requests to send');
  const latencies: number[] = [];
  let nextConnection = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections,
        duration: options.durationS,
        // autocannon ends a run on its sampling tick (1 s): a run shorter than that (a smoke run) needs
        // a shorter tick, or it lasts the whole second.
        sampleInt: Math.min(1000, options.durationS * 1000),
        timeout: 10,
        ...(options.rate !== undefined && options.rate > 0 && { overallRate: options.rate }),
        // autocannon deep-copies the options for each connection and builds every request up front:
        // hand each connection only its own share of the list.
        requests: share(requests, 0, connections),
        setupClient: (client) => {
          const index = nextConnection++;
          if (index > 0) client.setRequests(share(requests, index, connections));
        },
      },
      (error: unknown, result) => {
        active = undefined;
        if (error) reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        else resolve(summarize(result, latencies));
      },
    );
    active = instance;
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** Connection `index`'s share of the list: every `connections`-th request from `index` on. */
function share(requests: readonly BenchRequest[], index: number, connections: number): autocannon.Request[] {
  const mine = requests.filter((_, i) => i % connections === index % connections);
  return (mine.length > 0 ? mine : requests).map((r) => ({
    method: 'GET',
    path: r.path,
    headers: { ...r.headers },
  }));
}

function summarize(result: autocannon.Result, latencies: number[]): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stats.count ?? 0;
  }
  const completed = result.requests.total;
  return {
    requestsPerSecond: result.duration > 0 ? completed / result.duration : 0,
    completed,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      mean: sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length,
      max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0),
    },
    bytesPerResponse: completed === 0 ? 0 : result.throughput.total / completed,
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
  };
}

/** Requests that did not get a 2xx answer: non-2xx statuses, connection errors and timeouts. */
export function failedRequests(result: LoadResult): number {
  return result.non2xx + result.errors + result.timeouts;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
