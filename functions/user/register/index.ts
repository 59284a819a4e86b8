// register: POST /v1/auth/register -> 201 with the new customer; its event is published once committed.
import { hashPassword } from '../../../shared/auth/password';
import { userView } from '../../../shared/domain/user/user';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, registerRoute } from './function';
import { registerUser } from './use-case';

registerHttp(definition, ({ config, stores }) => {
  const { users } = userStores(stores);
  return [
    defineRoute({
      route: registerRoute,
      async handle({ body }) {
        const deps = {
          users: await users(),
          hashPassword,
          now: () => new Date(),
          adminEmail: config.ADMIN_EMAIL,
        };
        return { status: 201, body: userView(await registerUser(deps, body)) };
      },
    }),
  ];
});
