// The facts of an OpenAPI document that compatibility depends on, without prose: operations, parameters
// (name, place, type), success statuses, request body fields and the Person's fields, with types and
// enums. Made the same way from Cisco's document (once, by scripts/webex-openapi-facts.ts, into
// test/fixtures/) and from Rollcall's, so that the two compare line by line.

export interface OpenApiFacts {
  /** Where the facts come from. */
  source: string;
  /** `METHOD /path`, paths relative to the API's base (`/people/{personId}`). */
  operations: string[];
  /** `METHOD /path in name` → type. */
  parameters: Record<string, string>;
  /** `METHOD /path` → its 2xx statuses, comma-separated. */
  successes: Record<string, string>;
  /** `METHOD /path field` → type; `field[]` is an array's items, `a.b` a nested field. */
  requestBodies: Record<string, string>;
  /** Person field → type, the same way. */
  person: Record<string, string>;
}

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/**
 * The facts of `document`'s paths under `basePath` (`/v1` for Rollcall, `` for Cisco's document, whose
 * server URL carries the /v1), with `/people` in them.
 */
export function openApiFacts(document: unknown, basePath: string, source: string): OpenApiFacts {
  const doc = asObject(document);
  const resolve = (schema: unknown): Json => {
    const node = asObject(schema);
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const name = ref.replace(/^#\/components\/schemas\//, '');
    return resolve(asObject(asObject(asObject(doc.components).schemas)[name]));
  };
  const facts: OpenApiFacts = {
    source,
    operations: [],
    parameters: {},
    successes: {},
    requestBodies: {},
    person: {},
  };
  for (const [fullPath, item] of Object.entries(asObject(doc.paths))) {
    if (!fullPath.startsWith(`${basePath}/people`)) continue;
    const path = fullPath.slice(basePath.length);
    for (const [method, operation] of Object.entries(asObject(item))) {
      if (!HTTP_METHODS.includes(method)) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const op = asObject(operation);
      facts.operations.push(name);
      for (const parameter of (op.parameters ?? []) as Json[]) {
        const key = `${name} ${String(parameter.in)} ${String(parameter.name)}`;
        facts.parameters[key] = typeOf(resolve(parameter.schema), resolve);
      }
      const codes = Object.keys(asObject(op.responses)).filter((code) => /^2\d\d$/.test(code));
      facts.successes[name] = codes.sort().join(',');
      const body = asObject(asObject(asObject(op.requestBody).content)['application/json']).schema;
      if (body !== undefined) fieldsOf(resolve(body), resolve, `${name} `, facts.requestBodies);
    }
  }
  facts.operations.sort();
  fieldsOf(resolve({ $ref: '#/components/schemas/Person' }), resolve, '', facts.person);
  return sortedFacts(facts);
}

/** `string`, `integer`, `string enum(a|b)`, `array`, `object`, or `x | y` for a union. */
function typeOf(schema: Json, resolve: (schema: unknown) => Json): string {
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (union !== undefined) {
    return union
      .map((member) => typeOf(resolve(member), resolve))
      .sort()
      .join(' | ');
  }
  const type = typeof schema.type === 'string' ? schema.type : 'any';
  if (!Array.isArray(schema.enum)) return type;
  return `${type} enum(${schema.enum.map(String).sort().join('|')})`;
}

/** Every field of an object schema, recursively: `a`, `a[]`, `a[].b`. */
function fieldsOf(
  schema: Json,
  resolve: (schema: unknown) => Json,
  prefix: string,
  into: Record<string, string>,
): void {
  for (const [name, property] of Object.entries(asObject(schema.properties))) {
    describeField(resolve(property), resolve, `${prefix}${name}`, into);
  }
}

function describeField(
  schema: Json,
  resolve: (schema: unknown) => Json,
  key: string,
  into: Record<string, string>,
): void {
  into[key] = typeOf(schema, resolve);
  if (schema.type === 'array') describeField(resolve(schema.items), resolve, `${key}[]`, into);
  if (schema.type === 'object') fieldsOf(schema, resolve, `${key}.`, into);
}

function sortedFacts(facts: OpenApiFacts): OpenApiFacts {
  const sorted = (record: Record<string, string>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    source: facts.source,
    operations: facts.operations,
    parameters: sorted(facts.parameters),
    successes: sorted(facts.successes),
    requestBodies: sorted(facts.requestBodies),
    person: sorted(facts.person),
  };
}
