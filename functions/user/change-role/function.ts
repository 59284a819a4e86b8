import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const changeRoleRoute: HttpRoute = { method: 'PUT', path: '/v1/users/{id}/role', auth: 'admin' };

export const definition = defineFunction({
  name: 'change-role',
  service: userService,
  description: "Admin only: sets another user's role (customer or admin).",
  trigger: { kind: 'http', routes: [changeRoleRoute] },
  uses: { database: true },
  scaling: { maxScale: 2 },
});
