import type { UserServiceDefinition } from '../../proto/generated/ecom/user/v1/UserService';
import type { Logger } from '../domain/logger';
import { lazy } from '../runtime/lazy';
import type { ShutdownHooks } from '../runtime/shutdown';
import type { GrpcClient } from './grpc-client';

/** The deadline of a call to user-grpc, retries included. */
export const USER_GRPC_DEADLINE_MS = 5000;

/**
 * A client of the user service's gRPC API at `address` (USER_GRPC_ADDRESS), made on first use and closed at
 * shutdown. Loaded then, not at the cold start: gRPC and the proto loader are large.
 */
export function lazyUserGrpcClient(
  address: string,
  options: { readonly logger: Logger; readonly hooks: ShutdownHooks },
): () => Promise<GrpcClient<UserServiceDefinition>> {
  return lazy(
    'user-grpc client',
    async () => {
      const { createGrpcClient } = await import('./grpc-client');
      const { loadProto } = await import('./load-proto');
      return createGrpcClient<UserServiceDefinition>({
        proto: await loadProto('user.proto'),
        service: 'ecom.user.v1.UserService',
        address,
        logger: options.logger,
        // Long enough for user-grpc to start from zero (a pod scheduled, Node started, its database opened) and
        // still answer: a shorter deadline would fail the first admin request, or notify's first event, after
        // every idle spell. An unreachable service is retried within it, then answered 503.
        deadlineMs: USER_GRPC_DEADLINE_MS,
      });
    },
    (client) => {
      client.close();
      return Promise.resolve();
    },
    options.hooks,
  );
}
