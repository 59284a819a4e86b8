import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';

export const meRoute: HttpRoute = { method: 'GET', path: '/v1/users/me', auth: 'authenticated' };
export const listUsersRoute: HttpRoute = { method: 'GET', path: '/v1/users', auth: 'admin' };
export const getUserRoute: HttpRoute = { method: 'GET', path: '/v1/users/{id}', auth: 'admin' };

export const definition = defineFunction({
  name: 'user-query',
  service: userService,
  description: 'Reads users: the caller (me), and for admins any user and the paged list.',
  // `me` comes before `{id}`: the first matching route wins.
  trigger: { kind: 'http', routes: [meRoute, listUsersRoute, getUserRoute] },
  uses: { database: true },
  capacity: {
    concurrency: 8,
    throughput: 651,
    p99Ms: 39.6,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only user-query',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
});
