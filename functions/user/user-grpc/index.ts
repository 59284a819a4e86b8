// user-grpc: the user service's synchronous API for the other services (proto/user.proto), over the same use cases
// as the HTTP reads. A customer may read only themselves: anyone else answers NOT_FOUND, as an unknown id does.
import { z } from 'zod';
import { ProtoPageRequest } from '../../../shared/domain/pagination';
import type { UserView } from '../../../shared/domain/user/user';
import { AppError } from '../../../shared/errors/app-error';
import { unaryService } from '../../../shared/grpc/grpc-service';
import { unary } from '../../../shared/grpc/unary-method';
import { registerGrpc } from '../../../shared/kit/register';
import { getUser, listUsers } from '../user-query/use-case';
import { userStores } from '../user-stores';
import { definition, USER_GRPC_SERVICE } from './function';

const GetUserRequest = z.object({ id: z.uuid() });

/** The proto's enum names for our roles. */
function toMessage(user: UserView) {
  return { ...user, role: user.role === 'admin' ? 'ROLE_ADMIN' : 'ROLE_CUSTOMER' };
}

registerGrpc(definition, ({ stores, verify, logger }, proto) => {
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
