import { readFile, writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ControlClient, ControlClientError, DEFAULT_SERVER_URL } from './control-client.js';

// `rollcall clock|presence|faults|requests|directory …`: the control API of a running server, from the
// command line. Every command prints the server's JSON answer.

interface ServerFlags {
  url: string;
  controlToken?: string;
}

/** Adds --url and --control-token to a command that talks to a running server. */
function withServer(command: Command): Command {
  return command
    .option('--url <url>', 'the running server', DEFAULT_SERVER_URL)
    .option('--control-token <secret>', "the server's control token (env ROLLCALL_CONTROL_TOKEN)");
}

async function run(flags: ServerFlags, work: (client: ControlClient) => Promise<unknown>): Promise<void> {
  const token = flags.controlToken ?? (process.env.ROLLCALL_CONTROL_TOKEN || undefined);
  const client = new ControlClient({ url: flags.url, ...(token !== undefined && { token }) });
  try {
    const result = await work(client);
    if (result !== undefined) console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    if (!(error instanceof ControlClientError)) throw error;
    console.error(`rollcall: ${error.message}`);
    process.exitCode = 1;
  }
}

const number = (kind: 'integer' | 'number') => (value: string) => {
  const parsed = Number(value);
  if (value.trim() === '' || Number.isNaN(parsed) || (kind === 'integer' && !Number.isInteger(parsed))) {
    throw new InvalidArgumentError(`not an ${kind === 'integer' ? 'integer' : 'number'}.`);
  }
  return parsed;
};

export function addControlCommands(cli: Command): void {
  addClockCommands(cli);
  addPresenceCommands(cli);
  addFaultCommands(cli);
  addRequestCommands(cli);
  addDirectoryCommands(cli);
}

function addClockCommands(cli: Command): void {
  const clock = cli.command('clock').description("Read or move a running server's clock (control API).");
  const change = (body: unknown) => (flags: ServerFlags) =>
    run(flags, (c) => c.request('PUT', '/clock', body));
  withServer(clock.command('get', { isDefault: true }).description('Print the server time and mode.')).action(
    (flags: ServerFlags) => run(flags, (c) => c.request('GET', '/clock')),
  );
  withServer(clock.command('set <time>').description('Freeze time at an ISO-8601 date-time.'))
    .option('--running', 'let time run on from there instead')
    .action((time: string, flags: ServerFlags & { running?: boolean }) =>
      change({ now: time, ...(flags.running && { mode: 'real' }) })(flags),
    );
  withServer(
    clock.command('advance <duration>').description('Move time by a duration: 15m, 90s, 2h, -5m.'),
  ).action((duration: string, flags: ServerFlags) => change({ advance: duration })(flags));
  withServer(clock.command('freeze').description('Stop time where it is.')).action(
    change({ mode: 'frozen' }),
  );
  withServer(clock.command('real').description("Back to the machine's time.")).action(
    change({ mode: 'real' }),
  );
}

function addPresenceCommands(cli: Command): void {
  const presence = cli.command('presence').description("Read or set a person's presence (control API).");
  withServer(presence.command('get <person>').description('Print presence (person: ID or email).')).action(
    (person: string, flags: ServerFlags) =>
      run(flags, (c) => c.request('GET', `/people/${encodeURIComponent(person)}/presence`)),
  );
  withServer(presence.command('set <person>').description('Set some presence fields (person: ID or email).'))
    .option('--state <state>', 'call, meeting, presenting, DoNotDisturb, OutOfOffice, unknown, or none')
    .option('--last-activity <time>', 'ISO-8601 date-time, now, or none (never signed in)')
    .addOption(
      new Option('--sharing <on|off>', 'whether the person shares their status').choices(['on', 'off']),
    )
    .action(
      (person: string, flags: ServerFlags & { state?: string; lastActivity?: string; sharing?: string }) => {
        const orNull = (value: string) => (value === 'none' ? null : value);
        const body = {
          ...(flags.state !== undefined && { state: orNull(flags.state) }),
          ...(flags.lastActivity !== undefined && { lastActivity: orNull(flags.lastActivity) }),
          ...(flags.sharing !== undefined && { sharing: flags.sharing === 'on' }),
        };
        return run(flags, (c) => c.request('PUT', `/people/${encodeURIComponent(person)}/presence`, body));
      },
    );
}

