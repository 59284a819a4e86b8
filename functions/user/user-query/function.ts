import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { PageQuery, pageOf } from '../../../shared/domain/pagination';
import { UserView } from '../../../shared/domain/user/user';
import { userService } from '../service';
import { UserIdParams } from './use-case';

export const meRoute = httpRoute({
  method: 'GET',
  path: '/v1/users/me',
  auth: 'authenticated',
  summary: "The caller's account.",
  responses: { 200: { description: "The caller's account.", body: UserView } },
  problems: { 404: ['USER.NOT_FOUND'] },
});
export const listUsersRoute = httpRoute({
  method: 'GET',
  path: '/v1/users',
  auth: 'admin',
  summary: 'Every account, newest first, paged.',
  query: PageQuery,
  responses: { 200: { description: 'A page of accounts.', body: pageOf(UserView) } },
});
export const getUserRoute = httpRoute({
  method: 'GET',
  path: '/v1/users/{id}',
  auth: 'admin',
  summary: 'One account.',
  params: UserIdParams,
  responses: { 200: { description: 'The account.', body: UserView } },
  problems: { 404: ['USER.NOT_FOUND'] },
});

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
