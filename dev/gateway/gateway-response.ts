import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { GatewayExit, HeaderFilter, ResponseFilters, ResponseInfo } from './gateway-plugin';

/** Runs the header filters of the plugins that ran, in their order, over a response's headers. */
export function applyHeaderFilters(
  headers: OutgoingHttpHeaders,
  filters: readonly HeaderFilter[],
  response: ResponseInfo,
): void {
  for (const filter of filters) filter(headers, response);
}

/**
 * Answers a request from the gateway itself, as Kong's `kong.response.exit` does: a JSON body with
 * `application/json; charset=utf-8`, a text under the exit's own content type, or no body; the exit's headers, then
 * the header filters, so that an exit still carries the correlation id and the CORS headers, then the body filters.
 * A filter that cleared Content-Length gets the length of the body sent.
 */
export function sendExit(
  res: ServerResponse,
  exit: GatewayExit,
  filters: ResponseFilters,
  lingerMs = LINGER_MS,
): void {
  if (res.headersSent || res.destroyed) {
    // Too late for a status line: cutting the connection is the only honest signal left.
    res.destroy();
    return;
  }
  const response: ResponseInfo = { status: exit.status, source: 'exit' };
  const kongBody = exit.text ?? (exit.body === undefined ? '' : JSON.stringify(exit.body));
  const headers: OutgoingHttpHeaders = { ...exit.headers };
  if (exit.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(kongBody);
  applyHeaderFilters(headers, filters.headers, response);
  const body = filters.bodies.reduce((text, filter) => filter(text, response, headers), kongBody);
  headers['content-length'] ??= Buffer.byteLength(body);
  if (!res.req.complete) readTheRestAfterwards(res, lingerMs);
  res.writeHead(exit.status, headers).end(body);
}

/** How long a connection stays open after an early answer, reading the rest of the body (nginx's lingering_time). */
export const LINGER_MS = 30_000;

/**
 * An answer given while the client is still sending its body (a 413 on the declared length, a 401 before the body):
 * closing the connection at once would reset it under the client's writes, and a client busy writing then loses the
 * answer (EPIPE). nginx, and so Kong, keeps reading and discarding the body for a while before it closes ("lingering
 * close"); so does this, for at most `lingerMs` ({@link LINGER_MS} unless the gateway is told otherwise). Not when the client waits for a 100 Continue that never
 * came: it sends no body.
 */
function readTheRestAfterwards(res: ServerResponse, lingerMs: number): void {
  const { req, socket } = res;
  if (req.headers.expect?.toLowerCase() === '100-continue' || !socket) return;
  // Kept open past this answer, so Node's parser goes on reading (and discarding) the body rather than closing.
  res.shouldKeepAlive = true;
  const cut = setTimeout(() => socket.destroy(), lingerMs);
  cut.unref();
  const done = () => {
    clearTimeout(cut);
    socket.off('close', done);
  };
  socket.once('close', done);
  // Read to its end, the body is gone and the connection is an ordinary kept-alive one again: cutting it later
  // would drop whatever request the client sends on it next.
  req.once('end', done);
  req.resume();
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
