import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreQueryObserver } from '../store/timed-store.js';

// Prometheus metrics. Each app has its own registry (the tests build many apps in one process); the
// process metrics (CPU, memory, event loop, GC) belong to the process, so they are collected once and
// merged into every answer.

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The route label of a request that matched no route (404s), so that raw URLs never become labels. */
export const UNMATCHED_ROUTE = '(unmatched)';

export class AppMetrics {
  private readonly registry = new Registry();
  private readonly registers = [this.registry];
  private readonly requests = new Counter({
    name: 'rollcall_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: this.registers,
  });
  private readonly requestDuration = new Histogram({
    name: 'rollcall_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: this.registers,
  });
  private readonly rateLimited = new Counter({
    name: 'rollcall_rate_limited_requests_total',
    help: 'Requests rejected with 429 by the rate limits, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    registers: this.registers,
  });
  private readonly storeDuration = new Histogram({
    name: 'rollcall_store_query_duration_seconds',
    help: 'Time of a store call, by store method and outcome (ok or error).',
    labelNames: ['method', 'outcome'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: this.registers,
  });

  readonly contentType = this.registry.contentType;
  // Label sets repeat (a few routes, methods and statuses): each one's children are looked up once.
  private readonly requestChildren = new Map<string, { count: () => void; time: (s: number) => void }>();
  private readonly storeChildren = new Map<string, (seconds: number) => void>();

  /** For timedStore(): one observation per store call. */
  readonly observeStoreQuery: StoreQueryObserver = (method, seconds, outcome) => {
    const key = `${method} ${outcome}`;
    let observe = this.storeChildren.get(key);
    if (observe === undefined) {
      const child = this.storeDuration.labels({ method, outcome });
      observe = (s) => child.observe(s);
      this.storeChildren.set(key, observe);
    }
    observe(seconds);
  };

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let children = this.requestChildren.get(key);
    if (children === undefined) {
      const labels = { method, route, status_code: String(status) };
      const counter = this.requests.labels(labels);
      const histogram = this.requestDuration.labels(labels);
      const limited = status === 429 ? this.rateLimited.labels({ method, route }) : undefined;
      children = {
        count: () => {
          counter.inc();
          limited?.inc();
        },
        time: (s) => histogram.observe(s),
      };
      this.requestChildren.set(key, children);
    }
    children.count();
    children.time(seconds);
  }

  /** rollcall_change_feed_connected, for a store that has a change feed (PostgreSQL) only. */
  trackChangeFeed(connected: () => boolean): void {
    this.connectionGauge(
      'rollcall_change_feed_connected',
      '1 while the PostgreSQL change feed (LISTEN) is connected; 0 while it is down and token caching is off.',
      connected,
    );
  }

  /** rollcall_redis_connected and rollcall_redis_errors_total; resolves to the counter's increment. */
  trackRedis(connected: () => boolean): () => void {
    this.connectionGauge(
      'rollcall_redis_connected',
      '1 while Redis (shared rate-limit counters) is connected; 0 while it is down and rate limits are not enforced.',
      connected,
    );
    const errors = new Counter({
      name: 'rollcall_redis_errors_total',
      help: 'Errors of the Redis connection (each failed connection attempt counts).',
      registers: this.registers,
    });
    return () => errors.inc();
  }

  /** A gauge read at scrape time: 1 while `connected()` says so, else 0. */
  private connectionGauge(name: string, help: string, connected: () => boolean): void {
    new Gauge({
      name,
      help,
      registers: this.registers,
      collect() {
        this.set(connected() ? 1 : 0);
      },
    });
  }

  /** This app's metrics and the process's, in the Prometheus text format. */
  async text(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }
}

/** Counts and times every answered request (the route's pattern, never the raw URL), 429s apart. */
export function countRequests(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
