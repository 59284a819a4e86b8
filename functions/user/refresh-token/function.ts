import { AccessTokenSignerEnv } from '../../../shared/auth/signer-config';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { TokenPair } from '../../../shared/domain/user/token-pair';
import { userService } from '../service';
import { RefreshInput } from './use-case';

export const refreshRoute = httpRoute({
  method: 'POST',
  path: '/v1/auth/refresh',
  auth: 'public',
  rateLimitPerMinute: 30,
  // It answers tokens: no cache may keep them.
  noStore: true,
  summary: 'Trades a refresh token for a new pair; a reused one ends its whole session.',
  body: RefreshInput,
  responses: { 200: { description: 'The new pair.', body: TokenPair } },
  problems: { 401: ['AUTH.INVALID_REFRESH_TOKEN', 'AUTH.REFRESH_TOKEN_REUSED'] },
});

export const definition = defineFunction({
  name: 'refresh-token',
  service: userService,
  description: 'Rotates a refresh token: a new token pair; a reused token revokes its whole family.',
  trigger: { kind: 'http', routes: [refreshRoute] },
  uses: { database: true },
  capacity: {
    concurrency: 4,
    throughput: 321,
    p99Ms: 27.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only refresh-token',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 6 },
  env: [AccessTokenSignerEnv],
});
