import type { IncomingMessage, ServerResponse } from 'node:http';
import { withoutHopByHop } from './forwarded-headers';
import type { RequestContext } from './gateway-plugin';

/** The plugins' view of a request, plus what only the pipeline uses: the response and the raw query. */
export type ServedRequest = RequestContext & { readonly res: ServerResponse; readonly search: string };

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

function clientIpOf(req: IncomingMessage): string {
  // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; Kong would see a.b.c.d.
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
}

/**
 * A fresh context for a matched request: upstream headers start as the client's minus hop-by-hop ones. With
 * `expectsContinue` (the client sent `Expect: 100-continue`) the 100 goes out only when something first wants
 * the body, so a body the plugins refuse is never sent at all.
 */
export function createRequestContext(
  req: IncomingMessage,
  res: ServerResponse,
  request: {
    method: string;
    path: string;
    search: string;
    serviceName: string;
    routeId: string;
    expectsContinue: boolean;
  },
  now: () => number,
): ServedRequest {
  let continued = !request.expectsContinue;
  return {
    req,
    res,
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
      if (!continued) res.writeContinue();
      continued = true;
    },
  };
}
