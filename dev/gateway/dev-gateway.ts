import {
  Agent,
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Logger } from '../../shared/log/logger';
import { loadKongConfig, type KongConfig } from './kong-config';
import { createGatewayCertificate, type GatewayTls } from './gateway-certificate';
import type { Scheme } from './https-only';
import { grpcPipeline } from './grpc-pipeline';
import { upstreamSessions } from './grpc-proxy';
import { listen } from './listen';
import { requestPipeline } from './request-pipeline';
import { buildRouteTable } from './route-table';
import { tlsListener } from './tls-listener';
import type { GatewayTracing } from './plugins/opentelemetry';
import type { GrpcRoute } from './service-target';
import { trustingFetch } from './trusting-fetch';

export type { GrpcRoute } from './service-target';

/** Kong's default proxy ports. */
const DEFAULT_PORT = 8000;
const DEFAULT_HTTPS_PORT = 8443;

export interface DevGatewayOptions {
  /** kong.yml already parsed, or the path to read it from. */
  readonly kongConfig: KongConfig | string;
  /**
   * Where a service runs on this machine, by its kong.yml name (the local stack maps each function to
   * `http://127.0.0.1:<port>`); only the origin counts, the path comes from kong.yml. Undefined answers 503.
   */
  readonly upstreams: (serviceName: string) => URL | undefined;
  /** Plain HTTP: 8000 (Kong's) by default; 0 picks a free port. */
  readonly port?: number;
  /** HTTPS: 8443 (Kong's) by default; 0 picks a free port. */
  readonly httpsPort?: number;
  /** The HTTPS port's key and certificate; by default one made now for localhost (gateway-certificate.ts). */
  readonly tls?: GatewayTls;
  /** 127.0.0.1 by default. */
  readonly host?: string;
  readonly logger?: Logger;
  /** The clock (ms since the epoch) for token expiry and rate-limit windows; injectable for tests. */
  readonly now?: () => number;
  /**
   * Pages the gateway serves itself before routing (the local stack's /docs): true when it answered the request.
   * Kong in the cluster has none.
   */
  readonly localPages?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** How long a connection answered early keeps reading the rest of the body: 30 s (nginx's lingering_time). */
  readonly lingerMs?: number;
  /** Where kong.yml's opentelemetry plugin records spans (the local stack's Zipkin); without it, it only propagates. */
  readonly tracing?: GatewayTracing;
}

export interface DevGateway {
  /** The HTTPS address, what clients use: kong.yml's routes are HTTPS only. */
  readonly url: string;
  /** The HTTPS port. */
  readonly port: number;
  /** The plain-HTTP address: routes that allow HTTP are served there, HTTPS-only ones redirect to {@link url}. */
  readonly httpUrl: string;
  readonly httpPort: number;
  /** The certificate the HTTPS port serves (PEM): what a client trusts. */
  readonly ca: string;
  /** fetch that trusts {@link ca}: for calls to this gateway (and any other URL). */
  readonly fetch: typeof fetch;
  /** gRPC routes of kong.yml, served on the HTTPS port as Kong serves them (grpcs). */
  readonly grpcRoutes: readonly GrpcRoute[];
  close(): Promise<void>;
}

/** How long a pooled connection to a function may stay idle: under the functions' keep-alive timeout of 5 s. */
const UPSTREAM_IDLE_MS = 4_000;

const urlOf = (scheme: Scheme, host: string, port: number) =>
  `${scheme}://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;

const portOf = (server: NetServer) => (server.address() as AddressInfo).port;

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    server.closeAllConnections();
  });
}

/**
 * Starts the dev gateway: Kong's two proxy ports, plain HTTP and HTTPS, that route by kong.yml and apply its
 * plugins as Kong would (jwt, rate-limiting, request-size-limiting, correlation-id, cors, response-transformer,
 * and pre-function for the snippets kong.yml carries), and its routes' protocols: a plain-HTTP request to an
 * HTTPS-only route gets the route's redirect. The HTTPS port also carries gRPC (HTTP/2) to the sidecars by
 * kong.yml's gRPC routes, with their plugins, as Kong's does (tls-listener.ts says which client gets which).
 *
 * @throws KongConfigError when kong.yml cannot be served; an Error naming the port when it is taken.
 */
export async function startDevGateway(options: DevGatewayOptions): Promise<DevGateway> {
  const config =
    typeof options.kongConfig === 'string' ? await loadKongConfig(options.kongConfig) : options.kongConfig;
  const routes = buildRouteTable(config, options.tracing);
  const host = options.host ?? '127.0.0.1';
  const tls = options.tls ?? (await createGatewayCertificate());
  // Keep-alive to the functions: a new connection per request would add its setup to every call. An idle pooled
  // connection is closed here before the function's server closes it (Node's keepAliveTimeout, 5 s): reused just
  // as the server closed it, a request would fail with ECONNRESET, a 502 for the client (seen in CI under load).
  const agent = new Agent({ keepAlive: true, timeout: UPSTREAM_IDLE_MS });
  // The HTTPS port's HTTP/1.1 connections, decrypted by the TLS listener below, which hands HTTP/2 ones to `grpc`.
  const servers = { http: createHttpServer(), https: createHttpServer() };
  const grpc = createHttp2Server();
  const secure = tlsListener(tls, { http1: servers.https, http2: grpc });
  const sessions = upstreamSessions();
  // Known once both listen, and kept: a closing server has no address, yet may still answer a request in flight.
  let ports = { http: 0, https: 0 };
  const handle = requestPipeline({
    routes,
    upstreams: options.upstreams,
    agent,
    ports: () => ports,
    host,
    now: options.now ?? Date.now,
    logger: options.logger,
    ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
  });
  for (const scheme of ['http', 'https'] as const) {
    servers[scheme].on('request', (req, res) => {
      if (options.localPages?.(req, res)) return;
      handle(req, res, false, scheme);
    });
    // With a listener here Node leaves the 100 Continue to us, so a body the gateway refuses is never sent.
    servers[scheme].on('checkContinue', (req, res) => {
      handle(req, res, true, scheme);
    });
  }
  grpc.on(
    'request',
    grpcPipeline({
      routes,
      upstreams: options.upstreams,
      sessions,
      httpsPort: () => ports.https,
      now: options.now ?? Date.now,
      logger: options.logger,
    }),
  );
  await listen(servers.http, options.port ?? DEFAULT_PORT, host);
  try {
    await listen(secure.server, options.httpsPort ?? DEFAULT_HTTPS_PORT, host);
  } catch (error) {
    await closeServer(servers.http);
    throw error;
  }
  ports = { http: portOf(servers.http), https: portOf(secure.server) };
  const client = trustingFetch(tls.cert);
  const gateway = {
    url: urlOf('https', host, ports.https),
    port: ports.https,
    httpUrl: urlOf('http', host, ports.http),
    httpPort: ports.http,
    ca: tls.cert,
    fetch: client.fetch,
    grpcRoutes: routes.grpcRoutes,
    close: async () => {
      await Promise.all([closeServer(servers.http), secure.close()]);
      agent.destroy();
      sessions.close();
      await client.close();
    },
  };
  options.logger?.info('dev gateway listening', {
    url: gateway.url,
    httpUrl: gateway.httpUrl,
    httpRoutes: routes.httpRoutes,
    grpcRoutes: routes.grpcRoutes.map((route) => route.route),
  });
  return gateway;
}
