import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../shared/log/logger';
import { loadKongConfig, type KongConfig } from './kong-config';
import { listen } from './listen';
import { requestPipeline } from './request-pipeline';
import { buildRouteTable } from './route-table';
import type { GrpcRoute } from './service-target';

export type { GrpcRoute } from './service-target';

/** Kong's default proxy port. */
const DEFAULT_PORT = 8000;

export interface DevGatewayOptions {
  /** kong.yml already parsed, or the path to read it from. */
  readonly kongConfig: KongConfig | string;
  /**
   * Where a service runs on this machine, by its kong.yml name (the local stack maps each function to
   * `http://127.0.0.1:<port>`); only the origin counts, the path comes from kong.yml. Undefined answers 503.
   */
  readonly upstreams: (serviceName: string) => URL | undefined;
  /** 8000 (Kong's) by default; 0 picks a free port. */
  readonly port?: number;
  /** 127.0.0.1 by default. */
  readonly host?: string;
  readonly logger?: Logger;
  /** The clock (ms since the epoch) for token expiry and rate-limit windows; injectable for tests. */
  readonly now?: () => number;
}

export interface DevGateway {
  readonly url: string;
  readonly port: number;
  /** gRPC routes of kong.yml: not served here; the local stack prints where each sidecar listens instead. */
  readonly grpcRoutes: readonly GrpcRoute[];
  close(): Promise<void>;
}

/**
 * Starts the dev gateway: one HTTP port that routes by kong.yml and applies its plugins as Kong would (jwt,
 * rate-limiting, request-size-limiting, correlation-id, cors, response-transformer, and pre-function for the
 * snippets kong.yml carries). gRPC routes are listed, not served: gRPC needs
 * HTTP/2 end to end, and the sidecars can be called directly.
 *
 * @throws KongConfigError when kong.yml cannot be served; an Error naming the port when it is taken.
 */
/** How long a pooled connection to a function may stay idle: under the functions' keep-alive timeout of 5 s. */
const UPSTREAM_IDLE_MS = 4_000;

export async function startDevGateway(options: DevGatewayOptions): Promise<DevGateway> {
  const config =
    typeof options.kongConfig === 'string' ? await loadKongConfig(options.kongConfig) : options.kongConfig;
  const routes = buildRouteTable(config);
  const host = options.host ?? '127.0.0.1';
  // Keep-alive to the functions: a new connection per request would add its setup to every call. An idle pooled
  // connection is closed here before the function's server closes it (Node's keepAliveTimeout, 5 s): reused just
  // as the server closed it, a request would fail with ECONNRESET, a 502 for the client (seen in CI under load).
  const agent = new Agent({ keepAlive: true, timeout: UPSTREAM_IDLE_MS });
  const server = createServer();
  const handle = requestPipeline({
    routes,
    upstreams: options.upstreams,
    agent,
    gatewayPort: () => (server.address() as AddressInfo).port,
    now: options.now ?? Date.now,
    logger: options.logger,
  });
  server.on('request', (req, res) => {
    handle(req, res, false);
  });
  // With a listener here Node leaves the 100 Continue to us, so a body the gateway refuses is never sent.
  server.on('checkContinue', (req, res) => {
    handle(req, res, true);
  });
  await listen(server, options.port ?? DEFAULT_PORT, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger?.info('dev gateway listening', {
    url,
    httpRoutes: routes.httpRoutes,
    grpcRoutes: routes.grpcRoutes.map((route) => route.route),
  });
  return {
    url,
    port,
    grpcRoutes: routes.grpcRoutes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
