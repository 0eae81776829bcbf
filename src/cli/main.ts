import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, ENV_NAMES, LOG_LEVELS, resolveConfig } from '../config/config.js';
import { CONFIG_FILE_ENV, readConfigFile } from '../config/config-file.js';
import { DirectoryFileError } from '../directory/parse-directory.js';
import { UnknownPersonError } from '../domain/token-service.js';
import { exportDatabase } from './export.js';
import { serve } from './serve.js';
import { createToken, UsageError } from './token.js';
import { migrateDatabase } from './migrate.js';
import { RouteLimitError } from '../http/rate-limit.js';
import { addGenerateCommand } from './generate.js';
import { addImportCommand } from './import.js';
import { addControlCommands } from './control-commands.js';
import { writeFile } from 'node:fs/promises';

const DEFAULT_DB = './rollcall.db';

function program(): Command {
  const cli = new Command('rollcall')
    .description('A Webex-compatible People API server.')
    .showHelpAfterError()
    .exitOverride();

  cli
    .command('serve')
    .description('Run the server.')
    .option(
      '--config <file>',
      `JSON file of settings, keys as below in camelCase (env ${CONFIG_FILE_ENV}); env and flags win over it`,
    )
    .option('--host <address>', `address to listen on (env ${ENV_NAMES.host}, default 127.0.0.1)`)
    .option('--port <port>', `port to listen on, 0 for any (env ${ENV_NAMES.port}, default 8080)`)
    .option(
      '--db <file or url>',
      `SQLite file, :memory: or postgres:// URL (env ${ENV_NAMES.db}, default ${DEFAULT_DB})`,
    )
    .option('--seed <file>', `directory file that replaces the directory at start (env ${ENV_NAMES.seed})`)
    .option(
      '--demo',
      'load the demo directory into an empty database (default: only with the default database)',
    )
    .option(
      '--flags-as-booleans',
      `send invitePending/loginEnabled as JSON booleans (env ${ENV_NAMES.flagsAsBooleans})`,
    )
    .option(
      '--activity-flush-ms <ms>',
      `how often token use is written as activity (env ${ENV_NAMES.activityFlushMs}, default 5000)`,
    )
    .option(
      '--token-cache-ttl-ms <ms>',
      `how long a resolved token is cached (env ${ENV_NAMES.tokenCacheTtlMs}, default 10000)`,
    )
    .option('--db-pool-size <n>', `PostgreSQL pool size (env ${ENV_NAMES.dbPoolSize}, default 10)`)
    .option(
      '--no-migrate',
      `do not create or upgrade the PostgreSQL schema at start (env ${ENV_NAMES.migrate}=false)`,
    )
    .option('--redis <url>', `Redis URL: rate limits shared by every instance (env ${ENV_NAMES.redis})`)
    .option('--rate-limit <n>', `requests per minute per token (env ${ENV_NAMES.rateLimit}, default 6000)`)
    .option(
      '--route-rate-limits <list>',
      `lower budgets per route, e.g. "POST /v1/people=600" (env ${ENV_NAMES.routeRateLimits})`,
    )
    .option(
      '--max-event-loop-delay-ms <ms>',
      `503 while the event loop lags more (env ${ENV_NAMES.maxEventLoopDelayMs}, default 1000, 0: off)`,
    )
    .option(
      '--max-db-waiting <n>',
      `503 while more queries wait for a connection (env ${ENV_NAMES.maxDbWaiting}, default 200, 0: off)`,
    )
    .option(
      '--request-timeout-ms <ms>',
      `408 for a request not received whole within this (env ${ENV_NAMES.requestTimeoutMs}, default 30000)`,
    )
    .option(
      '--control-token <secret>',
      `secret of the control API /rollcall/v1, 16+ characters (env ${ENV_NAMES.controlToken}; without it: on for loopback only)`,
    )
    .option(
      '--trust-proxy',
      `honour X-Forwarded-* headers from a reverse proxy (env ${ENV_NAMES.trustProxy})`,
    )
    .addOption(
      new Option('--log-level <level>', `log level (env ${ENV_NAMES.logLevel}, default warn)`).choices(
        LOG_LEVELS,
      ),
    )
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const configPath = (flags.config as string | undefined) ?? (process.env[CONFIG_FILE_ENV] || undefined);
      const file = configPath === undefined ? undefined : readConfigFile(configPath);
      // Commander sets migrate=true unless --no-migrate; only the flag's "no" may override the environment.
      const config = resolveConfig(
        { ...flags, migrate: flags.migrate === false ? false : undefined },
        process.env,
        file,
      );
      const defaultDb = flags.db === undefined && !process.env[ENV_NAMES.db] && file?.values.db === undefined;
      await serve({ config, demo: flags.demo === true || defaultDb, print: (line) => console.log(line) });
    });

  const token = cli.command('token').description('Manage access tokens.');
  token
    .command('create')
    .description('Create a token for a person and print it.')
    .requiredOption('--person <id or email>', 'the person (hydra ID, UUID or email)')
    .option(
      '--expires <ISO date-time or duration>',
      'expiry, e.g. 2027-01-01T00:00:00Z or 12h (default: never)',
    )
    .option(
      '--db <file or url>',
      `SQLite file or postgres:// URL (env ${ENV_NAMES.db}, default ${DEFAULT_DB})`,
    )
    .action(async (flags: { person: string; expires?: string; db?: string }) => {
      console.log(await createToken({ ...flags, db: databaseOf(flags.db) }));
    });

  cli
    .command('export')
    .description('Print the directory file of a database (tokens are never exported).')
    .option(
      '--db <file or url>',
      `SQLite file or postgres:// URL (env ${ENV_NAMES.db}, default ${DEFAULT_DB})`,
    )
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (flags: { db?: string; output?: string }) => {
      const text = await exportDatabase(databaseOf(flags.db));
      if (flags.output) await writeFile(flags.output, text);
      else process.stdout.write(text);
    });

  addImportCommand(cli, databaseOf);
  addGenerateCommand(cli);
  addControlCommands(cli);

  cli
    .command('migrate')
    .description('Create or upgrade the database schema, then exit (serve does it too unless --no-migrate).')
    .option(
      '--db <file or url>',
      `SQLite file or postgres:// URL (env ${ENV_NAMES.db}, default ${DEFAULT_DB})`,
    )
    .action(async (flags: { db?: string }) => {
      await migrateDatabase(databaseOf(flags.db));
      console.log('The database schema is up to date.');
    });

  return cli;
}

function databaseOf(flag: string | undefined): string {
  return flag ?? (process.env[ENV_NAMES.db] || DEFAULT_DB);
}

const EXPECTED_ERRORS = [
  ConfigError,
  DirectoryFileError,
  UnknownPersonError,
  UsageError,
  InvalidArgumentError,
  RouteLimitError,
];

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2;
      return;
    }
    if (EXPECTED_ERRORS.some((type) => error instanceof type)) {
      console.error(`rollcall: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
