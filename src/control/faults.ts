import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, BadRequestError, MESSAGES, RetryLaterError } from '../domain/errors.js';
import { pathGlob } from '../lib/path-glob.js';
import { seededRandom } from '../lib/seeded-random.js';

export const FAULT_STATUSES = [429, 423, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** The statuses Webex sends `Retry-After` with; a rule for one of them sends it too. */
const RETRY_AFTER_STATUSES: readonly FaultStatus[] = [429, 423, 503];
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FaultRuleInput {
  /** An HTTP method, or `*` (the default) for any. */
  method?: string;
  /** A glob over the request path (see pathGlob), under /v1. */
  path: string;
  status?: FaultStatus;
  retryAfter?: number;
  /** Each matching request fails with this probability (default 1). */
  probability?: number;
  /** Fail this many requests, then stop (default: until cleared). */
  count?: number;
  /** Wait this long first (real time); without a status the request then goes on as usual. */
  delayMs?: number;
  /** Makes `probability` draw from its own reproducible sequence. */
  seed?: number;
}

export interface FaultRuleView extends FaultRuleInput {
  id: string;
  method: string;
  /** How many more requests it fails (rules with a count). */
  remaining?: number;
  /** How many requests it has failed (or delayed) so far. */
  fired: number;
}

interface FaultRule {
  view: FaultRuleView;
  pattern: RegExp;
  random: () => number;
}

/**
 * Fault rules for Webex requests: the first rule that matches a request's method and path and fires
 * (by its probability, while its count lasts) delays it and/or answers with its error instead.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultRuleInput): FaultRuleView {
    const view = describeRule(input, `fault-${this.nextId++}`);
    const random = input.seed === undefined ? this.random : seededRandom(input.seed);
    this.rules.push({ view, pattern: pathGlob(input.path), random });
    return { ...view };
  }

  list(): FaultRuleView[] {
    return this.rules.map((rule) => ({ ...rule.view }));
  }

  clear(): void {
    this.rules = [];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.view.id !== id);
    return this.rules.length < before;
  }

  /** Whether any rule is set (when none is, requests need not be matched at all). */
  active(): boolean {
    return this.rules.length > 0;
  }

  /** Delays and/or fails the request when a rule fires for it. */
  async apply(method: string, path: string): Promise<void> {
    const rule = this.fire(method, path);
    if (!rule) return;
    if (rule.delayMs !== undefined && rule.delayMs > 0) await sleep(rule.delayMs);
    if (rule.status !== undefined) throw faultError(rule.status, rule.retryAfter);
  }

  /** Picks the rule and uses up one of its count in the same synchronous step: no two requests race for it. */
  private fire(method: string, path: string): FaultRuleView | undefined {
    for (const { view, pattern, random } of this.rules) {
      if (view.method !== '*' && view.method !== method) continue;
      if (view.remaining === 0 || !pattern.test(path)) continue;
      if (view.probability !== undefined && !(random() < view.probability)) continue;
      if (view.remaining !== undefined) view.remaining -= 1;
      view.fired += 1;
      return view;
    }
    return undefined;
  }
}

function describeRule(input: FaultRuleInput, id: string): FaultRuleView {
  if (input.status === undefined && input.delayMs === undefined) {
    throw new BadRequestError("A fault rule needs a 'status', a 'delayMs' or both.");
  }
  if (!/^\/v1(\/|\*|$)/.test(input.path)) {
    throw new BadRequestError(
      `Invalid field 'path' in the request body: faults apply to Webex API paths, which start with /v1/.`,
    );
  }
  const sendsRetryAfter = input.status !== undefined && RETRY_AFTER_STATUSES.includes(input.status);
  if (input.retryAfter !== undefined && !sendsRetryAfter) {
    throw new BadRequestError(
      `Invalid field 'retryAfter' in the request body: Webex sends Retry-After only with 429, 423 and 503.`,
    );
  }
  return {
    ...input,
    id,
    method: (input.method ?? '*').toUpperCase(),
    ...(sendsRetryAfter && { retryAfter: input.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS }),
    ...(input.count !== undefined && { remaining: input.count }),
    fired: 0,
  };
}

const FAULT_MESSAGES: Record<FaultStatus, string> = {
  429: MESSAGES.rateLimited,
  423: MESSAGES.locked,
  500: MESSAGES.internal,
  502: MESSAGES.badGateway,
  503: MESSAGES.overloaded,
  504: MESSAGES.gatewayTimeout,
};

/** The error Rollcall itself answers with for that status (429 and 503 exactly as its real ones). */
export function faultError(status: FaultStatus, retryAfter = DEFAULT_RETRY_AFTER_SECONDS): ApiError {
  const message = FAULT_MESSAGES[status];
  return status === 429 || status === 423 || status === 503
    ? new RetryLaterError(status, message, retryAfter)
    : new ApiError(status, message);
}
