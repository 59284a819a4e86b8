import type { OutgoingHttpHeaders } from 'node:http';
import {
  connect,
  constants,
  type ClientHttp2Session,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type IncomingHttpHeaders,
} from 'node:http2';
import { applyHeaderFilters, KONG_EXITS } from './gateway-response';
import { sendGrpcExit } from './grpc-response';
import type { ProxyCall } from './proxy';

/** One gRPC call to forward, with everything the plugins decided (ProxyCall's fields, as for HTTP). */
export interface GrpcProxyCall extends Pick<
  ProxyCall,
  'path' | 'headers' | 'body' | 'readTimeoutMs' | 'filters'
> {
  readonly req: Http2ServerRequest;
  readonly res: Http2ServerResponse;
  /** Where the sidecar runs: only its origin is used; it speaks cleartext HTTP/2 (h2c), as on Knative. */
  readonly upstream: URL;
  readonly sessions: UpstreamSessions;
}

/** The gateway's HTTP/2 connections to the sidecars, one per origin, as nginx keeps its upstream connections. */
export interface UpstreamSessions {
  session(origin: string): ClientHttp2Session;
  close(): void;
}

export function upstreamSessions(): UpstreamSessions {
  const sessions = new Map<string, ClientHttp2Session>();
  return {
    session(origin) {
      const open = sessions.get(origin);
      if (open && !open.closed && !open.destroyed) return open;
      const session = connect(origin);
      // A refused or lost connection fails the calls on it (their streams get the error); the next call reconnects.
      session.on('error', () => sessions.delete(origin));
      session.on('close', () => sessions.delete(origin));
      sessions.set(origin, session);
      return session;
    },
    close() {
      for (const session of sessions.values()) session.destroy();
      sessions.clear();
    },
  };
}

/** The headers of an HTTP/2 message without its pseudo-headers (`:status`, `:path`, ...). */
function regularHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): OutgoingHttpHeaders {
  const copy: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(':') && value !== undefined) copy[name] = value;
  }
  return copy;
}

/**
 * Forwards a gRPC call over HTTP/2, as nginx's grpc_pass does for Kong: the request message to the sidecar, its
 * headers back through the plugins' header filters, its message, then its trailers (where gRPC puts the call's
 * status). Before any response header, a failure becomes Kong's 502 (504 on read timeout) as a gRPC exit; after,
 * the client's stream is reset. Resolves with the HTTP status sent (0 when the stream was reset).
 */
export function proxyGrpc(call: GrpcProxyCall): Promise<number> {
  const { req, res } = call;
  return new Promise((resolve) => {
    const upstreamStream = call.sessions.session(call.upstream.origin).request({
      ...regularHeaders(call.headers),
      // gRPC needs it end to end; as a hop-by-hop header the gateway dropped the client's.
      te: 'trailers',
      ':method': req.method,
      ':path': call.path,
      ':authority': call.upstream.host,
      ':scheme': 'http',
    });
    let failed = false;
    const fail = (exit: typeof KONG_EXITS.badUpstreamResponse | typeof KONG_EXITS.upstreamTimeout) => {
      // Once only, and not on an answer already sent (closing the sidecar's stream below errs it too).
      if (failed || res.writableEnded) return;
      failed = true;
      upstreamStream.close(constants.NGHTTP2_CANCEL);
      req.resume();
      sendGrpcExit(res, exit, call.filters);
    };
    upstreamStream.setTimeout(call.readTimeoutMs, () => {
      fail(KONG_EXITS.upstreamTimeout);
    });
    upstreamStream.on('error', () => {
      fail(KONG_EXITS.badUpstreamResponse);
    });
    let trailersOnly = false;
    upstreamStream.on('response', (upstreamHeaders, flags) => {
      const status = upstreamHeaders[':status'] ?? 502;
      const headers = regularHeaders(upstreamHeaders);
      applyHeaderFilters(headers, call.filters.headers, { status, source: 'service' });
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) {
        // gRPC's "trailers-only" answer (a call refused at once): its status is in this one HEADERS frame, which
        // must end the stream here too, or the client finds no status at the end.
        trailersOnly = true;
        res.stream.respond({ ...headers, ':status': status }, { endStream: true });
        resolve(status);
        return;
      }
      res.writeHead(status, headers);
      upstreamStream.pipe(res, { end: false });
    });
    // HTTP/2 hands the trailers over before the end of the stream they close.
    upstreamStream.on('trailers', (trailers: IncomingHttpHeaders) => {
      res.addTrailers(regularHeaders(trailers));
    });
    upstreamStream.on('end', () => {
      if (res.headersSent && !trailersOnly) res.end();
    });
    res.on('close', () => {
      // A client gone before its answer frees the sidecar from producing it.
      if (!res.writableFinished && !trailersOnly) upstreamStream.close(constants.NGHTTP2_CANCEL);
      resolve(res.writableFinished ? res.statusCode : 0);
    });
    if (call.body) upstreamStream.end(call.body);
    else req.pipe(upstreamStream);
  });
}
