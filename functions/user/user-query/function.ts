import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const meRoute: HttpRoute = { method: 'GET', path: '/v1/users/me', auth: 'authenticated' };
export const listUsersRoute: HttpRoute = { method: 'GET', path: '/v1/users', auth: 'admin' };
export const getUserRoute: HttpRoute = { method: 'GET', path: '/v1/users/{id}', auth: 'admin' };

export const definition: FunctionDefinition = {
  name: 'user-query',
  service: 'user',
  description: 'Reads users: the caller (me), and for admins any user and the paged list.',
  // `me` comes before `{id}`: the first matching route wins.
  trigger: { kind: 'http', routes: [meRoute, listUsersRoute, getUserRoute] },
  scaling: DEFAULT_SCALING,
  resources: DEFAULT_RESOURCES,
  config: USER_SERVICE_CONFIG,
};
