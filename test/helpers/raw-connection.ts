import net from 'node:net';
import { WAIT_MS } from './cli-process.js';

// A raw HTTP/1.1 connection, for requests that must still be on the wire when the server is signalled,
// and for bytes no HTTP client would send.

export interface RawResponse {
  status: number;
  /** Lowercased header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body has all the bytes its Content-Length announced. */
  complete: boolean;
}

/** One keep-alive connection to 127.0.0.1:`port` that a test writes to and reads from by hand. */
export class RawConnection {
  private readonly socket: net.Socket;
  private buffer = Buffer.alloc(0);
  private ended = false;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawConnection(socket);
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Stops reading: what the server sends stays in the kernel's buffers and then in the server. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  get closedByPeer(): boolean {
    return this.ended;
  }

  received(): number {
    return this.buffer.length;
  }

  /** Waits until at least `bytes` bytes have arrived (or the connection closed, or `ms` passed). */
  async waitForBytes(bytes: number, ms = WAIT_MS): Promise<void> {
    await this.waitUntil(() => this.buffer.length >= bytes, ms);
  }

  /** Waits for `text` at the start of what arrived and consumes it (e.g. an interim 100 Continue). */
  async expectPrefix(text: string, ms = WAIT_MS): Promise<boolean> {
    await this.waitUntil(() => this.buffer.length >= Buffer.byteLength(text), ms);
    const head = this.buffer.subarray(0, Buffer.byteLength(text)).toString('latin1');
    if (head !== text) return false;
    this.buffer = this.buffer.subarray(Buffer.byteLength(text));
    return true;
  }

  /**
   * Reads one response: until its Content-Length is satisfied, or the server closes the connection,
   * or `ms` pass. Rejects when not even the head arrived.
   */
  async readResponse(ms = WAIT_MS): Promise<RawResponse> {
    const headEnd = () => this.buffer.indexOf('\r\n\r\n');
    await this.waitUntil(() => headEnd() >= 0, ms);
    const end = headEnd();
    if (end < 0) {
      throw new Error(`no response head (received ${this.buffer.length} bytes, closed: ${this.ended})`);
    }
    const [statusLine = '', ...headerLines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyStart = end + 4;
    await this.waitUntil(() => this.buffer.length - bodyStart >= length, ms);
    const body = this.buffer.subarray(bodyStart, bodyStart + length);
    this.buffer = this.buffer.subarray(bodyStart + body.length);
    return {
      status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0),
      headers,
      body,
      complete: body.length === length,
    };
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async waitUntil(done: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done() && !this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
