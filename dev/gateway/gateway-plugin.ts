import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/** A request as the plugins read it: HTTP/1.1, or HTTP/2 for a gRPC call (Node's compatibility API). */
export type GatewayRequest = IncomingMessage | Http2ServerRequest;

/**
 * A response the gateway answers itself instead of proxying, Kong's `kong.response.exit`: a JSON body (Kong's
 * `{"message": ...}` shape, or the jwt plugin's claim errors) or none, plus headers.
 */
export interface GatewayExit {
  readonly status: number;
  readonly body?: Readonly<Record<string, unknown>>;
  /** A body sent as it is, under the exit's own headers (proxy-cache's stored answer); instead of `body`. */
  readonly text?: string;
  readonly headers?: OutgoingHttpHeaders;
}

/** What Kong's PDK tells a header filter about the answer: its status, and `kong.response.get_source()`. */
export interface ResponseInfo {
  readonly status: number;
  /** `exit`: the gateway answered itself (kong.response.exit); `service`: the upstream's answer. */
  readonly source: 'exit' | 'service';
}

/**
 * A plugin's `header_filter` phase: it edits the headers of whatever response goes out, the upstream's or an
 * exit's. Header names are lower case throughout the gateway so that setting one replaces it.
 */
export type HeaderFilter = (headers: OutgoingHttpHeaders, response: ResponseInfo) => void;

/**
 * A plugin's `body_filter` phase, as the dev gateway runs it: on the gateway's own answers (exits) only, whole; an
 * upstream's body streams through untouched (kong.yml's one body filter rewrites exits alone). It reads the body and
 * the headers the header filters left, and returns the body to send.
 */
export type BodyFilter = (body: string, response: ResponseInfo, headers: OutgoingHttpHeaders) => string;

/** What filters an answer: the header filters, then the body filters, each in the order they run. */
export interface ResponseFilters {
  readonly headers: readonly HeaderFilter[];
  readonly bodies: readonly BodyFilter[];
}

/**
 * Kong's `body_filter` phase on an upstream's answer, as proxy-cache uses it: called once the whole body has come
 * from the upstream, with the status and the headers that went out to the client (after every header filter).
 */
export type ResponseRecorder = (answer: {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}) => void;

/** The consumer an authentication plugin identified, as Kong's `kong.client.authenticate` records it. */
export interface AuthenticatedConsumer {
  readonly username?: string;
  readonly customId?: string;
  readonly id?: string;
  /** The credential's identifier (the jwt secret's `key`). */
  readonly credential: string;
}

/** One request as it moves through the plugins of its route: what they read and what they change. */
export interface RequestContext {
  readonly req: GatewayRequest;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The client address (Kong's forwarded IP with no trusted proxies: the peer's address). */
  readonly clientIp: string;
  readonly serviceName: string;
  /** The matched route's id in kong.yml, or its name when it has none (Kong would make up an id). */
  readonly routeId: string;
  /** The clock, in ms since the epoch; injectable so tests do not race a window boundary. */
  readonly now: () => number;
  /** The headers the upstream will get, lower-case names; plugins set or delete them. */
  readonly upstreamHeaders: OutgoingHttpHeaders;
  /** Header filters of the plugins that ran, applied in order to the response. */
  readonly headerFilters: HeaderFilter[];
  /** Recorders of the plugins that ran, given the upstream's whole answer (none for the gateway's own answers). */
  readonly responseRecorders: ResponseRecorder[];
  consumer?: AuthenticatedConsumer;
  /** The request body, when a plugin had to read it before proxying (a body of unknown length). */
  body?: Buffer;
  /** Sends `100 Continue` once if the client asked for it; call before reading the body. */
  readonly continueBody: () => void;
}

/** A plugin instance: one per declaration, so its state (rate-limit counters) lives in its scope as in Kong. */
export interface GatewayPlugin {
  readonly name: string;
  /** Kong's handler PRIORITY: higher runs first. */
  readonly priority: number;
  /** Kong's `access` phase: an exit ends the request there; undefined passes it on. */
  readonly access: (ctx: RequestContext) => GatewayExit | undefined | Promise<GatewayExit | undefined>;
  /**
   * Kong's `header_filter` phase for a plugin whose filter needs nothing from `access`. It runs on every answer of
   * a route the plugin is in effect on, even when an earlier plugin exited in `access` before this one ran (Kong
   * collects the route's plugins whole), and for a global plugin also on Kong's "no Route matched".
   */
  readonly headerFilter?: HeaderFilter;
  /** Kong's `body_filter` phase, collected as headerFilter is (see BodyFilter for what the dev gateway runs it on). */
  readonly bodyFilter?: BodyFilter;
}

/** A request header's value; a repeated header counts by its first value, an absent one is undefined. */
export function requestHeader(req: GatewayRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : value?.[0];
}
