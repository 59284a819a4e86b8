import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';
import { LogoutInput } from './use-case';

export const logoutRoute = httpRoute({
  method: 'POST',
  path: '/v1/auth/logout',
  auth: 'authenticated',
  summary: 'Ends the session of a refresh token: it and its access tokens stop working.',
  body: LogoutInput,
  responses: { 204: { description: 'The session has ended (or had already).' } },
});

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
