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

export const DEFAULT_REQUEST_LOG_SIZE = 1000;

/** The most recent Webex requests, in memory: a ring buffer that forgets the oldest. */
export class RequestLog {
  private readonly entries: (LoggedRequest | undefined)[];
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    this.entries = new Array<LoggedRequest | undefined>(capacity);
  }

  record(entry: LoggedRequest): void {
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
      if (entry) result.push(entry);
    }
    return result;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
