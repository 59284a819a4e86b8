import { InternalTokenEnv } from '../../../shared/auth/internal-token';
import { defineFunction } from '../../../shared/kit/function-definition';
import { userService } from '../service';

export const USER_GRPC_SERVICE = 'ecom.user.v1.UserService';

export const definition = defineFunction({
  name: 'user-grpc',
  service: userService,
  description:
    'The user service over gRPC (GetUser, ListUsers, GetCurrentSession, GetContact) with the standard health service.',
  trigger: { kind: 'grpc', proto: 'user.proto', services: [USER_GRPC_SERVICE] },
  uses: { database: true },
  capacity: {
    concurrency: 16,
    throughput: 1655,
    p99Ms: 29.9,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only user-grpc',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
  env: [InternalTokenEnv],
});