interface FaultFlags extends ServerFlags {
  path: string;
  method?: string;
  status?: number;
  retryAfter?: number;
  probability?: number;
  count?: number;
  delayMs?: number;
  seed?: number;
}

function addFaultCommands(cli: Command): void {
  const faults = cli.command('faults').description('Fault rules for Webex requests (control API).');
  withServer(faults.command('list', { isDefault: true }).description('Print the rules.')).action(
    (flags: ServerFlags) => run(flags, (c) => c.request('GET', '/faults')),
  );
  withServer(faults.command('add').description('Add a rule (needs --status, --delay-ms or both).'))
    .requiredOption('--path <glob>', 'request path: * within a segment, ** across, e.g. /v1/people/*')
    .option('--method <method>', 'HTTP method (default: any)')
    .option('--status <code>', '429, 423, 500, 502, 503 or 504', number('integer'))
    .option('--retry-after <seconds>', 'Retry-After of a 429, 423 or 503 (default 1)', number('integer'))
    .option('--probability <p>', 'chance that a matching request fails, 0 to 1 (default 1)', number('number'))
    .option('--count <n>', 'fail this many requests, then stop', number('integer'))
    .option('--delay-ms <ms>', 'delay the answer', number('integer'))
    .option('--seed <n>', 'reproducible random sequence for --probability', number('integer'))
    .action((flags: FaultFlags) => {
      const { path, method, status, retryAfter, probability, count, delayMs, seed } = flags;
      const rule = { path, method, status, retryAfter, probability, count, delayMs, seed };
      return run(flags, (c) => c.request('POST', '/faults', rule));
    });
  withServer(faults.command('remove <id>').description('Remove one rule.')).action(
    (id: string, flags: ServerFlags) =>
      run(flags, (c) => c.request('DELETE', `/faults/${encodeURIComponent(id)}`)),
  );
  withServer(faults.command('clear').description('Remove every rule.')).action((flags: ServerFlags) =>
    run(flags, (c) => c.request('DELETE', '/faults')),
  );
}

function addRequestCommands(cli: Command): void {
  const requests = cli.command('requests').description('The most recent Webex requests (control API).');
  withServer(requests.command('list', { isDefault: true }).description('Print them, oldest first.'))
    .option('--limit <n>', 'how many (default 100)', number('integer'))
    .action((flags: ServerFlags & { limit?: number }) =>
      run(flags, (c) =>
        c.request('GET', `/requests${flags.limit === undefined ? '' : `?limit=${flags.limit}`}`),
      ),
    );
  withServer(requests.command('clear').description('Empty the request log.')).action((flags: ServerFlags) =>
    run(flags, (c) => c.request('DELETE', '/requests')),
  );
}

function addDirectoryCommands(cli: Command): void {
  const directory = cli
    .command('directory')
    .description("Replace, export or reset a running server's directory.");
  withServer(
    directory.command('load <file>').description('Replace the whole directory with a directory file.'),
  ).action(async (file: string, flags: ServerFlags) => {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new InvalidArgumentError(`${file}: ${(error as Error).message}`);
    }
    await run(flags, (c) => c.request('POST', '/directory', json));
  });
  withServer(directory.command('export').description('Print the directory file (never tokens).'))
    .option('--output <file>', 'write to this file instead')
    .action((flags: ServerFlags & { output?: string }) =>
      run(flags, async (c) => {
        const file = await c.request('GET', '/directory');
        if (flags.output === undefined) return file;
        await writeFile(flags.output, `${JSON.stringify(file, null, 2)}\n`);
        return undefined;
      }),
    );
  withServer(directory.command('reset').description('Restore the directory the server started with.')).action(
    (flags: ServerFlags) => run(flags, (c) => c.request('POST', '/reset')),
  );
}
