import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { DirectoryPersonEntry } from '../directory/directory-file-schema.js';
import {
  GENERATE_DEFAULTS,
  generateDirectoryText,
  type GenerateOptions,
} from '../directory/generate-directory.js';
import { positiveInteger } from './import.js';

const FLUSH_CHARS = 1 << 20;

/**
 * Writes a generated directory file to `out` a megabyte at a time, waiting whenever the stream asks
 * to (a million people are some 850 MB of JSON). Resolves once everything is handed to the stream.
 */
export async function writeGeneratedDirectory(
  options: GenerateOptions,
  out: Writable,
  onPerson?: (person: DirectoryPersonEntry) => void,
): Promise<void> {
  const state: { failure?: Error } = {};
  const onError = (error: Error) => (state.failure = error);
  const rethrow = () => {
    if (state.failure) throw state.failure;
  };
  out.on('error', onError);
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = async () => {
      rethrow();
      const text = pending.join('');
      pending = [];
      size = 0;
      if (!out.write(text)) await drained(out);
      rethrow();
    };
    for (const piece of generateDirectoryText(options, onPerson)) {
      pending.push(piece);
      size += piece.length;
      if (size >= FLUSH_CHARS) await flush();
    }
    await flush();
  } catch (error) {
    // The reader went away (`rollcall generate … | head`): nothing more to write.
    if ((error as { code?: unknown }).code !== 'EPIPE') throw error;
  } finally {
    out.off('error', onError);
  }
}

/** Resolves on the next 'drain' or 'error' of the stream. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

/** Writes a generated directory file to `path` and closes it. */
export async function generateDirectoryFile(
  options: GenerateOptions,
  path: string,
  onPerson?: (person: DirectoryPersonEntry) => void,
): Promise<void> {
  const out = createWriteStream(path);
  await writeGeneratedDirectory(options, out, onPerson);
  out.end();
  await once(out, 'finish');
}

/** Adds `rollcall generate` to the program. */
export function addGenerateCommand(cli: Command): void {
  cli
    .command('generate')
    .description(
      'Write a synthetic directory file for tests and benchmarks: the same for the same options, ' +
        'the second org managing the first, every fifth token holder an admin.',
    )
    .requiredOption('--people <n>', 'how many people', (v) => positiveInteger('--people', v, 0))
    .option('--orgs <n>', `how many orgs (default ${GENERATE_DEFAULTS.orgs})`, (v) =>
      positiveInteger('--orgs', v),
    )
    .option('--seed <n>', `random seed (default ${GENERATE_DEFAULTS.seed})`, (v) =>
      positiveInteger('--seed', v, 0),
    )
    .option('--tokens <n>', `people who get a token (default ${GENERATE_DEFAULTS.tokens})`, (v) =>
      positiveInteger('--tokens', v, 0),
    )
    .option('--output <file>', 'write to this file instead of standard output')
    .action(
      async (flags: { people: number; orgs?: number; seed?: number; tokens?: number; output?: string }) => {
        const options: GenerateOptions = {
          people: flags.people,
          orgs: flags.orgs ?? GENERATE_DEFAULTS.orgs,
          seed: flags.seed ?? GENERATE_DEFAULTS.seed,
          tokens: flags.tokens ?? GENERATE_DEFAULTS.tokens,
        };
        if (flags.output !== undefined) await generateDirectoryFile(options, flags.output);
        else await writeGeneratedDirectory(options, process.stdout);
      },
    );
}
