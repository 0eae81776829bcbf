/** How the control API (`/rollcall/v1/…`, not part of Webex) is offered by one app. */
export interface ControlOptions {
  /** Off: every control path is a 404 and Webex requests are neither faulted nor logged. */
  enabled: boolean;
  /** When set, every control call needs `Authorization: Bearer <token>`. */
  token?: string;
  /** The random source of fault rules without a seed (default Math.random). */
  random?: () => number;
  /** How many Webex requests the request log keeps (default 1,000). */
  requestLogSize?: number;
}

export interface ControlSettings {
  host: string;
  controlToken?: string | undefined;
  trustProxy: boolean;
}

/**
 * On by default only for a server that listens on a loopback address, where only this machine can
 * reach it — unless it sits behind a reverse proxy (`--trust-proxy`), which lets anyone reach it;
 * otherwise only with a control token.
 */
export function controlOptionsFor({ host, controlToken, trustProxy }: ControlSettings): ControlOptions {
  if (controlToken !== undefined) return { enabled: true, token: controlToken };
  return { enabled: isLoopbackHost(host) && !trustProxy };
}

export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return (
    name === 'localhost' ||
    name === '::1' ||
    name === '0:0:0:0:0:0:0:1' ||
    /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}
