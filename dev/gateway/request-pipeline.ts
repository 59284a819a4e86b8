import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/log/logger';
import { forwardedHeaders } from './forwarded-headers';
import { httpsOnlyExit, type Scheme } from './https-only';
import type { GatewayExit } from './gateway-plugin';
import { KONG_EXITS, sendExit } from './gateway-response';
import { proxy } from './proxy';
import { createRequestContext, splitTarget, type ServedRequest } from './request-context';
import { filtersOf, type MatchedRoute, type RouteTable } from './route-table';
import { upstreamPath } from './service-target';

/** What the pipeline needs from the gateway around it. */
export interface PipelineDeps {
  readonly routes: RouteTable;
  readonly upstreams: (serviceName: string) => URL | undefined;
  readonly agent: Agent;
  /** The ports the gateway listens on: X-Forwarded-Port, and where the HTTPS redirect points. */
  readonly ports: () => { readonly http: number; readonly https: number };
  /** The address the gateway listens on: the redirect's host when a request has no Host header. */
  readonly host: string;
  readonly now: () => number;
  readonly logger: Logger | undefined;
  /** How long an early answer's connection is kept reading the rest of the body (gateway-response.ts). */
  readonly lingerMs?: number;
}

/** Runs the route's plugins, then proxies; resolves with the status sent. */
async function serve(
  deps: PipelineDeps,
  ctx: ServedRequest & { readonly scheme: Scheme },
  matched: MatchedRoute,
): Promise<number> {
  const { req } = ctx;
  const exitWith = (exit: GatewayExit) => {
    sendExit(ctx.res, exit, filtersOf(ctx, matched), deps.lingerMs);
    // Whatever body is left is read and dropped, so the client can finish sending and read the answer.
    req.resume();
    return exit.status;
  };
  for (const plugin of matched.plugins) {
    const exit = await plugin.access(ctx);
    if (exit) return exitWith(exit);
  }
  const upstream = deps.upstreams(matched.service.name);
  if (!upstream) {
    deps.logger?.warn('no upstream for service', {
      service: matched.service.name,
      route: matched.routeLabel,
    });
    return exitWith(KONG_EXITS.noUpstream);
  }
  const forwarded = forwardedHeaders(req.headers, {
    clientIp: ctx.clientIp,
    path: ctx.path,
    scheme: ctx.scheme,
    gatewayPort: deps.ports()[ctx.scheme],
  });
  const headers = { ...ctx.upstreamHeaders, ...forwarded };
  headers['host'] = matched.route.preserve_host ? req.headers.host : upstream.host;
  return proxy({
    req,
    res: ctx.res,
    upstream,
    path: upstreamPath(matched.service, matched.route, {
      path: ctx.path,
      search: ctx.search,
      matchedPath: matched.matchedPath,
    }),
    headers,
    body: ctx.body,
    readTimeoutMs: matched.service.read_timeout,
    filters: filtersOf(ctx, matched),
    recorders: ctx.responseRecorders,
    agent: deps.agent,
    continueBody: ctx.continueBody,
  });
}

/**
 * The gateway's request handler: matches the route (Kong's 404 when none), answers a plain-HTTP request to an
 * HTTPS-only route with the route's redirect (or 426) before any plugin, runs the route's plugins in priority
 * order until one exits, then proxies to the service's upstream. `expectsContinue` marks requests that came
 * with `Expect: 100-continue` (see createRequestContext); `scheme` is the listener's.
 */
export function requestPipeline(deps: PipelineDeps) {
  return (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean, scheme: Scheme): void => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const { path, search } = splitTarget(req.url ?? '/');
    const log = (status: number, route?: string) => {
      deps.logger?.debug('request', {
        method,
        path,
        route,
        status,
        ms: Math.round(performance.now() - started),
      });
    };
    const matched = deps.routes.match(method, path);
    if (!matched) {
      // Kong runs the global plugins' header_filter and body_filter phases on its own 404 too.
      sendExit(res, KONG_EXITS.noRoute, deps.routes.globalFilters, deps.lingerMs);
      req.resume();
      log(404);
      return;
    }
    const insecure = httpsOnlyExit(matched.route, {
      scheme,
      headers: req.headers,
      target: path + search,
      httpsPort: deps.ports().https,
      listenHost: deps.host,
    });
    if (insecure) {
      // Before the access phase, where Kong collects the route's plugins: only the global ones filter the answer.
      sendExit(res, insecure, deps.routes.globalFilters, deps.lingerMs);
      req.resume();
      log(insecure.status, matched.routeLabel);
      return;
    }
    const request = {
      method,
      path,
      search,
      serviceName: matched.service.name,
      routeId: matched.route.id ?? matched.routeLabel,
      expectsContinue,
    };
    const ctx = { ...createRequestContext(req, res, request, deps.now), scheme };
    serve(deps, ctx, matched).then(
      (status) => {
        log(status, matched.routeLabel);
      },
      (error: unknown) => {
        deps.logger?.error('request failed in the dev gateway', { method, path, error });
        sendExit(res, KONG_EXITS.unexpected, filtersOf(ctx, matched), deps.lingerMs);
        req.resume();
      },
    );
  };
}
