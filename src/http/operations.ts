import type { FastifyInstance } from 'fastify';
import { countRequests, type AppMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';

export interface OperationsDeps {
  metrics: AppMetrics;
  /** Resolves when the store answers and its schema is up to date. */
  ready: () => Promise<void>;
}

/**
 * Health, readiness, metrics and the OpenAPI document (with /docs). Registered before the API's routes:
 * the document collects the routes registered after it, and the metrics count them.
 */
export async function registerOperations(app: FastifyInstance, deps: OperationsDeps): Promise<void> {
  countRequests(app, deps.metrics);
  await registerOpenApi(app);
  healthRoutes(app, { ready: deps.ready });
  metricsRoutes(app, deps.metrics);
}
