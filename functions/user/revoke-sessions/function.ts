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
  capacity: {
    concurrency: 16,
    throughput: 568,
    p99Ms: 61.0,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only revoke-sessions',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
