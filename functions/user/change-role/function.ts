import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const changeRoleRoute: HttpRoute = { method: 'PUT', path: '/v1/users/{id}/role', auth: 'admin' };

export const definition: FunctionDefinition = {
  name: 'change-role',
  service: 'user',
  description: "Admin only: sets another user's role (customer or admin).",
  trigger: { kind: 'http', routes: [changeRoleRoute] },
  scaling: { ...DEFAULT_SCALING, maxScale: 2 },
  resources: DEFAULT_RESOURCES,
  config: USER_SERVICE_CONFIG,
};
