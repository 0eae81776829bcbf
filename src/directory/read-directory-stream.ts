import { closeSync, openSync, readSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { DirectoryFileSchema } from './directory-file-schema.js';
import { DirectoryFileError } from './parse-directory.js';

// A directory file read in chunks, for files too large for one string (V8 strings end at 512 MiB, and
// a million people as objects would not fit the heap either). The top level is scanned here; each entry
// of `orgs` or `people` is cut out whole and handed to JSON.parse, so the JSON rules are JSON.parse's.
// Reads are synchronous, so that an import can run inside one SQLite transaction.

export type DirectoryArray = 'orgs' | 'people';

export interface ReadOptions {
  /** Bytes read at a time (default 4 MiB); an entry larger than this is still read whole. */
  chunkBytes?: number;
}

// Bytes of JSON's structure.
const TAB = 0x09;
const LINE_FEED = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The entries of one top-level array of a directory file, parsed one at a time and in file order.
 * `orgs` stops once that array is read; `people` reads the whole file and finally checks its top level
 * (both arrays present, nothing else) against the directory file schema.
 */
export function* readDirectoryEntries(
  path: string,
  array: DirectoryArray,
  options: ReadOptions = {},
): Generator<unknown, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const input = new ChunkedInput(fd, options.chunkBytes ?? 4 * 1024 * 1024);
    // The top level with both arrays left empty: what the schema checks once the file is read.
    const skeleton = new Map<string, unknown>();
    if (input.next() !== OPEN_BRACE) {
      if (input.atEnd() || !isValueStart(input.peek())) input.unexpected();
      throw new DirectoryFileError('directory file: Expected object');
    }
    input.pos++;
    let member = 0;
    for (;;) {
      if (input.next() === CLOSE_BRACE && member === 0) break;
      if (input.peek() !== QUOTE) input.unexpected();
      const name = input.parse('a member name') as string;
      if (skeleton.has(name)) {
        throw new DirectoryFileError(`directory file: "${name}" appears more than once`);
      }
      if (input.next() !== COLON) input.unexpected();
      input.pos++;
      if ((name === 'orgs' || name === 'people') && input.next() === OPEN_BRACKET) {
        skeleton.set(name, []);
        input.pos++;
        for (let i = 0; ; i++) {
          if (input.next() === CLOSE_BRACKET && i === 0) break;
          if (name === array) yield input.parse(`${name}[${i}]`);
          else input.skip();
          const after = input.next();
          if (after === CLOSE_BRACKET) break;
          if (after !== COMMA) input.unexpected();
          input.pos++;
        }
        input.pos++;
        if (name === array && array === 'orgs') return;
      } else {
        skeleton.set(name, input.parse(name));
      }
      member++;
      const after = input.next();
      if (after === CLOSE_BRACE) break;
      if (after !== COMMA) input.unexpected();
      input.pos++;
    }
    input.pos++;
    if (input.next() !== -1) input.unexpected();
    const first = Value.Errors(DirectoryFileSchema, Object.fromEntries(skeleton)).First();
    if (first) {
      const where = first.path.split('/').slice(1).join('.') || 'directory file';
      throw new DirectoryFileError(`${where}: ${first.message}`);
    }
  } finally {
    closeSync(fd);
  }
}

function isValueStart(byte: number): boolean {
  // A string, an array, a number, true, false or null.
  return (
    byte === QUOTE ||
    byte === OPEN_BRACKET ||
    byte === 0x2d ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 ||
    byte === 0x66 ||
    byte === 0x6e
  );
}

function isWhitespace(byte: number): boolean {
  return byte === SPACE || byte === LINE_FEED || byte === RETURN || byte === TAB;
}

/** A window on the file: `buffer[pos]` is the next unread byte, `base` the file offset of `buffer[0]`. */
class ChunkedInput {
  buffer: Buffer = Buffer.alloc(0);
  pos = 0;
  private base = 0;
  private eof = false;

