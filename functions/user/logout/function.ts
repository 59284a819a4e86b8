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
  capacity: {
    concurrency: 64,
    throughput: 558,
    p99Ms: 174.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only logout',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 4 },
});
