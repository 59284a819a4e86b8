import { z } from 'zod';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import type { UserView } from '../../../shared/domain/user/user';
import { AppError } from '../../../shared/errors/app-error';
import { unaryService, type GrpcService } from '../../../shared/grpc/grpc-service';
import type { LoadedProto } from '../../../shared/grpc/load-proto';
import type { Verifier } from '../../../shared/grpc/request-context';
import { unary } from '../../../shared/grpc/unary-method';
import type { Logger } from '../../../shared/log/logger';
import { getUser, listUsers } from '../user-query/use-case';
import { USER_GRPC_SERVICE } from './function';
import { ProtoPageRequest } from '../../../shared/domain/pagination';

const GetUserRequest = z.object({ id: z.uuid() });

/** The proto's enum names for our roles. */
function toMessage(user: UserView) {
  return { ...user, role: user.role === 'admin' ? 'ROLE_ADMIN' : 'ROLE_CUSTOMER' };
}

/**
 * UserService over the same use cases as the HTTP reads. A customer may read only themselves: asking for anyone
 * else answers NOT_FOUND, exactly as for an id that does not exist.
 */
export function userGrpcService(
  proto: LoadedProto,
  deps: { readonly users: () => Promise<UserRepository>; readonly verify: Verifier; readonly logger: Logger },
): GrpcService {
  return unaryService({
    proto,
    name: USER_GRPC_SERVICE,
    verify: deps.verify,
    logger: deps.logger,
    methods: {
      GetUser: unary({
        auth: 'authenticated',
        request: GetUserRequest,
        handle: async ({ id }, { principal }) => {
          if (principal.role !== 'admin' && principal.userId !== id) {
            throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user.');
          }
          return toMessage(await getUser(await deps.users(), id));
        },
      }),
      ListUsers: unary({
        auth: 'admin',
        request: ProtoPageRequest,
        handle: async (query) => {
          const page = await listUsers(await deps.users(), query);
          return { ...page, items: page.items.map(toMessage) };
        },
      }),
    },
  });
}
