import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayExit } from './gateway-plugin';
import type { KongRoute } from './kong-config';

/** The scheme a request came in by: Kong's `ctx.scheme` (no proxy in front of the dev gateway is trusted). */
export type Scheme = 'http' | 'https';

/** The host of a Host header without its port; a bracketed IPv6 literal keeps its brackets (nginx's $host). */
export function hostWithoutPort(host: string): string {
  return host.startsWith('[') ? host.replace(/(?<=\]):\d+$/, '') : (host.split(':')[0] ?? host);
}

/**
 * Kong's answer to a plain-HTTP request on a route whose protocols allow HTTPS but not HTTP (kong/runloop/
 * handler.lua, before any plugin runs): with `https_redirect_status_code` 301, 302, 307 or 308 a redirect to the
 * same path and query over HTTPS, otherwise (the default 426) "Please use HTTPS protocol". Undefined when the
 * request may go on: it came over TLS, or the route allows HTTP (an HTTP-only route is served over HTTPS too).
 *
 * Kong writes `https://<host><request uri>`, the Host without its port, which is right behind port 443. The dev
 * gateway's HTTPS port is not 443, so its Location names the port: the redirect must land on this gateway.
 */
export function httpsOnlyExit(
  route: KongRoute,
  request: {
    readonly scheme: Scheme;
    readonly headers: IncomingHttpHeaders;
    readonly target: string;
    readonly httpsPort: number;
    readonly listenHost: string;
  },
): GatewayExit | undefined {
  const { protocols } = route;
  if (request.scheme === 'https' || !protocols.includes('https') || protocols.includes('http'))
    return undefined;
  const code = route.https_redirect_status_code;
  if (code === 426) {
    return {
      status: 426,
      body: { message: 'Please use HTTPS protocol' },
      headers: { connection: 'Upgrade', upgrade: 'TLS/1.2, HTTP/1.1' },
    };
  }
  const host = hostWithoutPort(request.headers.host ?? request.listenHost);
  const port = request.httpsPort === 443 ? '' : `:${String(request.httpsPort)}`;
  return { status: code, headers: { location: `https://${host}${port}${request.target}` } };
}
