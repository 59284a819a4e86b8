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
  capacity: {
    concurrency: 8,
    throughput: 255,
    p99Ms: 57.8,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only update-profile',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 4 },
  resources: { cpu: '500m' },
});
