// user-grpc: the user service's synchronous API for the other services (proto/user.proto), over the same use cases
// as the HTTP reads. A customer may read only themselves: anyone else answers NOT_FOUND, as an unknown id does.
import { z } from 'zod';
import { ProtoPageRequest } from '../../../shared/domain/pagination';
import type { Role } from '../../../shared/domain/user/roles';
import type { UserView } from '../../../shared/domain/user/user';
import { INTERNAL_TOKEN_KEY, isInternalToken } from '../../../shared/auth/internal-token';
import { AppError } from '../../../shared/errors/app-error';
import { metadataText } from '../../../shared/grpc/call-metadata';
import { unaryService } from '../../../shared/grpc/grpc-service';
import { unary } from '../../../shared/grpc/unary-method';
import { registerGrpc } from '../../../shared/kit/register';
import { getUser, listUsers } from '../user-query/use-case';
import { userStores } from '../user-stores';
import { definition, USER_GRPC_SERVICE } from './function';

const GetUserRequest = z.object({ id: z.uuid() });

/** The proto's enum name for one of our roles. */
function toProtoRole(role: Role) {
  return role === 'admin' ? 'ROLE_ADMIN' : 'ROLE_CUSTOMER';
}

function toMessage(user: UserView) {
  return { ...user, role: toProtoRole(user.role) };
}

const GetContactRequest = z.object({ userId: z.uuid() });

registerGrpc(definition, ({ config, stores, verify, logger }, proto) => {
  const { users } = userStores(stores);
  return [
    unaryService({
      proto,
      name: USER_GRPC_SERVICE,
      verify,
      logger,
      methods: {
        GetUser: unary({
          auth: 'authenticated',
          request: GetUserRequest,
          handle: async ({ id }, { principal }) => {
            if (principal.role !== 'admin' && principal.userId !== id) {
              throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');
            }
            return toMessage(await getUser(await users(), id));
          },
        }),
        // The kit's verifier has confirmed the session in the database and read the current role.
        GetCurrentSession: unary({
          auth: 'authenticated',
          request: z.object({}),
          handle: (_request, { principal }) => ({
            userId: principal.userId,
            sessionId: principal.sessionId,
            role: toProtoRole(principal.role),
          }),
        }),
        // No user calls this: the shop's services do, with the internal token (notify, for an address to mail).
        GetContact: unary({
          auth: 'public',
          request: GetContactRequest,
          handle: async ({ userId }, { metadata }) => {
            if (!isInternalToken(metadataText(metadata, INTERNAL_TOKEN_KEY), config.INTERNAL_TOKEN)) {
              throw new AppError(
                'unauthenticated',
                'AUTH.INTERNAL_ONLY',
                'Only the shop services may call this.',
              );
            }
            const { id, email, name } = await getUser(await users(), userId);
            return { userId: id, email, name };
          },
        }),
        ListUsers: unary({
          auth: 'admin',
          request: ProtoPageRequest,
          handle: async (query) => {
            const page = await listUsers(await users(), query);
            return { ...page, items: page.items.map(toMessage) };
          },
        }),
      },
    }),
  ];
});
