// update-profile: PATCH /v1/users/me -> 200 with the updated user.
import { hashPassword, verifyPassword } from '../../../shared/auth/password';
import { userView } from '../../../shared/domain/user/user';
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, updateProfileRoute } from './function';
import { updateProfile } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { users, throttle } = userStores(stores);
  return [
    defineRoute({
      route: updateProfileRoute,
      async handle(context) {
        const deps = {
          users: await users(),
          throttle: await throttle(),
          hashPassword,
          verifyPassword,
          now: () => new Date(),
        };
        return { status: 200, body: userView(await updateProfile(deps, callerOf(context), context.body)) };
      },
    }),
  ];
});
