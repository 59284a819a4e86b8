import { z } from 'zod';
import { hashRefreshToken } from '../../../shared/domain/user/refresh-token';
import type { Principal } from '../../../shared/domain/user/roles';
import type { RefreshTokenStore } from '../../../shared/domain/user/user-ports';

export const LogoutInput = z.object({ refreshToken: z.string().min(1).max(512) }).strict();
export type LogoutInput = z.infer<typeof LogoutInput>;

/**
 * Revokes the presented refresh token when it is the caller's. Logging out twice, or with a token that is not
 * the caller's, changes nothing and still succeeds: the caller learns nothing about other people's tokens.
 */
export async function logout(
  deps: { readonly refreshTokens: RefreshTokenStore; readonly now: () => Date },
  caller: Principal,
  input: LogoutInput,
): Promise<void> {
  await deps.refreshTokens.revokeOwn(hashRefreshToken(input.refreshToken), caller.userId, deps.now());
}
