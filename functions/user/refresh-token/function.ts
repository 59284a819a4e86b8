import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const refreshRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/auth/refresh',
  auth: 'public',
  rateLimitPerMinute: 30,
  // It answers tokens: no cache may keep them.
  noStore: true,
};

export const definition = defineFunction({
  name: 'refresh-token',
  service: userService,
  description: 'Rotates a refresh token: a new token pair; a reused token revokes its whole family.',
  trigger: { kind: 'http', routes: [refreshRoute] },
  uses: { database: true },
  scaling: { maxScale: 6 },
  env: [AccessTokenSignerEnv],
});
