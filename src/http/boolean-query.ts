import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    booleanQueryKeys?: readonly string[];
  }
}

/**
 * Webex accepts `true`/`false` in any case (the Python SDK sends `True`); the schemas say boolean.
 * Lower-cases those values for the query parameters a route declares boolean, before validation.
 */
export function acceptBooleansInAnyCase(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const properties = (
      route.schema?.querystring as { properties?: Record<string, { type?: string }> } | undefined
    )?.properties;
    if (!properties) return;
    const keys = Object.keys(properties).filter((key) => properties[key]?.type === 'boolean');
    if (keys.length > 0) route.config = { ...route.config, booleanQueryKeys: keys };
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const keys = request.routeOptions.config.booleanQueryKeys;
    if (keys) {
      const query = request.query as Record<string, unknown>;
      for (const key of keys) {
        const value = query[key];
        if (typeof value === 'string') query[key] = value.toLowerCase();
      }
    }
    done();
  });
}