  constructor(
    private readonly fd: number,
    private readonly chunkBytes: number,
  ) {}

  /** Skips whitespace; the next byte, or -1 at the end of the file. */
  next(): number {
    for (;;) {
      while (this.pos < this.buffer.length) {
        const byte = this.buffer[this.pos] as number;
        if (!isWhitespace(byte)) return byte;
        this.pos++;
      }
      if (!this.more()) return -1;
    }
  }

  peek(): number {
    return this.buffer[this.pos] ?? -1;
  }

  atEnd(): boolean {
    return this.pos >= this.buffer.length && this.eof;
  }

  /** Parses the value that starts here; `what` names it in an error. */
  parse(what: string): unknown {
    const end = this.valueEnd();
    const start = this.pos;
    const text = this.buffer.toString('utf8', start, end);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new DirectoryFileError(
        `Directory file is not valid JSON: ${(error as Error).message} (in ${what}, at byte ${this.base + start})`,
      );
    } finally {
      this.pos = end;
    }
  }

  skip(): void {
    this.pos = this.valueEnd();
  }

  unexpected(): never {
    if (this.atEnd())
      throw new DirectoryFileError('Directory file is not valid JSON: unexpected end of file');
    const char = this.buffer.toString('utf8', this.pos, Math.min(this.pos + 1, this.buffer.length));
    throw new DirectoryFileError(
      `Directory file is not valid JSON: unexpected ${JSON.stringify(char)} at byte ${this.base + this.pos}`,
    );
  }

  /** Where the value starting at `pos` ends (exclusive), reading more of the file as needed. */
  private valueEnd(): number {
    for (;;) {
      const end = scanValue(this.buffer, this.pos, this.eof);
      if (end === this.pos) this.unexpected();
      if (end >= 0) return end;
      if (!this.more()) this.unexpectedEnd();
    }
  }

  private unexpectedEnd(): never {
    this.pos = this.buffer.length;
    return this.unexpected();
  }

  /** Reads the next chunk, keeping the bytes from `pos` on; false at the end of the file. */
  private more(): boolean {
    if (this.eof) return false;
    const rest = this.buffer.subarray(this.pos);
    const size = Math.max(this.chunkBytes, rest.length);
    const next = Buffer.allocUnsafe(rest.length + size);
    rest.copy(next, 0);
    const read = readSync(this.fd, next, rest.length, size, null);
    this.base += this.pos;
    this.buffer = next.subarray(0, rest.length + read);
    this.pos = 0;
    if (read === 0) this.eof = true;
    return read > 0;
  }
}

/**
 * The end (exclusive) of the JSON value starting at `start`, or -1 when the buffer ends first. Only
 * strings and nesting are followed; whether the value is valid JSON is JSON.parse's to say.
 */
function scanValue(buffer: Buffer, start: number, eof: boolean): number {
  const length = buffer.length;
  const first = buffer[start];
  if (first === undefined) return -1;
  if (first === QUOTE) return scanString(buffer, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let i = start;
    while (i < length) {
      const byte = buffer[i] as number;
      if (byte === QUOTE) {
        i = scanString(buffer, i);
        if (i < 0) return -1;
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number, true, false or null (or garbage): up to the next delimiter.
  let i = start;
  while (i < length) {
    const byte = buffer[i] as number;
    if (
      byte === COMMA ||
      byte === CLOSE_BRACKET ||
      byte === CLOSE_BRACE ||
      byte === COLON ||
      isWhitespace(byte)
    ) {
      return i;
    }
    i++;
  }
  return eof ? length : -1;
}

/** The end (exclusive) of the string whose opening quote is at `start`, or -1. */
function scanString(buffer: Buffer, start: number): number {
  // indexOf finds the next quote natively; a quote after an odd run of backslashes is escaped.
  for (let quote = buffer.indexOf(QUOTE, start + 1); quote >= 0; quote = buffer.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (buffer[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return -1;
}
