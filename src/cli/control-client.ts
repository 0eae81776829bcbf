// A client of the control API (/rollcall/v1/…) of a running server, for the `rollcall clock`,
// `presence`, `faults`, `requests` and `directory` commands.

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 120_000;

export class ControlClientError extends Error {
  override name = 'ControlClientError';
}

export interface ControlClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The server's --control-token, when it has one. */
  token?: string;
}

export class ControlClient {
  private readonly base: string;

  constructor(private readonly options: ControlClientOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/rollcall/v1`;
  }

  /** The parsed JSON answer (undefined for 204); an error answer throws with the server's description. */
  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ControlClientError(
        `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok)
      throw new ControlClientError(`${method} ${url}: ${response.status} ${describeError(parsed, text)}`);
    return parsed;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describeError(body: unknown, text: string): string {
  const error = body as { message?: unknown; errors?: { description?: unknown }[] } | undefined;
  const description = error?.errors?.[0]?.description ?? error?.message;
  return typeof description === 'string' ? description : text.slice(0, 200);
}
