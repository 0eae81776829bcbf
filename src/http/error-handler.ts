import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, MESSAGES, NotFoundError, ServiceUnavailableError } from '../domain/errors.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { ErrorBody } from '../schemas/error-body.js';
import { TEXT_PROBLEMS } from '../schemas/text.js';

// The only writer of error bodies: {message, errors: [{description}], trackingId}.

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendError(request, reply, error);
    if (error.validation) {
      const message = describeValidation(error.validation[0], error.validationContext);
      return sendError(request, reply, new ApiError(400, message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(request, reply, new ApiError(status, clientErrorMessage(status, error)));
    }
    if (isStoreUnavailable(error)) {
      request.log.error({ err: error }, 'request failed: the database is unavailable');
      return sendError(request, reply, new ServiceUnavailableError());
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, new ApiError(500, MESSAGES.internal));
  });

  app.setNotFoundHandler((request, reply) => sendError(request, reply, new NotFoundError()));
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(errorBody(error, request.id));
}

/**
 * The same answer written straight to a connection, for errors Node raises before there is a request
 * to reply to (malformed HTTP, headers too large, a request not received in time): a whole HTTP/1.1
 * response, after which the connection is closed.
 */
export function writeErrorToSocket(socket: Socket, error: ApiError, trackingId: string): void {
  const body = JSON.stringify(errorBody(error, trackingId));
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `trackingid: ${trackingId}`,
    `date: ${new Date().toUTCString()}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function errorBody(error: ApiError, trackingId: string): ErrorBody {
  return { message: error.message, errors: [{ description: error.description }], trackingId };
}

function describeValidation(issue: ValidationIssue | undefined, context: string | undefined): string {
  const path = (issue?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (issue?.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (issue?.keyword === 'required' && missing !== undefined) {
    const where = context === 'body' ? 'in the request body' : `in the ${context ?? 'request'}`;
    return `Missing required field '${path ? `${path}.` : ''}${missing}' ${where}.`;
  }
  const unknown = (issue?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  if (issue?.keyword === 'additionalProperties' && unknown !== undefined && context === 'body') {
    return `Unknown field '${path ? `${path}.` : ''}${unknown}' in the request body.`;
  }
  const pattern = (issue?.params as { pattern?: string } | undefined)?.pattern;
  const reason =
    issue?.keyword === 'type' && (issue.params as { type?: string }).type === 'boolean'
      ? 'must be true or false'
      : (pattern !== undefined && TEXT_PROBLEMS[pattern]) || (issue?.message ?? 'is invalid');
  if (context === 'querystring') return `Invalid value for query parameter '${path}': ${reason}.`;
  if (context === 'body') {
    return path
      ? `Invalid field '${path}' in the request body: ${reason}.`
      : `Invalid request body: ${reason}.`;
  }
  return `Invalid request: ${path} ${reason}.`;
}

const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  413: 'The request body is too large.',
  415: 'Unsupported media type: the request body must be JSON (application/json).',
};

function clientErrorMessage(status: number, error: FastifyError): string {
  if (CLIENT_ERROR_MESSAGES[status]) return CLIENT_ERROR_MESSAGES[status];
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is empty but JSON was declared.';
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return 'The request body is not valid JSON.';
  }
  return 'The request could not be understood by the server due to malformed syntax.';
}
