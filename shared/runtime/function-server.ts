import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { http as registerHttpFunction, type HttpFunction } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { AppError } from '../errors/app-error';
import { RETRY_AFTER_SECONDS } from '../errors/unavailable';
import type { Logger } from '../log/logger';
import { PROBLEM_CONTENT_TYPE, problemFor, type Problem } from './http-problem';
import { readBody } from './read-body';

/**
 * Writes a problem document; after a refused body the connection closes rather than reading the rest. A 503, and a
 * 429 that knows, says when to try again.
 */
export function sendProblem(res: ServerResponse, problem: Problem, closeConnection = false): void {
  if (res.headersSent) return;
  res.statusCode = problem.status;
  res.setHeader('content-type', PROBLEM_CONTENT_TYPE);
  const retryAfter = problem.retryAfter ?? (problem.status === 503 ? RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
  if (closeConnection) res.setHeader('connection', 'close');
  res.end(JSON.stringify(problem));
}

/**
 * The HTTP server of one function: functions-framework's own server for `handler` (its Express app, routing,
 * execution context), with the request body read first by us. functions-framework would accept 1 GB bodies and
 * answer malformed JSON with an HTML page; reading the body here enforces our limit (413) and answers malformed
 * JSON with a problem (400). Once the body has been read, functions-framework's body parsers see a finished
 * request and leave `req.body` as we set it.
 */
export function createFunctionServer(
  name: string,
  handler: HttpFunction,
  options: { bodyLimitBytes: number; logger: Logger },
): Server {
  registerHttpFunction(name, handler);
  const server = getTestServer(name);
  const [framework] = server.listeners('request') as RequestListener[];
  if (!framework) throw new Error('functions-framework created a server without a request listener');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage & { body?: unknown; rawBody?: Buffer }, res: ServerResponse) => {
    // Every answer of every function, whoever writes it (a route, a problem, functions-framework itself): a browser
    // must take a JSON or problem answer for what its content type says, never sniff it into HTML or script.
    res.setHeader('x-content-type-options', 'nosniff');
    if (isHealthCheck(req)) {
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(HEALTHY);
      return;
    }
    if (!hasValidPath(req.url)) {
      refuseUnrouted(
        res,
        problemFor(new AppError('invalid', 'REQUEST.MALFORMED_URL', 'The URL is not well formed.')),
      );
      return;
    }
    readBody(req, options.bodyLimitBytes).then(
      (body) => {
        req.body = body.parsed;
        req.rawBody = body.raw;
        framework(req, res);
      },
      (error: unknown) => {
        const problem = problemFor(error);
        if (problem.status >= 500) options.logger.error('reading the request failed', { error });
        refuseUnrouted(res, problem, problem.status === 413);
      },
    );
  });
  return server;
}

/**
 * A problem given before any route is matched. The route is not known yet and may be an authenticated one, whose
 * every answer must be `no-store` (http-function.ts); a public route's refusal loses nothing by it.
 */
function refuseUnrouted(res: ServerResponse, problem: Problem, closeConnection = false): void {
  res.setHeader('cache-control', 'no-store');
  sendProblem(res, problem, closeConnection);
}

/** The readiness probe's path (knative/<fn>.yaml): answered before the body is read or any route is matched. */
export const HEALTH_CHECK_PATH = '/healthz';

const HEALTHY = JSON.stringify({ status: 'ok' });

function isHealthCheck(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.url ?? '').split('?')[0] === HEALTH_CHECK_PATH;
}

/** Express would answer a path with a broken %-escape itself, with an HTML page: refuse it here instead. */
function hasValidPath(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
    return true;
  } catch {
    return false;
  }
}
