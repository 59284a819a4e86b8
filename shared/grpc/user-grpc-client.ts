import type { UserServiceDefinition } from '../../proto/generated/ecom/user/v1/UserService';
import type { Logger } from '../domain/logger';
import type { ShutdownHooks } from '../runtime/shutdown';
import type { GrpcClient } from './grpc-client';
import { lazyGrpcClient } from './lazy-grpc-client';

/**
 * The deadline of a call to user-grpc, retries included: a shorter one would fail the first admin request, or
 * notify's first event, after every idle spell of the sidecar.
 */
export const USER_GRPC_DEADLINE_MS = 5000;

/** A client of the user service's gRPC API at `address` (USER_GRPC_ADDRESS), made on first use. */
export function lazyUserGrpcClient(
  address: string,
  options: { readonly logger: Logger; readonly hooks: ShutdownHooks },
): () => Promise<GrpcClient<UserServiceDefinition>> {
  return lazyGrpcClient<UserServiceDefinition>({
    protoFile: 'user.proto',
    service: 'ecom.user.v1.UserService',
    address,
    deadlineMs: USER_GRPC_DEADLINE_MS,
    ...options,
  });
}
