import type { ListCursor } from './people-store.js';
import { BadRequestError } from './errors.js';

// The `after` cursor is opaque to clients: base64url of [lowercased displayName, id] of the last item.
// It stays valid when that person is deleted, so paging never repeats or skips a remaining person.

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string): ListCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      return { name: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError("Invalid value for query parameter 'after': not a cursor this server issued.");
}
