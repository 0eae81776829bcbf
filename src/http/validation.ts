import { Ajv, type Options } from 'ajv';
import type { FastifyInstance } from 'fastify';

// Query strings and path parameters arrive as text, so they are coerced to the declared types
// (`max=10` → 10). JSON bodies already carry types: a wrong one is a 400, never silently converted.

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };
const coercing = new Ajv({ ...common, coerceTypes: 'array' });
const strict = new Ajv({ ...common, coerceTypes: false });

export function validateBodiesStrictly(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}
