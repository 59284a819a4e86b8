import type { IncomingMessage, ServerResponse } from 'node:http';
import { withoutHopByHop } from './forwarded-headers';
import type { GatewayRequest, RequestContext } from './gateway-plugin';

/** The plugins' view of a request of one protocol, plus the raw query, which only the pipeline uses. */
export type PluginContext<R extends GatewayRequest> = RequestContext & {
  readonly req: R;
  readonly search: string;
};

/** The plugins' view of an HTTP/1.1 request, plus what only the pipeline uses: the response and the raw query. */
export type ServedRequest = PluginContext<IncomingMessage> & { readonly res: ServerResponse };

/** Splits a request target into path and query; an absolute-form target (proxy style) keeps only its path. */
export function splitTarget(target: string): { path: string; search: string } {
  let relative = target;
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      relative = url.pathname + url.search;
    } catch {
      relative = '/';
    }
  }
  const at = relative.indexOf('?');
  return at < 0
    ? { path: relative, search: '' }
    : { path: relative.slice(0, at), search: relative.slice(at) };
}

function clientIpOf(req: GatewayRequest): string {
  // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; Kong would see a.b.c.d.
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
}

/** What the pipeline matched a request to, and how it came. */
export interface MatchedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly serviceName: string;
  readonly routeId: string;
  readonly expectsContinue: boolean;
}

/**
 * A fresh context for a matched request: upstream headers start as the client's minus hop-by-hop ones. With
 * `expectsContinue` (the client sent `Expect: 100-continue`) the 100 goes out (`writeContinue`) only when something
 * first wants the body, so a body the plugins refuse is never sent at all.
 */
export function pluginContext<R extends GatewayRequest>(
  req: R,
  request: MatchedRequest,
  now: () => number,
  writeContinue: () => void,
): PluginContext<R> {
  let continued = !request.expectsContinue;
  return {
    req,
    method: request.method,
    path: request.path,
    search: request.search,
    query: new URLSearchParams(request.search),
    clientIp: clientIpOf(req),
    serviceName: request.serviceName,
    routeId: request.routeId,
    now,
    upstreamHeaders: withoutHopByHop(req.headers),
    headerFilters: [],
    responseRecorders: [],
    continueBody: () => {
      if (!continued) writeContinue();
      continued = true;
    },
  };
}

/** {@link pluginContext} of an HTTP/1.1 request, with its response. */
export function createRequestContext(
  req: IncomingMessage,
  res: ServerResponse,
  request: MatchedRequest,
  now: () => number,
): ServedRequest {
  return {
    ...pluginContext(req, request, now, () => {
      res.writeContinue();
    }),
    res,
  };
}
