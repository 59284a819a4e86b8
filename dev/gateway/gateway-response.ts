import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { GatewayExit, HeaderFilter } from './gateway-plugin';

/** Runs the header filters of the plugins that ran, in their order, over a response's headers. */
export function applyHeaderFilters(headers: OutgoingHttpHeaders, filters: readonly HeaderFilter[]): void {
  for (const filter of filters) filter(headers);
}

/**
 * Answers a request from the gateway itself, as Kong's `kong.response.exit` does: a JSON body with
 * `application/json; charset=utf-8` (or no body), the exit's headers, then the header filters, so that an exit
 * still carries the correlation id and the CORS headers.
 */
export function sendExit(res: ServerResponse, exit: GatewayExit, filters: readonly HeaderFilter[]): void {
  if (res.headersSent || res.destroyed) {
    // Too late for a status line: cutting the connection is the only honest signal left.
    res.destroy();
    return;
  }
  const body = exit.body === undefined ? '' : JSON.stringify(exit.body);
  const headers: OutgoingHttpHeaders = { ...exit.headers };
  if (exit.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(body);
  applyHeaderFilters(headers, filters);
  res.writeHead(exit.status, headers).end(body);
}

/** Kong's own answers that the gateway core (not a plugin) gives. */
export const KONG_EXITS = {
  noRoute: { status: 404, body: { message: 'no Route matched with those values' } },
  badUpstreamResponse: {
    status: 502,
    body: { message: 'An invalid response was received from the upstream server' },
  },
  upstreamTimeout: { status: 504, body: { message: 'The upstream server is timing out' } },
  // Kong's answer when a service's host resolves to nothing: here, a service the local stack runs no function for.
  noUpstream: { status: 503, body: { message: 'name resolution failed' } },
  unexpected: { status: 500, body: { message: 'An unexpected error occurred' } },
} as const satisfies Record<string, GatewayExit>;
