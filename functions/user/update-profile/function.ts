import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const updateProfileRoute: HttpRoute = { method: 'PATCH', path: '/v1/users/me', auth: 'authenticated' };

export const definition: FunctionDefinition = {
  name: 'update-profile',
  service: 'user',
  description: "Changes the caller's name or password (the current password is required; sessions end).",
  trigger: { kind: 'http', routes: [updateProfileRoute] },
  scaling: { ...DEFAULT_SCALING, target: 10, containerConcurrency: 20 },
  resources: { ...DEFAULT_RESOURCES, cpu: '500m' },
  config: USER_SERVICE_CONFIG,
};
