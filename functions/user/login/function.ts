import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { TokenPair } from '../../../shared/domain/user/token-pair';
import { userService } from '../service';
import { ConfiguredAdminEnv } from '../user-config';
import { LoginInput } from './use-case';

export const loginRoute = httpRoute({
  method: 'POST',
  path: '/v1/auth/login',
  auth: 'public',
  rateLimitPerMinute: 10,
  // It answers tokens: no cache may keep them.
  noStore: true,
  summary: 'Signs in with e-mail and password: an access token and a refresh token.',
  body: LoginInput,
  responses: { 200: { description: 'A new session.', body: TokenPair } },
  problems: { 401: ['AUTH.INVALID_CREDENTIALS'], 429: ['AUTH.TOO_MANY_ATTEMPTS'] },
});

export const definition = defineFunction({
  name: 'login',
  service: userService,
  description: 'Exchanges e-mail and password for an access token and a refresh token.',
  trigger: { kind: 'http', routes: [loginRoute] },
  uses: { database: true },
  // Signs tokens, and makes the configured admin exist.
  env: [AccessTokenSignerEnv, ConfiguredAdminEnv],
  // argon2id holds 19 MiB per verification in flight.
  capacity: {
    concurrency: 4,
    throughput: 84,
    p99Ms: 73.9,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only login',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 6 },
  resources: { cpu: '500m' },
});
