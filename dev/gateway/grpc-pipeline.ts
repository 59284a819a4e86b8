import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Logger } from '../../shared/log/logger';
import { forwardedHeaders } from './forwarded-headers';
import type { GatewayExit } from './gateway-plugin';
import { KONG_EXITS } from './gateway-response';
import { proxyGrpc, type UpstreamSessions } from './grpc-proxy';
import { sendGrpcExit } from './grpc-response';
import { pluginContext, splitTarget, type PluginContext } from './request-context';
import { filtersOf, type MatchedRoute, type RouteTable } from './route-table';
import { upstreamPath } from './service-target';

/** What the gRPC pipeline needs from the gateway around it. */
export interface GrpcPipelineDeps {
  readonly routes: RouteTable;
  readonly upstreams: (serviceName: string) => URL | undefined;
  readonly sessions: UpstreamSessions;
  /** The HTTPS port, which gRPC shares: X-Forwarded-Port. */
  readonly httpsPort: () => number;
  readonly now: () => number;
  readonly logger: Logger | undefined;
}

/** Kong's test for a gRPC request (pdk/response.lua): HTTP/2 with a content type that starts `application/grpc`. */
const isGrpcCall = (req: Http2ServerRequest) =>
  req.headers['content-type']?.startsWith('application/grpc') ?? false;

/** Runs the route's plugins, then proxies to the sidecar; resolves with the HTTP status sent. */
async function serve(
  deps: GrpcPipelineDeps,
  ctx: PluginContext<Http2ServerRequest>,
  res: Http2ServerResponse,
  matched: MatchedRoute,
): Promise<number> {
  const exitWith = (exit: GatewayExit) => {
    sendGrpcExit(res, exit, filtersOf(ctx, matched));
    ctx.req.resume();
    return exit.status;
  };
  for (const plugin of matched.plugins) {
    const exit = await plugin.access(ctx);
    if (exit) return exitWith(exit);
  }
  const upstream = deps.upstreams(matched.service.name);
  if (!upstream) return exitWith(KONG_EXITS.noUpstream);
  const forwarded = forwardedHeaders(ctx.req.headers, {
    clientIp: ctx.clientIp,
    path: ctx.path,
    scheme: 'https',
    gatewayPort: deps.httpsPort(),
  });
  return proxyGrpc({
    req: ctx.req,
    res,
    upstream,
    path: upstreamPath(matched.service, matched.route, {
      path: ctx.path,
      search: ctx.search,
      matchedPath: matched.matchedPath,
    }),
    headers: { ...ctx.upstreamHeaders, ...forwarded },
    body: ctx.body,
    readTimeoutMs: matched.service.read_timeout,
    filters: filtersOf(ctx, matched),
    sessions: deps.sessions,
  });
}

/**
 * The gateway's handler of HTTP/2 requests on its HTTPS port: gRPC calls, routed by kong.yml's gRPC routes and
 * put through their plugins (jwt, request-size-limiting and the global ones) as Kong does, then forwarded to the
 * sidecar. Only clients that offer HTTP/2 alone reach it (tls-listener.ts), which gRPC clients do; a request here
 * that is not a gRPC call, or a call no gRPC route matches, gets Kong's "no Route matched".
 */
export function grpcPipeline(deps: GrpcPipelineDeps) {
  return (req: Http2ServerRequest, res: Http2ServerResponse): void => {
    const started = performance.now();
    const { path, search } = splitTarget(req.url);
    const log = (status: number, route?: string) => {
      deps.logger?.debug('grpc call', { path, route, status, ms: Math.round(performance.now() - started) });
    };
    const matched = isGrpcCall(req) ? deps.routes.match(req.method, path, 'grpc') : undefined;
    if (!matched) {
      sendGrpcExit(res, KONG_EXITS.noRoute, deps.routes.globalFilters);
      req.resume();
      log(404);
      return;
    }
    const request = {
      method: req.method,
      path,
      search,
      serviceName: matched.service.name,
      routeId: matched.route.id ?? matched.routeLabel,
      expectsContinue: false,
    };
    // HTTP/2 has no 100 Continue to send.
    const ctx = pluginContext(req, request, deps.now, () => undefined);
    serve(deps, ctx, res, matched).then(
      (status) => {
        log(status, matched.routeLabel);
      },
      (error: unknown) => {
        deps.logger?.error('gRPC call failed in the dev gateway', { path, error });
        sendGrpcExit(res, KONG_EXITS.unexpected, filtersOf(ctx, matched));
        req.resume();
      },
    );
  };
}
