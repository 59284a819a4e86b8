import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const updateProfileRoute: HttpRoute = { method: 'PATCH', path: '/v1/users/me', auth: 'authenticated' };

export const definition = defineFunction({
  name: 'update-profile',
  service: userService,
  description: "Changes the caller's name or password (the current password is required; sessions end).",
  trigger: { kind: 'http', routes: [updateProfileRoute] },
  uses: { database: true },
  // A password change hashes with argon2id (19 MiB each).
  scaling: { maxScale: 4, target: 10, containerConcurrency: 20 },
  resources: { cpu: '500m' },
});
