import { z } from 'zod';
import { decideRefreshRotation } from '../../../shared/domain/user/refresh-rotation';
import { hashRefreshToken } from '../../../shared/domain/user/refresh-token';
import type { RefreshTokenStore, UserRepository } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { newTokenPair, type AccessTokenSigner, type TokenPair } from '../../../shared/domain/user/token-pair';

export const RefreshInput = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
export type RefreshInput = z.infer<typeof RefreshInput>;

export interface RefreshDeps {
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenStore;
  readonly sign: AccessTokenSigner;
  readonly now: () => Date;
}

const reused = () =>
  new AppError(
    'unauthenticated',
    'AUTH.REFRESH_TOKEN_REUSED',
    'The refresh token was already used; sign in again.',
  );

/**
 * Exchanges a refresh token for a new pair in the same family. The presented token stops working; presenting an
 * already-rotated token again revokes the whole family, so a stolen token dies with the legitimate one.
 */
export async function refreshTokens(deps: RefreshDeps, input: RefreshInput): Promise<TokenPair> {
  const now = deps.now();
  const record = await deps.refreshTokens.findByHash(hashRefreshToken(input.refreshToken));
  const decision = decideRefreshRotation(record, now);
  if (decision.action === 'reject') throw decision.error;
  if (decision.action === 'revoke-family') {
    await deps.refreshTokens.revokeFamily(decision.familyId, now);
    throw decision.error;
  }
  const user = await deps.users.findById(decision.record.userId);
  if (!user)
    throw new AppError('unauthenticated', 'AUTH.INVALID_REFRESH_TOKEN', 'The account no longer exists.');
  // The role is read afresh: a promotion or demotion takes effect at the next refresh.
  const { pair, stored } = newTokenPair(deps.sign, user, decision.record.familyId, now);
  if (!(await deps.refreshTokens.rotate(decision.record.id, stored, now))) {
    // Another request rotated it between our read and our write: the same token was presented twice.
    await deps.refreshTokens.revokeFamily(decision.record.familyId, now);
    throw reused();
  }
  return pair;
}
