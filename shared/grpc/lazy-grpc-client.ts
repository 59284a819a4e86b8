import type { ServiceDefinition } from '@grpc/grpc-js';
import type { Logger } from '../domain/logger';
import { lazy } from '../runtime/lazy';
import type { ShutdownHooks } from '../runtime/shutdown';
import type { GrpcClient } from './grpc-client';

/**
 * A client of another service's gRPC sidecar, made on first use and closed at shutdown: gRPC and the proto loader
 * are large, so they load then, not at the cold start. The deadline covers the retries of an unreachable server:
 * long enough for a sidecar scaled to zero to start and answer (a pod scheduled, Node started, its database
 * opened), after which the call is answered as the service being unavailable.
 */
export function lazyGrpcClient<D extends ServiceDefinition>(target: {
  readonly protoFile: string;
  readonly service: string;
  readonly address: string;
  readonly deadlineMs: number;
  readonly logger: Logger;
  readonly hooks: ShutdownHooks;
}): () => Promise<GrpcClient<D>> {
  return lazy(
    `${target.service} client`,
    async () => {
      const { createGrpcClient } = await import('./grpc-client');
      const { loadProto } = await import('./load-proto');
      return createGrpcClient<D>({
        proto: await loadProto(target.protoFile),
        service: target.service,
        address: target.address,
        logger: target.logger,
        deadlineMs: target.deadlineMs,
      });
    },
    (client) => {
      client.close();
      return Promise.resolve();
    },
    target.hooks,
  );
}
