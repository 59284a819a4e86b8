import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { UserView } from '../../../shared/domain/user/user';
import { userService } from '../service';
import { ChangeRoleInput, ChangeRoleParams } from './use-case';

export const changeRoleRoute = httpRoute({
  method: 'PUT',
  path: '/v1/users/{id}/role',
  auth: 'admin',
  summary: "Sets a user's role (not one's own); their sessions carry the new role from the next request.",
  params: ChangeRoleParams,
  body: ChangeRoleInput,
  responses: { 200: { description: 'The user with the new role.', body: UserView } },
  problems: { 404: ['USER.NOT_FOUND'], 422: ['USER.OWN_ROLE'] },
});

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
