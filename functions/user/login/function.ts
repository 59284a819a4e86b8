import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { TOKEN_ISSUER_CONFIG } from '../user-function-config';

export const loginRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/auth/login',
  auth: 'public',
  rateLimitPerMinute: 10,
};

export const definition: FunctionDefinition = {
  name: 'login',
  service: 'user',
  description: 'Exchanges e-mail and password for an access token and a refresh token.',
  trigger: { kind: 'http', routes: [loginRoute] },
  // argon2id holds 19 MiB per verification in flight.
  scaling: { ...DEFAULT_SCALING, target: 10, containerConcurrency: 20 },
  resources: { ...DEFAULT_RESOURCES, cpu: '500m' },
  config: TOKEN_ISSUER_CONFIG,
};
