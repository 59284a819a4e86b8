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
  capacity: {
    concurrency: 32,
    throughput: 278,
    p99Ms: 179.9,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only change-role',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
