import { UserRegistered } from '../../../events/user-registered';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { UserView } from '../../../shared/domain/user/user';
import { userService } from '../service';
import { AdminEmailEnv } from '../user-config';
import { RegisterInput } from './use-case';

export const registerRoute = httpRoute({
  method: 'POST',
  path: '/v1/auth/register',
  auth: 'public',
  rateLimitPerMinute: 10,
  summary: 'Creates a customer account (e-mail compared case-insensitively; password 10 to 128 characters).',
  body: RegisterInput,
  responses: { 201: { description: 'The new account.', body: UserView } },
  problems: { 409: ['USER.EMAIL_TAKEN'] },
});

export const definition = defineFunction({
  name: 'register',
  service: userService,
  description: 'Creates a customer account and emits com.ecom.user.registered.',
  trigger: { kind: 'http', routes: [registerRoute] },
  uses: { database: true, events: [UserRegistered] },
  env: [AdminEmailEnv],
  // argon2id holds 19 MiB per hash in flight: a little more memory.
  capacity: {
    concurrency: 16,
    throughput: 102,
    p99Ms: 244.5,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only register',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
  resources: { cpu: '500m' },
});
