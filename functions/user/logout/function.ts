import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const logoutRoute: HttpRoute = { method: 'POST', path: '/v1/auth/logout', auth: 'authenticated' };

export const definition: FunctionDefinition = {
  name: 'logout',
  service: 'user',
  description: "Revokes the caller's refresh token.",
  trigger: { kind: 'http', routes: [logoutRoute] },
  scaling: DEFAULT_SCALING,
  resources: DEFAULT_RESOURCES,
  config: USER_SERVICE_CONFIG,
};
