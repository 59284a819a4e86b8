import { INTERNAL_TOKEN_KEY } from '../../../shared/auth/internal-token';
import type { Logger } from '../../../shared/domain/logger';
import { isAppError } from '../../../shared/errors/app-error';
import { lazyUserGrpcClient } from '../../../shared/grpc/user-grpc-client';
import type { ShutdownHooks } from '../../../shared/runtime/shutdown';
import type { Contact } from './use-case';

/**
 * Users' contacts from the user service (user-grpc's GetContact, with the internal token). An unknown user is
 * undefined; a user service that cannot be reached is an `unavailable` AppError, so the event is redelivered.
 */
export function userGrpcContacts(options: {
  readonly address: string;
  readonly internalToken: string;
  readonly logger: Logger;
  readonly hooks: ShutdownHooks;
}): (userId: string) => Promise<Contact | undefined> {
  const client = lazyUserGrpcClient(options.address, options);
  return async (userId) => {
    try {
      const metadata = { [INTERNAL_TOKEN_KEY]: options.internalToken };
      const { email, name } = await (await client()).call('GetContact', { userId }, { metadata });
      return { email, name };
    } catch (error) {
      if (isAppError(error) && error.code === 'USER.NOT_FOUND') return undefined;
      throw error;
    }
  };
}
