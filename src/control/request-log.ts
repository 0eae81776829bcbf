import { toIso } from '../domain/clock.js';
import { encodeHydraId } from '../domain/ids.js';

export interface LoggedRequest {
  /** When the answer was sent, by the server's clock. */
  time: string;
  method: string;
  path: string;
  /** The query string as sent, without `?` ("" for none). */
  query: string;
  status: number;
  trackingId: string;
  /** The hydra ID of the token's person; null when the request was not authenticated. */
  personId: string | null;
  durationMs: number;
}

/** What a request leaves in the log: raw values, formatted only when someone reads the log. */
export interface RequestRecord {
  /** Milliseconds since the epoch, by the server's clock. */
  at: number;
  method: string;
  /** Path and query as sent. */
  url: string;
  status: number;
  trackingId: string;
  /** The stored UUID of the token's person. */
  personId: string | undefined;
  durationMs: number;
}

export const DEFAULT_REQUEST_LOG_SIZE = 1000;

/** The most recent Webex requests, in memory: a ring buffer that forgets the oldest. */
export class RequestLog {
  private readonly entries: (RequestRecord | undefined)[];
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    this.entries = new Array<RequestRecord | undefined>(capacity);
  }

  record(entry: RequestRecord): void {
    if (this.capacity === 0) return;
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The last `limit` requests, oldest first. */
  recent(limit: number): LoggedRequest[] {
    const count = Math.min(limit, this.size);
    const result: LoggedRequest[] = [];
    for (let i = count; i > 0; i--) {
      const entry = this.entries[(this.next - i + this.capacity) % this.capacity];
      if (entry) result.push(formatRecord(entry));
    }
    return result;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}

function formatRecord(record: RequestRecord): LoggedRequest {
  const mark = record.url.indexOf('?');
  return {
    time: toIso(record.at),
    method: record.method,
    path: mark < 0 ? record.url : record.url.slice(0, mark),
    query: mark < 0 ? '' : record.url.slice(mark + 1),
    status: record.status,
    trackingId: record.trackingId,
    personId: record.personId === undefined ? null : encodeHydraId('PEOPLE', record.personId),
    durationMs: Math.round(record.durationMs * 10) / 10,
  };
}
