import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';
import { AdminEmailEnv } from '../user-config';

export const registerRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/auth/register',
  auth: 'public',
  rateLimitPerMinute: 10,
};

export const definition = defineFunction({
  name: 'register',
  service: userService,
  description: 'Creates a customer account and emits com.ecom.user.registered.',
  trigger: { kind: 'http', routes: [registerRoute] },
  uses: { database: true, events: true },
  env: [AdminEmailEnv],
  // argon2id holds 19 MiB per hash in flight: fewer requests per instance, a little more memory.
  scaling: { maxScale: 5, target: 10, containerConcurrency: 20 },
  resources: { cpu: '500m' },
});
