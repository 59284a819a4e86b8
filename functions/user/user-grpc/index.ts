// user-grpc: the user service's synchronous API for the other services (proto/user.proto). The rules (who may read
// whom, who may ask for a contact) are in use-case.ts; this file wires them to the methods and the proto's types.
import { z } from 'zod';
import { ProtoPageRequest } from '../../../shared/domain/pagination';
import type { Role } from '../../../shared/domain/user/roles';
import type { UserView } from '../../../shared/domain/user/user';
import { INTERNAL_TOKEN_KEY, isInternalToken } from '../../../shared/auth/internal-token';
import { metadataText } from '../../../shared/grpc/call-metadata';
import { unaryService } from '../../../shared/grpc/grpc-service';
import { unary } from '../../../shared/grpc/unary-method';
import { registerGrpc } from '../../../shared/kit/register';
import { userStores } from '../user-stores';
import { definition, USER_GRPC_SERVICE } from './function';
import {
  currentSession,
  getContact,
  GetContactRequest,
  getUserFor,
  GetUserRequest,
  listUsersFor,
} from './use-case';

/** The proto's enum name for one of our roles. */
function toProtoRole(role: Role) {
  return role === 'admin' ? 'ROLE_ADMIN' : 'ROLE_CUSTOMER';
}

function toMessage(user: UserView) {
  return { ...user, role: toProtoRole(user.role) };
}

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
          handle: async (request, { principal }) =>
            toMessage(await getUserFor(await users(), principal, request)),
        }),
        // The kit's verifier has confirmed the session in the database and read the current role.
        GetCurrentSession: unary({
          auth: 'authenticated',
          request: z.object({}),
          handle: (_request, { principal }) => {
            const session = currentSession(principal);
            return { ...session, role: toProtoRole(session.role) };
          },
        }),
        // Public to the token check: the internal token, not a user's, is what use-case.ts asks for.
        GetContact: unary({
          auth: 'public',
          request: GetContactRequest,
          handle: (request, { metadata }) => {
            const deps = {
              users,
              isInternalToken: (presented: string | undefined) =>
                isInternalToken(presented, config.INTERNAL_TOKEN),
            };
            return getContact(deps, metadataText(metadata, INTERNAL_TOKEN_KEY), request);
          },
        }),
        ListUsers: unary({
          auth: 'admin',
          request: ProtoPageRequest,
          handle: async (query, { principal }) => {
            const page = await listUsersFor(await users(), principal, query);
            return { ...page, items: page.items.map(toMessage) };
          },
        }),
      },
    }),
  ];
});
