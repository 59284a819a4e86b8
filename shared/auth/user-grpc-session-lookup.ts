import type { Logger } from '../domain/logger';
import { isAppError } from '../errors/app-error';
import { lazyUserGrpcClient } from '../grpc/user-grpc-client';
import type { ShutdownHooks } from '../runtime/shutdown';
import type { SessionLookup } from './session-check';

/**
 * Confirms a caller's session with the user service (user-grpc's GetCurrentSession, with the caller's own token):
 * how the product and order services check their admin-only routes. An ended session is undefined; a user service
 * that cannot be reached is an `unavailable` AppError (503): an admin action is refused rather than let through
 * unchecked.
 */
export function userGrpcSessionLookup(
  address: string,
  options: { readonly logger: Logger; readonly hooks: ShutdownHooks },
): SessionLookup {
  const client = lazyUserGrpcClient(address, options);
  return async ({ authorization }) => {
    try {
      const session = await (await client()).call('GetCurrentSession', {}, { authorization });
      return { role: session.role === 'ROLE_ADMIN' ? 'admin' : 'customer' };
    } catch (error) {
      if (isAppError(error) && error.kind === 'unauthenticated') return undefined;
      throw error;
    }
  };
}
