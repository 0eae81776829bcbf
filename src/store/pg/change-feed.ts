import pg from 'pg';
import type { ChangeListener, StoreLogger } from '../../domain/people-store.js';

/**
 * The NOTIFY channel of every change to a person's record or tokens (payload: the id, or `*` for
 * everything): the store and its import notify on it, change feeds listen.
 */
export const CHANGES_CHANNEL = 'rollcall_person_changed';

/** Retries after a lost LISTEN connection: the first one soon, then doubling up to the cap, forever. */
export const FIRST_RETRY_MS = 100;
export const MAX_RETRY_MS = 1000;

export interface ChangeFeedOptions {
  connectionString: string;
  channel: string;
  connectionTimeoutMillis: number;
  applicationName: string;
  log: () => StoreLogger | undefined;
}

/**
 * A LISTEN connection of its own, outside the pool, held for the life of the process and opened again
 * whenever it is lost (a restarted database, a failover, a terminated backend).
 */
export class ChangeFeed {
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private downSince: number | undefined;
  private attempts = 0;

  constructor(
    private readonly options: ChangeFeedOptions,
    private readonly listener: ChangeListener,
  ) {}

  /** The first connection: rejects when it fails, as a store that cannot be reached at start should. */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectionTimeoutMillis,
      application_name: this.options.applicationName,
      // A peer that vanished without closing (a failover) is noticed by TCP keepalive, not never.
      keepAlive: true,
    });
    // Both may come for one loss (the server's error, then the end of the socket): lost() acts once.
    let lostWith: Error | undefined;
    const onLost = (err: Error) => {
      lostWith ??= err;
      this.lost(client, err);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('Connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.options.channel && message.payload !== undefined) {
        this.listener.changed(message.payload);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Lost between LISTEN and here: lost() ignored it then, as the client was not the feed's yet.
    if (lostWith !== undefined) this.lost(client, lostWith);
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.closed || client !== this.client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.downSince = Date.now();
    this.attempts = 0;
    this.options
      .log()
      ?.warn({ err }, 'the PostgreSQL change feed (LISTEN) was lost: token caching is off until it is back');
    this.listener.down();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = Math.min(FIRST_RETRY_MS * 2 ** this.attempts, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => void this.retry(), delay);
  }

  private async retry(): Promise<void> {
    if (this.closed) return;
    this.attempts += 1;
    try {
      await this.connect();
    } catch {
      // Reported once, when the feed was lost; the recovery line tells how many attempts it took.
      if (!this.closed) this.scheduleRetry();
      return;
    }
    if (this.closed) return;
    // At warn like the loss, so that the default log level shows both ends of the gap.
    this.options
      .log()
      ?.warn(
        { downMs: Date.now() - (this.downSince ?? Date.now()), attempts: this.attempts },
        'the PostgreSQL change feed (LISTEN) is back: token caching is on again',
      );
    this.listener.up();
  }
}
