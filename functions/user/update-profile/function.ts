import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { UserView } from '../../../shared/domain/user/user';
import { userService } from '../service';
import { UpdateProfileInput } from './use-case';

export const updateProfileRoute = httpRoute({
  method: 'PATCH',
  path: '/v1/users/me',
  auth: 'authenticated',
  summary: "Changes the caller's name or password (a new password needs the current one).",
  body: UpdateProfileInput,
  responses: { 200: { description: 'The updated account.', body: UserView } },
  problems: {
    403: ['USER.CURRENT_PASSWORD_WRONG'],
    404: ['USER.NOT_FOUND'],
    429: ['AUTH.TOO_MANY_ATTEMPTS'],
  },
});

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
