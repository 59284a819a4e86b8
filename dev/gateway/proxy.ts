import {
  request,
  type Agent,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream';
import { withoutHopByHop } from './forwarded-headers';
import type { ResponseFilters, ResponseRecorder } from './gateway-plugin';
import { applyHeaderFilters, KONG_EXITS, sendExit } from './gateway-response';

/** One request to forward, with everything the plugins decided. */
export interface ProxyCall {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Where the service runs: only its origin (scheme, host, port) is used. */
  readonly upstream: URL;
  /** Path and query for the upstream. */
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  /** The body when a plugin already read it; otherwise the request is streamed. */
  readonly body: Buffer | undefined;
  /** Kong's read_timeout: the longest the upstream may stay silent. */
  readonly readTimeoutMs: number;
  readonly filters: ResponseFilters;
  /** Given the whole answer once the upstream has sent it all. */
  readonly recorders: readonly ResponseRecorder[];
  readonly agent: Agent;
  readonly continueBody: () => void;
}

class UpstreamTimeout extends Error {}

/**
 * Forwards a request with node:http, streaming the body both ways (back-pressure included). The response keeps
 * the upstream's status and end-to-end headers, then goes through the plugins' header filters. Before any
 * response byte, a failure becomes Kong's 502 (504 on read timeout); after, the client connection is cut.
 * Resolves with the status sent (0 when the connection was cut).
 */
export function proxy(call: ProxyCall): Promise<number> {
  const { req, res } = call;
  return new Promise((resolve) => {
    const headers = { ...call.headers };
    if (call.body) headers['content-length'] = call.body.length;
    const upstreamReq = request({
      protocol: call.upstream.protocol,
      hostname: call.upstream.hostname.replace(/^\[|\]$/g, ''),
      port: call.upstream.port,
      method: req.method,
      path: call.path,
      headers,
      agent: call.agent,
    });
    upstreamReq.setTimeout(call.readTimeoutMs, () => upstreamReq.destroy(new UpstreamTimeout()));
    upstreamReq.on('error', (error) => {
      // The client may still be sending: drain it so the error answer can be read on a live connection.
      req.resume();
      sendExit(
        res,
        error instanceof UpstreamTimeout ? KONG_EXITS.upstreamTimeout : KONG_EXITS.badUpstreamResponse,
        call.filters,
      );
    });
    upstreamReq.on('response', (upstreamRes) => {
      const responseHeaders = withoutHopByHop(upstreamRes.headers);
      const status = upstreamRes.statusCode ?? 502;
      applyHeaderFilters(responseHeaders, call.filters.headers, { status, source: 'service' });
      res.writeHead(status, responseHeaders);
      if (call.recorders.length > 0)
        record(upstreamRes, { status, headers: responseHeaders }, call.recorders);
      pipeline(upstreamRes, res, () => {
        // Errors need no handling: pipeline destroyed both sides, which is all a half-sent response allows.
      });
    });
    res.on('close', () => {
      // A client gone before its answer was sent frees the upstream from producing it.
      if (!res.writableFinished) upstreamReq.destroy();
      resolve(res.writableFinished ? res.statusCode : 0);
    });
    // A client that leaves mid-body must not leave the upstream waiting for the rest.
    req.on('close', () => {
      if (!req.complete) upstreamReq.destroy();
    });
    if (call.body) {
      upstreamReq.end(call.body);
    } else {
      call.continueBody();
      req.pipe(upstreamReq);
    }
  });
}

/** Copies the body as it streams to the client, and hands it whole to the recorders once the upstream has ended it. */
function record(
  upstreamRes: IncomingMessage,
  answer: { readonly status: number; readonly headers: OutgoingHttpHeaders },
  recorders: readonly ResponseRecorder[],
): void {
  const chunks: Buffer[] = [];
  upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
  upstreamRes.on('end', () => {
    const body = Buffer.concat(chunks);
    for (const recorder of recorders) recorder({ ...answer, body });
  });
}
