import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { userService } from '../service';
import { RevokeSessionsParams } from './use-case';

export const revokeSessionsRoute = httpRoute({
  method: 'DELETE',
  path: '/v1/users/{id}/sessions',
  auth: 'admin',
  summary: 'Ends every session of a user: their refresh tokens and access tokens stop working.',
  params: RevokeSessionsParams,
  responses: { 204: { description: 'Every session of the user has ended.' } },
  problems: { 404: ['USER.NOT_FOUND'] },
});

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
