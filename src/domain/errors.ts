// Domain errors carry their HTTP status; http/error-handler.ts is the only place that writes them out.
// Message texts live in one table so that the strings clients match on stay stable.
export const MESSAGES = {
  unauthorized: 'The request requires a valid access token set in the Authorization request header.',
  personNotFound: 'Person not found.',
  resourceNotFound: 'The requested resource could not be found.',
  methodNotAllowed: 'The requested method is not supported for this resource.',
  forbidden: 'The request is understood, but it has been refused or access is not allowed.',
  fullAdminGrant: 'Only a full administrator may grant the full administrator role.',
  fullAdminTarget: 'Only a full administrator may change or delete a full administrator.',
  listNeedsFilter: 'Email, displayName, or id list should be specified.',
  emailTaken: (email: string) => `A person with the email address ${email} already exists.`,
  rateLimited:
    'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
  overloaded: 'Server is overloaded with requests. Try again later.',
  unavailable: 'The service is temporarily unavailable. Retry after the Retry-After delay.',
  notReady: 'Rollcall is not ready: its database cannot be reached or its schema is not up to date.',
  internal: 'Something went wrong on the server. If the issue persists, contact the server administrator.',
  // Statuses only the control API's fault rules produce; texts from the Webex API reference.
  locked: 'The requested resource is temporarily unavailable. Retry after the Retry-After delay.',
  badGateway:
    'The server received an invalid response from an upstream server while processing the request. Try again later.',
  gatewayTimeout:
    'An upstream server failed to respond on time. If your query uses max parameter, please try to reduce it.',
  // The control API (not part of Webex).
  controlTokenRequired:
    'The control API requires Authorization: Bearer <control token> (set with --control-token); person tokens do not work here.',
  controlProxied:
    'This server has no control token, so its control API answers only direct calls from this machine, not calls through a proxy.',
  controlTokenUnexpected:
    'This server has no control token: send control calls without an Authorization header (person tokens do not work here).',
  tokenNotFound: 'Token not found.',
  faultNotFound: 'Fault rule not found.',
} as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly description: string = message,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, description?: string) {
    super(400, message, description);
  }
}

export class UnauthorizedError extends ApiError {
  constructor(description: string = MESSAGES.unauthorized) {
    super(401, MESSAGES.unauthorized, description);
  }
}

export class ForbiddenError extends ApiError {
  constructor(description: string = MESSAGES.forbidden) {
    super(403, MESSAGES.forbidden, description);
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string = MESSAGES.resourceNotFound) {
    super(404, message);
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(allowed: readonly string[]) {
    super(405, MESSAGES.methodNotAllowed, MESSAGES.methodNotAllowed, { allow: allowed.join(', ') });
  }
}

export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, message);
  }
}

/** 429 and 503 tell the client when to come back, in whole seconds. */
export class RetryLaterError extends ApiError {
  constructor(
    status: 429 | 423 | 503,
    message: string,
    retryAfterSeconds: number,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, message, message, {
      ...headers,
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

/** What a client is told to wait while the database cannot be reached: a restart or failover takes seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The database cannot be reached right now (see store/unavailable.ts): 503, come back later. */
export class ServiceUnavailableError extends RetryLaterError {
  constructor() {
    super(503, MESSAGES.unavailable, UNAVAILABLE_RETRY_AFTER_SECONDS);
  }
}

/**
 * A whole directory being written repeats a value that must be unique (a person ID, an email, a token),
 * as the store found. Not an API error: only imports raise it, and the importer says which entry it was.
 */
export class DuplicateEntryError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = new.target.name;
  }
}
