import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/log/logger';
import { forwardedHeaders } from './forwarded-headers';
import type { GatewayExit } from './gateway-plugin';
import { KONG_EXITS, sendExit } from './gateway-response';
import { proxy } from './proxy';
import { createRequestContext, splitTarget, type ServedRequest } from './request-context';
import type { MatchedRoute, RouteTable } from './route-table';
import { upstreamPath } from './service-target';

/** What the pipeline needs from the gateway around it. */
export interface PipelineDeps {
  readonly routes: RouteTable;
  readonly upstreams: (serviceName: string) => URL | undefined;
  readonly agent: Agent;
  readonly gatewayPort: () => number;
  readonly now: () => number;
  readonly logger: Logger | undefined;
}

/**
 * The header filters of an answer: those the plugins that ran registered in `access`, then the `header_filter`
 * phases of every plugin of the route, whether or not its `access` ran (Kong collects a route's plugins whole, so
 * a plugin after the one that exited still filters the exit's headers).
 */
const headerFiltersOf = (ctx: ServedRequest, matched: MatchedRoute) => [
  ...ctx.headerFilters,
  ...matched.headerFilters,
];

/** Runs the route's plugins, then proxies; resolves with the status sent. */
async function serve(deps: PipelineDeps, ctx: ServedRequest, matched: MatchedRoute): Promise<number> {
  const { req } = ctx;
  const exitWith = (exit: GatewayExit) => {
    sendExit(ctx.res, exit, headerFiltersOf(ctx, matched));
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
    gatewayPort: deps.gatewayPort(),
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
    headerFilters: headerFiltersOf(ctx, matched),
    agent: deps.agent,
    continueBody: ctx.continueBody,
  });
}

/**
 * The gateway's request handler: matches the route (Kong's 404 when none), runs the route's plugins in priority
 * order until one exits, then proxies to the service's upstream. `expectsContinue` marks requests that came
 * with `Expect: 100-continue` (see createRequestContext).
 */
export function requestPipeline(deps: PipelineDeps) {
  return (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
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
      // Kong runs the global plugins' header_filter phase on its own 404 too.
      sendExit(res, KONG_EXITS.noRoute, deps.routes.globalHeaderFilters);
      req.resume();
      log(404);
      return;
    }
    const request = { method, path, search, serviceName: matched.service.name, expectsContinue };
    const ctx = createRequestContext(req, res, request, deps.now);
    serve(deps, ctx, matched).then(
      (status) => {
        log(status, matched.routeLabel);
      },
      (error: unknown) => {
        deps.logger?.error('request failed in the dev gateway', { method, path, error });
        sendExit(res, KONG_EXITS.unexpected, headerFiltersOf(ctx, matched));
        req.resume();
      },
    );
  };
}
