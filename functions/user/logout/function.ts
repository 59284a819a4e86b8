import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const logoutRoute: HttpRoute = { method: 'POST', path: '/v1/auth/logout', auth: 'authenticated' };

export const definition = defineFunction({
  name: 'logout',
  service: userService,
  description: "Ends the caller's session: revokes its refresh token's whole family, a rotated one's too.",
  trigger: { kind: 'http', routes: [logoutRoute] },
  uses: { database: true },
  scaling: { maxScale: 4 },
});
