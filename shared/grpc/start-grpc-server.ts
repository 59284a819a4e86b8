import { Server, ServerCredentials } from '@grpc/grpc-js';
import { z } from 'zod';
import { loadConfig } from '../config/load-config';
import type { Logger } from '../log/logger';
import type { GrpcService } from './grpc-service';
import { HEALTH_PROTO, healthService } from './health-service';
import { HealthStatus } from './health-status';
import { loadProto } from './load-proto';
import { resolveProtoDir } from './proto-dir';
import { warmUpForCodeCache, writingCodeCache } from '../runtime/code-cache-warm-up';

/** Knative sets PORT to the container port (named `h2c` for a gRPC function). */
const GrpcServerEnv = z.object({ PORT: z.coerce.number().int().min(0).max(65535).default(8080) });

/** Grace period of {@link RunningGrpcServer.stop} when none is given. */
export const DEFAULT_GRACE_MS = 10_000;
/** Default request size limit: our requests are ids and small commands; grpc-js would accept 4 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

export interface GrpcServerOptions {
  /** The application's services; the health service is added, with each of these SERVING once bound. */
  readonly services: readonly GrpcService[];
  readonly logger: Logger;
  /** Default: the PORT variable, else 8080. 0 binds a free port (tests); the bound one is returned. */
  readonly port?: number;
  /** Default `0.0.0.0`, every interface of the container. */
  readonly host?: string;
  /** Where `grpc/health/v1/health.proto` is; default {@link resolveProtoDir}. */
  readonly protoDir?: string;
  readonly maxRequestBytes?: number;
  /** Default process.env; read only when `port` or `protoDir` is not given. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunningGrpcServer {
  /** The port bound. */
  readonly port: number;
  /** Serving status per service (`''` = the server): set NOT_SERVING while a dependency is down, if useful. */
  readonly health: HealthStatus;
  /**
   * Stops gracefully: health turns NOT_SERVING (Watch streams end), new calls are refused, running calls may finish
   * within `graceMs` (default {@link DEFAULT_GRACE_MS}), then the rest are cancelled. Resolves once stopped; calling
   * it again returns the same promise.
   */
  readonly stop: (graceMs?: number) => Promise<void>;
}

/**
 * Starts a gRPC server on plaintext HTTP/2 (h2c: Knative's queue-proxy and the mesh do TLS) with the standard
 * health service. Loads the health proto now, so nothing happens at import time. Signals are the caller's business:
 * see `stopOnSignals`.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { services, logger } = options;
  const env = options.env ?? process.env;
  const port = options.port ?? loadConfig(GrpcServerEnv, env).PORT;
  const host = options.host ?? '0.0.0.0';
  const health = new HealthStatus();
  const healthProto = await loadProto(HEALTH_PROTO, options.protoDir ?? resolveProtoDir(env));

  const server = new Server({
    'grpc.max_receive_message_length': options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
  });
  for (const service of [healthService(healthProto, health), ...services]) {
    server.addService(service.definition, service.implementation);
  }
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });

  health.set('', 'SERVING');
  for (const { name } of services) health.set(name, 'SERVING');
  logger.info('gRPC server listening', { host, port: bound, services: services.map(({ name }) => name) });
  // The build's code-cache run (shared/runtime/code-cache-warm-up.ts): no call to rehearse, the stores' steps only.
  if (writingCodeCache()) warmUpForCodeCache(() => Promise.resolve());

  let stopping: Promise<void> | undefined;
  return {
    port: bound,
    health,
    stop: (graceMs = DEFAULT_GRACE_MS) => (stopping ??= shutdown(server, health, graceMs, logger)),
  };
}

function shutdown(server: Server, health: HealthStatus, graceMs: number, logger: Logger): Promise<void> {
  health.shutdown();
  logger.info('gRPC server stopping', { graceMs });
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      logger.warn('grace period over: cancelling the calls still running', { graceMs });
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown((error) => {
      clearTimeout(force);
      if (error) logger.warn('graceful shutdown failed', { error });
      else logger.info('gRPC server stopped');
      resolve();
    });
  });
}
