import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// Every setting once: its type, default and description. Defaults ← config file ← environment ←
// flags, validated once at start.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1', description: 'Address to listen on.' }),
  port: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8080,
    description: 'Port to listen on (0: any).',
  }),
  db: Type.String({
    minLength: 1,
    default: './rollcall.db',
    description: 'SQLite file, :memory:, or a postgres:// URL.',
  }),
  dbPoolSize: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'PostgreSQL pool size.' }),
  migrate: Type.Boolean({
    default: true,
    description: 'Create or upgrade the PostgreSQL schema at start (off: run `rollcall migrate` yourself).',
  }),
  redis: Type.Optional(
    Type.String({ pattern: '^rediss?://', description: 'Redis URL: rate limits shared by every instance.' }),
  ),
  rateLimit: Type.Integer({
    minimum: 1,
    default: 6000,
    description: 'Requests per minute per token.',
  }),
  routeRateLimits: Type.String({
    default: '',
    description:
      'Lower per-route budgets per minute per token, e.g. "POST /v1/people=600,DELETE /v1/people/:personId=600".',
  }),
  maxEventLoopDelayMs: Type.Integer({
    minimum: 0,
    default: 1000,
    description: 'Answer 503 while the event loop lags more than this (0: never).',
  }),
  maxDbWaiting: Type.Integer({
    minimum: 0,
    default: 200,
    description: 'Answer 503 while more queries than this wait for a PostgreSQL connection (0: never).',
  }),
  requestTimeoutMs: Type.Integer({
    minimum: 100,
    default: 30000,
    description:
      'A request must arrive whole (head and body) within this, in ms, else 408 (the head: within 10 s at most).',
  }),
  controlToken: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Secret of the control API (/rollcall/v1), at least 16 characters: every control call then needs it as a bearer token. ' +
        'Without it the control API is on only when listening on a loopback address.',
    }),
  ),
  seed: Type.Optional(
    Type.String({ minLength: 1, description: 'Directory file that replaces the directory at start.' }),
  ),
  flagsAsBooleans: Type.Boolean({
    default: false,
    description: 'Send invitePending/loginEnabled as JSON booleans instead of "true"/"false".',
  }),
  activityFlushMs: Type.Integer({
    minimum: 10,
    default: 5000,
    description: 'How often recorded activity (token use) is written to the store, in ms.',
  }),
  tokenCacheTtlMs: Type.Integer({
    minimum: 0,
    default: 10000,
    description: 'How long a resolved token is trusted before the store is asked again, in ms.',
  }),
  trustProxy: Type.Boolean({
    default: false,
    description: 'Behind a reverse proxy: honour X-Forwarded-Proto/-Host/-For (pagination links use them).',
  }),
  logLevel: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: 'warn', description: 'Log level of the JSON logs on standard error.' },
  ),
});

export type Config = Static<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

export const ENV_NAMES: Record<ConfigKey, string> = {
  host: 'HOST',
  port: 'PORT',
  db: 'ROLLCALL_DB',
  dbPoolSize: 'ROLLCALL_DB_POOL_SIZE',
  migrate: 'ROLLCALL_MIGRATE',
  redis: 'ROLLCALL_REDIS',
  rateLimit: 'ROLLCALL_RATE_LIMIT',
  routeRateLimits: 'ROLLCALL_ROUTE_RATE_LIMITS',
  maxEventLoopDelayMs: 'ROLLCALL_MAX_EVENT_LOOP_DELAY_MS',
  maxDbWaiting: 'ROLLCALL_MAX_DB_WAITING',
  requestTimeoutMs: 'ROLLCALL_REQUEST_TIMEOUT_MS',
  controlToken: 'ROLLCALL_CONTROL_TOKEN',
  seed: 'ROLLCALL_SEED',
  flagsAsBooleans: 'ROLLCALL_FLAGS_AS_BOOLEANS',
  activityFlushMs: 'ROLLCALL_ACTIVITY_FLUSH_MS',
  tokenCacheTtlMs: 'ROLLCALL_TOKEN_CACHE_TTL_MS',
  trustProxy: 'ROLLCALL_TRUST_PROXY',
  logLevel: 'ROLLCALL_LOG_LEVEL',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A config file's settings (`--config`, ROLLCALL_CONFIG): ConfigSchema keys only (see config-file.ts). */
export interface ConfigFile {
  path: string;
  values: Readonly<Record<string, unknown>>;
}

/**
 * Defaults, then the config file, then environment variables, then flags (already parsed, possibly
 * strings), validated once; a bad value is reported with where it came from.
 */
export function resolveConfig(
  flags: Partial<Record<ConfigKey, unknown>>,
  env: NodeJS.ProcessEnv,
  file?: ConfigFile,
): Config {
  const merged: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const key of Object.keys(ConfigSchema.properties) as ConfigKey[]) {
    const fromEnv = env[ENV_NAMES[key]];
    const found = (
      [
        [flags[key], `flag --${kebab(key)}`],
        [fromEnv === '' ? undefined : fromEnv, `environment variable ${ENV_NAMES[key]}`],
        [file?.values[key], `config file ${file?.path ?? ''}`],
      ] as const
    ).find(([value]) => value !== undefined);
    if (found === undefined) continue;
    merged[key] = found[0];
    sources.set(key, found[1]);
  }
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value === 'string') merged[key] = fromText(key as ConfigKey, value, sources.get(key) ?? '');
  }
  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, merged));
  const error = Value.Errors(ConfigSchema, candidate).First();
  if (error) {
    const key = error.path.slice(1);
    // A secret is not repeated in the message (it would end up in logs).
    const shown =
      key === 'controlToken' ? '(secret)' : JSON.stringify((candidate as Record<string, unknown>)[key]);
    throw new ConfigError(
      `Invalid setting ${key} (${sources.get(key) ?? 'default'}): ${shown} ${error.message}`,
    );
  }
  return candidate as Config;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Settings from flags and the environment arrive as text. Whole numbers and booleans are read
 * strictly: `--port 0.5`, `1e3` or `0x10` is an error, not a port (TypeBox's Convert would accept them).
 */
function fromText(key: ConfigKey, text: string, source: string): unknown {
  const type = (ConfigSchema.properties[key] as { type?: string }).type;
  if (type === 'integer') {
    if (!/^-?\d+$/.test(text.trim()))
      throw new ConfigError(`Invalid setting ${key} (${source}): "${text}" is not a whole number`);
    return Number(text);
  }
  if (type === 'boolean') {
    if (!/^(true|false)$/i.test(text.trim()))
      throw new ConfigError(`Invalid setting ${key} (${source}): "${text}" is not true or false`);
    return text.trim().toLowerCase() === 'true';
  }
  return text;
}
