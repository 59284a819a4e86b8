import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { USER_SERVICE_CONFIG } from '../user-function-config';

export const registerRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/auth/register',
  auth: 'public',
  rateLimitPerMinute: 10,
};

export const definition: FunctionDefinition = {
  name: 'register',
  service: 'user',
  description: 'Creates a customer account and emits com.ecom.user.registered.',
  trigger: { kind: 'http', routes: [registerRoute] },
  // argon2id holds 19 MiB per hash in flight: fewer requests per instance, a little more memory.
  scaling: { ...DEFAULT_SCALING, target: 10, containerConcurrency: 20 },
  resources: { ...DEFAULT_RESOURCES, cpu: '500m' },
  config: USER_SERVICE_CONFIG,
};
