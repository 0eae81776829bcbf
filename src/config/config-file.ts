import { readFileSync } from 'node:fs';
import { ConfigError, ConfigSchema, type ConfigFile } from './config.js';

// `rollcall serve --config rollcall.json` (or ROLLCALL_CONFIG): a JSON object whose keys are the
// settings of ConfigSchema, e.g. {"port": 8080, "db": "postgres://…", "logLevel": "info"}. It sits
// between the defaults and the environment: environment variables and flags win over it.

export const CONFIG_FILE_ENV = 'ROLLCALL_CONFIG';

/** The file's settings, before validation; a missing or malformed file or an unknown key is an error. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(
      `The config file ${path} must hold a JSON object of settings, e.g. {"port": 8080}.`,
    );
  }
  const known = Object.keys(ConfigSchema.properties);
  const unknown = Object.keys(values).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} ` +
        `in the config file ${path}; the settings are ${known.join(', ')}.`,
    );
  }
  return { path, values: values as Record<string, unknown> };
}
