import type { IncomingHttpHeaders } from 'node:http';
import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { context } from '@opentelemetry/api';
import { AppError } from '../errors/app-error';
import type { Logger } from '../log/logger';
import type { HttpRoute } from './function-definition';
import { problem, problemFor, type Problem } from './http-problem';
import type { AuthorizationVerifier, Principal } from './principal';
import { acceptRequestId, isSafeId, REQUEST_ID_HEADER } from './request-id';
import { compilePath, matchRoute, type PathPattern } from './route-matcher';
import { sendProblem } from './function-server';
import { ContractViolation, problemViolation, replyViolation } from './contract-check';
import { parseOrThrow } from './zod-issues';
import { endHttpServerSpan, startHttpServerSpan } from '../tracing/http-server-span';
import { recordHttpRequest } from '../metrics/http-server-metrics';

/** What a route handler receives: validated input, the caller, and request-scoped logging. */
export interface HttpContext<Body, Query, Params> {
  readonly body: Body;
  readonly query: Query;
  readonly params: Params;
  /** Present on `authenticated` and `admin` routes. */
  readonly principal: Principal | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  readonly traceparent: string | undefined;
  readonly logger: Logger;
}

export interface HttpReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One route of a function: its declaration (with its schemas, function.ts) and its handler. */
export interface RouteHandler<Body = unknown, Query = unknown, Params = unknown> {
  readonly route: HttpRoute<Body, Query, Params>;
  handle(context: HttpContext<Body, Query, Params>): Promise<HttpReply>;
}

/** Binds a handler to its route, the handler's input typed by the route's schemas. */
export function defineRoute<Body, Query, Params>(handler: RouteHandler<Body, Query, Params>): RouteHandler {
  return handler;
}

/** The caller of an authenticated route (the runtime has already refused anonymous calls there). */
export function callerOf(context: { readonly principal: Principal | undefined }): Principal {
  if (!context.principal) throw new AppError('unauthenticated', 'AUTH.MISSING_TOKEN', 'Sign in first.');
  return context.principal;
}

export interface HttpHandlerOptions {
  readonly routes: readonly RouteHandler[];
  /** Verifies the Authorization header; needed when a route is not public, called only for those routes. */
  readonly verify?: AuthorizationVerifier;
  readonly logger: Logger;
  /**
   * Checks every answer against its route's documented contract (contract-check.ts): an answer the API documents
   * do not describe becomes a 500 `CONTRACT.VIOLATION`, logged. On in the local stack and the tests (CONTRACT_CHECKS).
   */
  readonly checkContract?: boolean;
}

/**
 * The functions-framework handler of an HTTP function: matches the route, authenticates and authorises the
 * caller per the route's auth level, validates params, query and body with their zod schemas, runs the handler,
 * and maps every error to a problem document in one place (shared/runtime/http-problem.ts). Answers of routes that
 * are not public, or that hand out tokens (`noStore`), are `Cache-Control: no-store`, their problems included. Takes
 * the caller's `x-request-id` only when it is a safe token (request-id.ts). Logs one line per request.
 */
export function httpHandler({
  routes,
  verify = noVerifier,
  logger,
  checkContract = false,
}: HttpHandlerOptions): HttpFunction {
  if (verify === noVerifier && routes.some(({ route }) => route.auth !== 'public' || route.readsCaller)) {
    throw new Error('httpHandler: a route needs a caller, so a verifier is required');
  }
  const compiled: (RouteHandler & { pattern: PathPattern })[] = routes.map((handler) => ({
    ...handler,
    pattern: compilePath(handler.route.path),
  }));

  // Each request in its SERVER span, active while it is served, so what the handler does (SQL, the outbox, gRPC
  // calls) and the lines it logs belong to it; and measured by route and status. With tracing and metrics off the
  // span and the histogram are the API's no-op ones.
  return (req: Request, res: Response) => {
    const started = performance.now();
    const { span, context: spanContext } = startHttpServerSpan(req.method, req.path, req.headers);
    let status = 500;
    let route: string | undefined;
    return context.with(spanContext, async () => {
      try {
        ({ status, route } = await serve(req, res));
      } finally {
        endHttpServerSpan(span, req.method, route, status);
        recordHttpRequest({ method: req.method, route, status }, started);
      }
    });
  };

  async function serve(req: Request, res: Response): Promise<{ status: number; route: string | undefined }> {
    const started = performance.now();
    const requestId = acceptRequestId(headerValue(req.headers[REQUEST_ID_HEADER]));
    // Logged and passed on like the request id, so held to the same rule (gRPC does the same).
    const givenTraceparent = headerValue(req.headers.traceparent);
    const traceparent = isSafeId(givenTraceparent) ? givenTraceparent : undefined;
    const requestLogger = logger.child({ requestId, ...(traceparent ? { traceparent } : {}) });
    res.setHeader(REQUEST_ID_HEADER, requestId);

    let status: number;
    const scope = {
      requestId,
      traceparent,
      logger: requestLogger,
      matched: undefined as HttpRoute | undefined,
    };
    try {
      const reply = await dispatch(compiled, req, res, scope, verify);
      const violation = checkContract && scope.matched ? replyViolation(scope.matched, reply) : undefined;
      if (violation) throw new ContractViolation(violation);
      status = reply.status;
      res.status(reply.status);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    } catch (error) {
      let answer = errorProblem(error);
      const violation =
        checkContract && scope.matched ? problemViolation(scope.matched, answer.problem) : undefined;
      if (violation) answer = errorProblem(new ContractViolation(violation));
      status = answer.problem.status;
      if (status >= 500) requestLogger.error('request failed', { error: violation ?? error });
      if (answer.allow) res.setHeader('allow', answer.allow);
      sendProblem(res, answer.problem);
    }
    requestLogger.info('request', {
      method: req.method,
      path: req.path,
      status,
      durationMs: Math.round(performance.now() - started),
    });
    return { status, route: scope.matched?.path };
  }
}

