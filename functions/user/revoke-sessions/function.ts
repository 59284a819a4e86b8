import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const revokeSessionsRoute: HttpRoute = {
  method: 'DELETE',
  path: '/v1/users/{id}/sessions',
  auth: 'admin',
};

export const definition = defineFunction({
  name: 'revoke-sessions',
  service: userService,
  description: 'Admin only: ends every session of a user (a lost device, a compromised account).',
  trigger: { kind: 'http', routes: [revokeSessionsRoute] },
  uses: { database: true },
  scaling: { maxScale: 2 },
});
