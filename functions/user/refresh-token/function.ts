import {
  DEFAULT_RESOURCES,
  DEFAULT_SCALING,
  type FunctionDefinition,
  type HttpRoute,
} from '../../../shared/runtime/function-definition';
import { TOKEN_ISSUER_CONFIG } from '../user-function-config';

export const refreshRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/auth/refresh',
  auth: 'public',
  rateLimitPerMinute: 30,
};

export const definition: FunctionDefinition = {
  name: 'refresh-token',
  service: 'user',
  description: 'Rotates a refresh token: a new token pair; a reused token revokes its whole family.',
  trigger: { kind: 'http', routes: [refreshRoute] },
  scaling: DEFAULT_SCALING,
  resources: DEFAULT_RESOURCES,
  config: TOKEN_ISSUER_CONFIG,
};