const noVerifier: AuthorizationVerifier = () => {
  throw new Error('no verifier configured');
};

class MethodNotAllowed extends Error {
  constructor(readonly allowed: readonly string[]) {
    super('method not allowed');
  }
}

function errorProblem(error: unknown): { problem: Problem; allow?: string } {
  if (error instanceof ContractViolation) {
    return {
      problem: problem(
        500,
        'CONTRACT.VIOLATION',
        'The answer breaks the documented contract. It has been logged.',
      ),
    };
  }
  if (error instanceof MethodNotAllowed) {
    const answer = problem(405, 'REQUEST.METHOD_NOT_ALLOWED', `Use ${error.allowed.join(' or ')} here.`);
    return { problem: answer, allow: error.allowed.join(', ') };
  }
  return { problem: problemFor(error) };
}

async function dispatch(
  routes: readonly (RouteHandler & { pattern: PathPattern })[],
  req: Request,
  res: Response,
  scope: {
    requestId: string;
    traceparent: string | undefined;
    logger: Logger;
    matched: HttpRoute | undefined;
  },
  verify: AuthorizationVerifier,
): Promise<HttpReply> {
  const matched = matchRoute(routes, req.method, req.path);
  if (!('found' in matched)) {
    if (matched.allowed.length > 0) throw new MethodNotAllowed(matched.allowed);
    throw new AppError('not-found', 'ROUTE.NOT_FOUND', `No route for ${req.method} ${req.path}.`);
  }
  const { found: handler, params } = matched;
  scope.matched = handler.route;
  // A signed-in caller's data and the tokens themselves must not be kept by a browser or a shared cache. Set once
  // the route is known and before the caller is checked, so that its 401 and 403 and every other problem carry it.
  const { auth, readsCaller } = handler.route;
  const authorization = headerValue(req.headers.authorization);
  const withCaller = auth !== 'public' || (readsCaller === true && authorization !== undefined);
  if (withCaller || handler.route.noStore) res.setHeader('cache-control', 'no-store');
  // The answer hangs on the token: a cache (a browser's, a CDN's) must not give a caller the anonymous answer.
  if (readsCaller) res.setHeader('vary', 'Authorization');
  const principal = withCaller
    ? await callerFor(verify, authorization, auth, readsCaller === true)
    : undefined;
  // The role the verifier answers: where the session is confirmed, the caller's current one.
  if (auth === 'admin' && principal?.role !== 'admin') {
    throw new AppError('forbidden', 'AUTH.FORBIDDEN', 'This needs the admin role.');
  }
  const { route } = handler;
  return handler.handle({
    params: route.params ? parseOrThrow(route.params, params, 'path') : params,
    query: route.query ? parseOrThrow(route.query, searchParams(req.originalUrl), 'query') : undefined,
    body: route.body ? parseOrThrow(route.body, req.body, 'body') : undefined,
    principal,
    headers: req.headers,
    requestId: scope.requestId,
    traceparent: scope.traceparent,
    logger: scope.logger,
  });
}

/**
 * The caller of a route of `auth`. On a route that reads its caller (public or authenticated), the token is checked
 * as on an authenticated route, and again as on an admin route when it claims the admin role, so the role is
 * confirmed.
 */
async function callerFor(
  verify: AuthorizationVerifier,
  authorization: string | undefined,
  auth: HttpRoute['auth'],
  readsCaller: boolean,
): Promise<Principal> {
  if (auth === 'admin' || (auth === 'authenticated' && !readsCaller)) return verify(authorization, auth);
  const caller = await verify(authorization, 'authenticated');
  return caller.role === 'admin' ? verify(authorization, 'admin') : caller;
}

/**
 * Query parameters as plain strings: schemas coerce them, nothing is parsed as nested. A name given twice is refused:
 * which value counts would hang on the order, and a shared cache that keys a repeated name by its sorted values (Kong's
 * proxy-cache) would then give one order's answer to the other.
 */
function searchParams(url: string): Record<string, string> {
  const params = new URL(url, 'http://function.local').searchParams;
  const names = [...params.keys()];
  const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
  if (repeated.length > 0) {
    const fields = repeated.map((name) => ({ field: `query.${name}`, message: 'Given more than once.' }));
    throw new AppError('invalid', 'REQUEST.INVALID', `Invalid query: ${repeated.join(', ')}`, fields);
  }
  return Object.fromEntries(params);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
