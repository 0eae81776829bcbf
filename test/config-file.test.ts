import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CONFIG_FILE_ENV, readConfigFile } from '../src/config/config-file.js';
import { ConfigError, ConfigSchema, ENV_NAMES, resolveConfig, type ConfigKey } from '../src/config/config.js';
import { cleanEnv, cleanUp, getJson, runCli, startServe, tempDir } from './helpers/cli-process.js';
import { createTestDatabase } from './helpers/test-database.js';

// Settings from a file: `--config rollcall.json` or ROLLCALL_CONFIG, keys as in ConfigSchema;
// defaults ← file ← environment ← flags, validated once, every error naming the key and its source.

after(cleanUp);

const KEYS = Object.keys(ConfigSchema.properties) as ConfigKey[];

function configFile(content: unknown, name = 'rollcall.json'): string {
  const path = join(tempDir('rollcall-config-'), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function configError(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('no ConfigError');
}

describe('precedence: defaults ← file ← environment ← flags', () => {
  const path = configFile({ port: 9001, host: '0.0.0.0', logLevel: 'info', rateLimit: 50, trustProxy: true });
  const file = readConfigFile(path);

  test('the file wins over the defaults', () => {
    const config = resolveConfig({}, {}, file);
    assert.deepEqual(
      { port: config.port, host: config.host, logLevel: config.logLevel, rateLimit: config.rateLimit },
      { port: 9001, host: '0.0.0.0', logLevel: 'info', rateLimit: 50 },
    );
    assert.equal(config.trustProxy, true);
    assert.equal(config.db, './rollcall.db', 'a setting the file leaves out keeps its default');
  });

  test('the environment wins over the file', () => {
    const config = resolveConfig({}, { PORT: '9002', ROLLCALL_LOG_LEVEL: 'debug' }, file);
    assert.deepEqual([config.port, config.logLevel, config.host], [9002, 'debug', '0.0.0.0']);
  });

  test('flags win over the environment and the file', () => {
    const config = resolveConfig({ port: '9003' }, { PORT: '9002' }, file);
    assert.deepEqual([config.port, config.rateLimit], [9003, 50]);
  });

  test('an empty environment variable counts as unset', () => {
    assert.equal(resolveConfig({}, { PORT: '' }, file).port, 9001);
  });

  test('without a file: defaults ← environment ← flags, as before', () => {
    assert.equal(resolveConfig({}, {}).port, 8080);
    assert.equal(resolveConfig({}, { PORT: '81' }).port, 81);
    assert.equal(resolveConfig({ port: '82' }, { PORT: '81' }).port, 82);
  });

  test('every setting can come from the file', () => {
    const values: Record<string, unknown> = {
      host: '::1',
      port: 1,
      db: 'x.db',
      dbPoolSize: 3,
      migrate: false,
      redis: 'redis://cache:6379',
      rateLimit: 7,
      routeRateLimits: 'POST /v1/people=5',
      maxEventLoopDelayMs: 0,
      maxDbWaiting: 9,
      requestTimeoutMs: 1300,
      controlToken: 'secret-of-16-chars',
      seed: 'seed.json',
      flagsAsBooleans: true,
      activityFlushMs: 11,
      tokenCacheTtlMs: 12,
      trustProxy: true,
      logLevel: 'trace',
    };
    assert.deepEqual(Object.keys(values).sort(), [...KEYS].sort(), 'a setting is missing from this test');
    assert.deepEqual(resolveConfig({}, {}, readConfigFile(configFile(values))), values);
  });
});

describe('bad values name the setting and where it came from', () => {
  test('from the file', () => {
    const path = configFile({ port: 65536 });
    assert.equal(
      configError(() => resolveConfig({}, {}, readConfigFile(path))),
      `Invalid setting port (config file ${path}): 65536 Expected integer to be less or equal to 65535`,
    );
    const text = configFile({ port: 'abc' });
    assert.equal(
      configError(() => resolveConfig({}, {}, readConfigFile(text))),
      `Invalid setting port (config file ${text}): "abc" is not a whole number`,
    );
  });

  test('from the environment, over a good file', () => {
    const file = readConfigFile(configFile({ port: 1 }));
    assert.equal(
      configError(() => resolveConfig({}, { ROLLCALL_LOG_LEVEL: 'loud' }, file)),
      'Invalid setting logLevel (environment variable ROLLCALL_LOG_LEVEL): "loud" Expected union value',
    );
  });

  test('from a flag', () => {
    assert.equal(
      configError(() => resolveConfig({ rateLimit: '0' }, {})),
      'Invalid setting rateLimit (flag --rate-limit): 0 Expected integer to be greater or equal to 1',
    );
  });

  test('a control token under 16 characters is refused, without repeating it', () => {
    assert.equal(
      configError(() => resolveConfig({ controlToken: 'x' }, {})),
      'Invalid setting controlToken (flag --control-token): (secret) Expected string length greater or equal to 16',
    );
    assert.equal(
      configError(() => resolveConfig({}, { ROLLCALL_CONTROL_TOKEN: 'fifteen-chars-x' })),
      'Invalid setting controlToken (environment variable ROLLCALL_CONTROL_TOKEN): (secret) Expected string length greater or equal to 16',
    );
    assert.equal(resolveConfig({ controlToken: 'sixteen-chars-xx' }, {}).controlToken, 'sixteen-chars-xx');
  });

  test('a wrong type in the file is refused, not coerced to something else', () => {
    const path = configFile({ trustProxy: 'yes' });
    assert.equal(
      configError(() => resolveConfig({}, {}, readConfigFile(path))),
      `Invalid setting trustProxy (config file ${path}): "yes" is not true or false`,
    );
  });
});

describe('the file itself', () => {
  test('an unknown key is an error that lists the settings', () => {
    const path = configFile({ port: 1, prot: 2 });
    assert.equal(
      configError(() => readConfigFile(path)),
      `Unknown setting "prot" in the config file ${path}; the settings are ${KEYS.join(', ')}.`,
    );
    const two = configFile({ 'log-level': 'info', demo: true });
    assert.match(
      configError(() => readConfigFile(two)),
      /^Unknown settings "log-level", "demo" in the config file /,
    );
  });

  test('a file that is not a JSON object is an error naming it', () => {
    const notJson = configFile('{"port": 1,}');
    assert.match(
      configError(() => readConfigFile(notJson)),
      new RegExp(`^The config file ${notJson} is not valid JSON: `),
    );
    const array = configFile([{ port: 1 }]);
    assert.equal(
      configError(() => readConfigFile(array)),
      `The config file ${array} must hold a JSON object of settings, e.g. {"port": 8080}.`,
    );
  });

  test('a missing file is an error naming it', () => {
    const missing = join(tempDir('rollcall-config-'), 'nope.json');
    assert.match(
      configError(() => readConfigFile(missing)),
      new RegExp(`^Cannot read the config file ${missing}: ENOENT`),
    );
  });
});

describe('rollcall serve', () => {
  test('--help lists every setting, with its environment variable, and --config', async () => {
    const help = await runCli(['serve', '--help']);
    assert.equal(help.code, 0);
    for (const key of KEYS) {
      const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      assert.match(help.stdout, new RegExp(`--(no-)?${flag}\\b`), `--${flag}`);
      assert.ok(help.stdout.includes(ENV_NAMES[key]), ENV_NAMES[key]);
    }
    assert.match(help.stdout, /--config <file>/);
    assert.ok(help.stdout.includes(CONFIG_FILE_ENV));
  });

  test('--config: the server runs on the file’s database and settings', async () => {
    const database = await createTestDatabase();
    try {
      const path = configFile({ port: 0, db: database.url, logLevel: 'silent', maxEventLoopDelayMs: 0 });
      const server = await startServe(['--config', path]);
      assert.deepEqual(await getJson(`${server.url}/readyz`), { status: 200, body: { status: 'ready' } });
      assert.equal(
        server.stdout().includes('demo'),
        false,
        'the demo directory is for the default database only',
      );
      await server.stop();
    } finally {
      await database.drop();
    }
  });

  test('ROLLCALL_CONFIG names the file; a flag wins over it', async () => {
    const database = await createTestDatabase();
    try {
      const path = configFile({ port: 1, db: database.url, logLevel: 'silent', maxEventLoopDelayMs: 0 });
      const server = await startServe(['--port', '0'], { env: cleanEnv({ [CONFIG_FILE_ENV]: path }) });
      assert.notEqual(server.port, 1);
      assert.equal((await getJson(`${server.url}/healthz`)).status, 200);
      await server.stop();
    } finally {
      await database.drop();
    }
  });

  test('--host 0.0.0.0 with a one-character --control-token does not start: exit 1, the setting named', async () => {
    const cwd = tempDir();
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--control-token', 'x'], {
      cwd,
    });
    assert.deepEqual(
      { code: result.code, stdout: result.stdout, stderr: result.stderr },
      {
        code: 1,
        stdout: '',
        stderr:
          'rollcall: Invalid setting controlToken (flag --control-token): (secret) Expected string length greater or equal to 16\n',
      },
    );
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false, 'a database was opened');
  });

  test('a bad file stops it before it opens anything, with exit code 1 and the message', async () => {
    const cwd = tempDir();
    const path = configFile({ port: 1, colour: 'blue' });
    assert.deepEqual(await runCli(['serve', '--config', path], { cwd }), {
      code: 1,
      signal: null,
      stdout: '',
      stderr: `rollcall: Unknown setting "colour" in the config file ${path}; the settings are ${KEYS.join(', ')}.\n`,
    });
    const bad = configFile({ port: 70000 });
    const result = await runCli(['serve', '--config', bad], { cwd });
    assert.deepEqual(
      { code: result.code, stderr: result.stderr },
      {
        code: 1,
        stderr: `rollcall: Invalid setting port (config file ${bad}): 70000 Expected integer to be less or equal to 65535\n`,
      },
    );
    assert.equal(existsSync(join(cwd, 'rollcall.db')), false, 'a database was opened');
  });
});
