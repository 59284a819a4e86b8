import type { UserServiceDefinition } from '../../../proto/generated/ecom/user/v1/UserService';
import { INTERNAL_TOKEN_KEY } from '../../../shared/auth/internal-token';
import { isAppError } from '../../../shared/errors/app-error';
import type { GrpcClient } from '../../../shared/grpc/grpc-client';
import type { Contact } from './use-case';

/**
 * Users' contacts from the user service (user-grpc's GetContact, with the internal token). An unknown user is
 * undefined; a user service that cannot be reached is an `unavailable` AppError, so the event is redelivered.
 */
export function userGrpcContacts(
  client: () => Promise<GrpcClient<UserServiceDefinition>>,
  internalToken: string,
): (userId: string) => Promise<Contact | undefined> {
  const metadata = { [INTERNAL_TOKEN_KEY]: internalToken };
  return async (userId) => {
    try {
      const { email, name } = await (await client()).call('GetContact', { userId }, { metadata });
      return { email, name };
    } catch (error) {
      if (isAppError(error) && error.code === 'USER.NOT_FOUND') return undefined;
      throw error;
    }
  };
}
